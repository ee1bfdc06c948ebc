"""Our rules over the target profile and the mapping file: where disks and NICs land.

Forklift checks the same things on the Plan (VMStorageNotMapped, VMNetworksNotMapped,
VMMultiplePodNetworkMappings, NetMapDestinationNADNotValid) — but only once the CRs exist
on a cluster. Checking them here tells the architect before anything is applied.
oVirt direct LUN disks are skipped: they are not copied through a storage mapping.
"""

from __future__ import annotations

from factory.model import VM
from risk.context import Context
from risk.rule import BOTH, CRITICAL, NE, PASS, WARNING, Outcome, disk_subject, hit, rule


def _datastore(disk) -> str:
    return disk.datastore_name or disk.datastore or "?"


@rule(
    "factory.storage.unmapped",
    CRITICAL,
    "Datastore not in the storage mapping",
    providers=BOTH,
    needs=["disk.datastore", "disk.datastore_name", "mapping.storage"],
    requires=["mapping"],
    rationale="MTV blocks a plan whose VM uses a datastore or storage domain the storage map does not list "
    "(VMStorageNotMapped).",
    remediation="Add a storage pair for the datastore to the mapping file.",
)
def storage_unmapped(vm: VM, ctx: Context) -> Outcome:
    hits, unknown = [], False
    for d, t in ctx.disk_targets(vm):
        if d.datastore is None and d.datastore_name is None:
            unknown = True
        elif not t.mapped:
            hits.append(
                hit(
                    f"Disk {disk_subject(d)} is on '{_datastore(d)}', which the mapping does not list.", disk_subject(d)
                )
            )
    return hits or (NE if unknown else PASS)


@rule(
    "factory.storage.class_missing",
    CRITICAL,
    "Mapped storage class not on the target",
    providers=BOTH,
    needs=["mapping.storage", "profile.storageClasses"],
    requires=["profile", "mapping"],
    rationale="A storage map whose destination class does not exist is not Ready, and blocks the plan.",
    remediation="Fix the storage class name in the mapping file, or add the class to the target profile.",
)
def storage_class_missing(vm: VM, ctx: Context) -> Outcome:
    hits = []
    for d, t in ctx.disk_targets(vm):
        if t.mapped and t.klass is None:
            hits.append(
                hit(
                    f"Disk {disk_subject(d)} maps to storage class '{t.storage_class}', which the target "
                    "profile does not have.",
                    disk_subject(d),
                )
            )
    return hits


@rule(
    "factory.storage.rwo_only",
    WARNING,
    "Disks land on storage without ReadWriteMany",
    providers=BOTH,
    needs=["disk.datastore", "mapping.storage", "profile.storageClasses"],
    requires=["profile"],
    rationale="KubeVirt live-migrates a VM only when every PVC has ReadWriteMany access; otherwise the VM is "
    "LiveMigratable=False (DisksNotLiveMigratable) and node maintenance means downtime.",
    remediation="Map the VM's datastores to a storage class with ReadWriteMany (e.g. Ceph RBD in Block mode), "
    "or accept that the VM cannot live-migrate.",
)
def storage_rwo_only(vm: VM, ctx: Context) -> Outcome:
    hits, unknown = [], False
    for d, t in ctx.disk_targets(vm):
        if t.klass is None:
            unknown = unknown or not t.mapped  # no default class: we cannot tell; a missing class is reported apart
            continue
        rwx = t.klass.rwx if t.access_mode is None else t.access_mode == "ReadWriteMany"
        if not rwx:
            why = f"mapped with {t.access_mode}" if t.access_mode else "without ReadWriteMany"
            hits.append(
                hit(
                    f"Disk {disk_subject(d)} lands on '{t.storage_class}' {why}; the VM cannot live-migrate.",
                    disk_subject(d),
                )
            )
    return hits or (NE if unknown else PASS)


@rule(
    "factory.storage.capacity",
    WARNING,
    "Storage class over capacity",
    providers=BOTH,
    needs=["disk.capacity_bytes", "profile.storageClasses.capacityGiB"],
    requires=["profile"],
    rationale="The disks mapped to a storage class add up to more than the capacity the profile gives it.",
    remediation="Spread the datastores over more storage classes, grow the class, or move fewer VMs.",
)
def storage_capacity(vm: VM, ctx: Context) -> Outcome:
    demand = ctx.run.class_demand_gib
    if not demand:
        return PASS
    over: dict[str, str] = {}
    for _, t in ctx.disk_targets(vm):
        if t.klass is None or t.klass.capacity_gib is None or t.storage_class in over:
            continue
        need = demand.get(t.klass.name, 0.0)
        if need > t.klass.capacity_gib:
            over[t.klass.name] = f"'{t.klass.name}' needs {need:,.0f} GiB of {t.klass.capacity_gib:,.0f} GiB"
    return [hit(f"Storage class {text}.", name) for name, text in over.items()]


@rule(
    "factory.network.unmapped",
    CRITICAL,
    "Network not in the network mapping",
    providers=BOTH,
    needs=["nic.network", "nic.network_name", "mapping.networks"],
    requires=["mapping"],
    rationale="MTV blocks a plan whose VM uses a network the network map does not list (VMNetworksNotMapped).",
    remediation="Add a network pair for the source network (pod, multus or ignored) to the mapping file.",
)
def network_unmapped(vm: VM, ctx: Context) -> Outcome:
    hits, unknown = [], False
    for n, (net_id, net_name), dest in ctx.nic_targets(vm):
        if net_id is None and net_name is None:
            unknown = True
        elif dest is None:
            hits.append(
                hit(
                    f"NIC {n.label or n.key} is on '{net_name or net_id}', which the mapping does not list.",
                    n.label or n.key,
                )
            )
    return hits or (NE if unknown else PASS)


@rule(
    "factory.network.pod_multiple",
    CRITICAL,
    "More than one NIC on the pod network",
    providers=BOTH,
    needs=["nic.network", "mapping.networks"],
    requires=["mapping"],
    rationale="A KubeVirt VM has one pod-network interface; MTV blocks VMs with several NICs mapped to the "
    "pod network (VMMultiplePodNetworkMappings).",
    remediation="Map all but one of the VM's networks to multus NetworkAttachmentDefinitions or 'ignored'.",
)
def pod_multiple(vm: VM, ctx: Context) -> Outcome:
    pods = [n.label or n.key for n, _, dest in ctx.nic_targets(vm) if dest is not None and dest.type == "pod"]
    if len(pods) > 1:
        return (hit(f"{len(pods)} NICs ({', '.join(pods)}) map to the pod network; only one may."),)
    return PASS


@rule(
    "factory.network.nad_missing",
    CRITICAL,
    "Mapped network attachment not on the target",
    providers=BOTH,
    needs=["mapping.networks", "profile.networks", "profile.namespace"],
    requires=["profile", "mapping"],
    rationale="A multus destination must exist on the target and live in the target namespace or 'default' "
    "(NetMapDestinationNADNotValid), or the plan is blocked.",
    remediation="Create the NetworkAttachmentDefinition (and list it in the profile), or fix the mapping.",
)
def nad_missing(vm: VM, ctx: Context) -> Outcome:
    profile = ctx.profile
    assert profile is not None  # requires=["profile"]
    hits = []
    for n, _, dest in ctx.nic_targets(vm):
        if dest is None or dest.type != "multus":
            continue
        ns = dest.namespace or profile.namespace
        if ns not in (profile.namespace, "default"):
            hits.append(
                hit(
                    f"NIC {n.label or n.key} maps to {ns}/{dest.name}, outside the target namespace "
                    f"'{profile.namespace}' and 'default'.",
                    n.label or n.key,
                )
            )
        elif not any(t.name == dest.name and t.namespace == ns for t in profile.networks):
            hits.append(
                hit(
                    f"NIC {n.label or n.key} maps to {ns}/{dest.name}, which the target profile does not list.",
                    n.label or n.key,
                )
            )
    return hits
