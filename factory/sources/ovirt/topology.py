"""Engine objects around the VMs -> model: data centers, clusters (with affinity groups),
hosts, storage domains, networks and vNIC profiles.

Ids stay the engine's UUIDs, so that MTV CRs and the network/storage maps can reference them
exactly as Forklift's oVirt inventory does.
"""

from __future__ import annotations

from typing import Any

import ovirtsdk4.types as types

from factory.model import AffinityRule, Cluster, Datacenter, Datastore, Host, Network, VnicProfile


def text(value: Any) -> str | None:
    """An SDK enum or plain value as the engine's word (``VmStatus.UP`` -> ``"up"``)."""
    if value is None:
        return None
    return str(getattr(value, "value", value))


def ref_id(obj: Any) -> str | None:
    return None if obj is None else obj.id


def datacenter(dc: types.DataCenter) -> Datacenter:
    return Datacenter(id=dc.id, name=dc.name or dc.id)


def _affinity_rules(cluster: types.Cluster) -> list[AffinityRule]:
    rules: list[AffinityRule] = []
    for group in cluster.affinity_groups or []:
        vms = [vm.id for vm in group.vms or []]
        hosts = [host.id for host in group.hosts or []]
        vms_rule, hosts_rule = group.vms_rule, group.hosts_rule
        if vms_rule is None and group.positive is not None:  # engines before 4.1: one rule per group
            vms_rule = types.AffinityRule(enabled=True, positive=group.positive, enforcing=group.enforcing)
        if vms_rule is not None and vms_rule.enabled is not False and len(vms) > 1:
            rules.append(AffinityRule(
                name=group.name or group.id, kind="vm_affinity" if vms_rule.positive else "vm_anti_affinity",
                enabled=vms_rule.enabled, mandatory=vms_rule.enforcing, vms=vms))  # fmt: skip
        if hosts_rule is not None and hosts_rule.enabled and hosts and vms:
            rules.append(AffinityRule(
                name=group.name or group.id, kind="vm_host", enabled=True, mandatory=hosts_rule.enforcing,
                vms=vms, hosts=hosts))  # fmt: skip
    return rules


def cluster(c: types.Cluster) -> Cluster:
    return Cluster(
        id=c.id,
        name=c.name or c.id,
        datacenter=ref_id(c.data_center),
        ksm_enabled=None if c.ksm is None else c.ksm.enabled,
        ha_reservation=c.ha_reservation,
        bios_type=text(c.bios_type),
        cpu_type=None if c.cpu is None else c.cpu.type,
        affinity_rules=_affinity_rules(c),
    )


def host(h: types.Host, datacenter_of_cluster: dict[str, str | None]) -> Host:
    topology = h.cpu.topology if h.cpu is not None else None
    cores = None
    if topology is not None and topology.sockets is not None and topology.cores is not None:
        cores = topology.sockets * topology.cores
    version = None
    if h.os is not None and h.os.type:
        full = h.os.version.full_version if h.os.version is not None else None
        version = f"{h.os.type} {full}" if full else h.os.type
    status = text(h.status)
    cluster_id = ref_id(h.cluster)
    return Host(
        id=h.id,
        name=h.name or h.id,
        cluster=cluster_id,
        datacenter=datacenter_of_cluster.get(cluster_id) if cluster_id else None,
        in_maintenance=None if status is None else status == "maintenance",
        connection_state=status,
        cpu_cores=cores,
        cpu_mhz=h.cpu.speed if h.cpu is not None and h.cpu.speed else None,
        memory_bytes=h.memory,
        version=version,
    )


def storage_domain(sd: types.StorageDomain) -> Datastore:
    capacity = None
    if sd.available is not None and sd.used is not None:
        capacity = sd.available + sd.used
    dcs = sd.data_centers or []
    return Datastore(
        id=sd.id,
        name=sd.name or sd.id,
        type=text(sd.storage.type) if sd.storage is not None else text(sd.type),
        capacity_bytes=capacity,
        free_bytes=sd.available,
        datacenter=dcs[0].id if dcs else None,
    )


def network(n: types.Network) -> Network:
    vlan = n.vlan.id if n.vlan is not None and n.vlan.id is not None else None
    return Network(
        id=n.id, name=n.name or n.id, kind="ovirt", vlan=None if vlan is None else str(vlan),
        datacenter=ref_id(n.data_center),
    )  # fmt: skip


def vnic_profile(p: types.VnicProfile, filter_names: dict[str, str]) -> VnicProfile:
    """QoS is kept as the engine's QoS id (naming it would cost a request per data center);
    the network filter by name (vdsm-no-mac-spoofing ...), from one list of all filters."""
    filter_id = ref_id(p.network_filter)
    mode = p.pass_through.mode if p.pass_through is not None else None
    return VnicProfile(
        id=p.id,
        name=p.name or p.id,
        network=ref_id(p.network),
        pass_through=None if mode is None else text(mode) == "enabled",
        port_mirroring=p.port_mirroring,
        qos=ref_id(p.qos),
        network_filter=None if filter_id is None else filter_names.get(filter_id, filter_id),
        custom_properties={cp.name: cp.value or "" for cp in p.custom_properties or [] if cp.name},
    )
