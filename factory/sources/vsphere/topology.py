"""Datacenters, clusters, hosts, datastores and networks from the retrieved properties.

Everything that needs the parent chain (which datacenter an object is in, a VM's folder path)
goes through :class:`Tree`, built once from the ``parent`` property of every object.
"""

from __future__ import annotations

from typing import Any

from pyVmomi import vim

from factory.model import AffinityRule, Cluster, Datacenter, Datastore, Host, Network
from factory.sources.vsphere.retrieve import Props, Retrieved
from factory.sources.vsphere.soapxml import is_a

CLUSTER_TYPES = ("ClusterComputeResource",)
NETWORK_TYPES = ("Network",)
PORTGROUP_TYPES = ("DistributedVirtualPortgroup",)
SWITCH_TYPES = ("VmwareDistributedVirtualSwitch", "DistributedVirtualSwitch")
OPAQUE_TYPES = ("OpaqueNetwork",)


def ref_id(ref: Any) -> str | None:
    return None if ref is None else ref._moId


class Tree:
    """Parent links and names of every retrieved object."""

    def __init__(self, retrieved: Retrieved) -> None:
        self.types = retrieved.types
        self.names: dict[str, str] = {}
        self.parents: dict[str, str | None] = {}
        for objects in retrieved.by_type.values():
            for moid, props in objects.items():
                if "name" in props:
                    self.names[moid] = props["name"]
                self.parents[moid] = ref_id(props.get("parent"))
        self._datacenter: dict[str, str | None] = {}

    def datacenter(self, moid: str | None) -> str | None:
        """The id of the datacenter above ``moid`` (memoized: thousands of VMs share folders)."""
        if moid is None:
            return None
        if moid in self._datacenter:
            return self._datacenter[moid]
        if self.types.get(moid) == "Datacenter":
            found: str | None = moid
        else:
            found = self.datacenter(self.parents.get(moid))
        self._datacenter[moid] = found
        return found

    def path(self, moid: str | None) -> str | None:
        """Inventory path of a folder, e.g. ``/DC0/vm/Prod``; None if the chain is unknown."""
        parts: list[str] = []
        while moid is not None and moid in self.names:
            parts.append(self.names[moid])
            if self.types.get(moid) == "Datacenter":
                return "/" + "/".join(reversed(parts))
            moid = self.parents.get(moid)
        return None


def datacenters(r: Retrieved) -> list[Datacenter]:
    return [Datacenter(id=moid, name=p["name"]) for moid, p in r.of("Datacenter").items()]


def hosts(r: Retrieved, tree: Tree) -> list[Host]:
    out = []
    for moid, p in r.of("HostSystem").items():
        parent = ref_id(p.get("parent"))
        out.append(
            Host(
                id=moid,
                name=p.get("name", moid),
                cluster=parent if r.types.get(parent or "") in CLUSTER_TYPES else None,
                datacenter=tree.datacenter(moid),
                in_maintenance=p.get("runtime.inMaintenanceMode"),
                connection_state=p.get("runtime.connectionState"),
                cpu_cores=p.get("summary.hardware.numCpuCores"),
                cpu_mhz=p.get("summary.hardware.cpuMhz"),
                memory_bytes=p.get("summary.hardware.memorySize"),
                version=p.get("summary.config.product.fullName"),
            )
        )
    return out


def clusters(r: Retrieved, tree: Tree) -> list[Cluster]:
    hosts_of: dict[str, list[str]] = {}
    for moid, p in r.of("HostSystem").items():
        hosts_of.setdefault(ref_id(p.get("parent")) or "", []).append(moid)
    out = []
    for moid, p in r.of(*CLUSTER_TYPES).items():
        config = p.get("configurationEx")
        das = getattr(config, "dasConfig", None)
        drs = getattr(config, "drsConfig", None)
        dpm = getattr(config, "dpmConfigInfo", None)
        out.append(
            Cluster(
                id=moid,
                name=p.get("name", moid),
                datacenter=tree.datacenter(moid),
                ha_enabled=getattr(das, "enabled", None),
                drs_enabled=getattr(drs, "enabled", None),
                dpm_enabled=getattr(dpm, "enabled", None),
                affinity_rules=affinity_rules(config, hosts_of.get(moid, [])),
            )
        )
    return out


def affinity_rules(config: Any, cluster_hosts: list[str]) -> list[AffinityRule]:
    """DRS rules with VM-host groups resolved to VM and host ids.

    The model has one ``vm_host`` kind meaning "these VMs belong on these hosts", so an
    anti-affine VM-host rule is stored as the cluster's hosts *outside* the anti-affine group.
    """
    if config is None:
        return []
    vm_groups: dict[str, list[str]] = {}
    host_groups: dict[str, list[str]] = {}
    for group in getattr(config, "group", None) or ():
        if is_a(group, vim.cluster.VmGroup):
            vm_groups[group.name] = [ref._moId for ref in group.vm or ()]
        elif is_a(group, vim.cluster.HostGroup):
            host_groups[group.name] = [ref._moId for ref in group.host or ()]
    rules = []
    for rule in getattr(config, "rule", None) or ():
        common = {"name": rule.name or "", "enabled": rule.enabled, "mandatory": rule.mandatory}
        if is_a(rule, vim.cluster.AntiAffinityRuleSpec):
            rules.append(AffinityRule(kind="vm_anti_affinity", vms=[v._moId for v in rule.vm or ()], **common))
        elif is_a(rule, vim.cluster.AffinityRuleSpec):
            rules.append(AffinityRule(kind="vm_affinity", vms=[v._moId for v in rule.vm or ()], **common))
        elif is_a(rule, vim.cluster.VmHostRuleInfo):
            vms = vm_groups.get(rule.vmGroupName or "", [])
            if rule.affineHostGroupName:
                allowed = host_groups.get(rule.affineHostGroupName, [])
            else:
                avoided = set(host_groups.get(rule.antiAffineHostGroupName or "", []))
                allowed = [h for h in cluster_hosts if h not in avoided]
            rules.append(AffinityRule(kind="vm_host", vms=vms, hosts=allowed, **common))
    return rules


def datastores(r: Retrieved, tree: Tree) -> list[Datastore]:
    return [
        Datastore(
            id=moid,
            name=p.get("name", moid),
            type=p.get("summary.type"),
            capacity_bytes=p.get("summary.capacity"),
            free_bytes=p.get("summary.freeSpace"),
            datacenter=tree.datacenter(moid),
        )
        for moid, p in r.of("Datastore").items()
    ]


def vlan_text(port_config: Any) -> str | None:
    """VLAN of a DV portgroup: ``"100"``, a trunk ``"0-4094"`` / ``"10-20,30"``, or ``"pvlan:7"``."""
    vlan = getattr(port_config, "vlan", None)
    value = getattr(vlan, "vlanId", None)
    if value is None:
        pvlan = getattr(vlan, "pvlanId", None)
        return None if pvlan is None else f"pvlan:{pvlan}"
    if isinstance(value, int):
        return str(value)
    return ",".join(str(r.start) if r.start == r.end else f"{r.start}-{r.end}" for r in value)


def networks(r: Retrieved, tree: Tree) -> list[Network]:
    out: list[Network] = []

    def add(moid: str, p: Props, kind: str, **extra: Any) -> None:
        out.append(Network(id=moid, name=p.get("name", moid), kind=kind, datacenter=tree.datacenter(moid), **extra))

    for moid, p in r.of(*NETWORK_TYPES).items():
        add(moid, p, "standard")
    for moid, p in r.of(*PORTGROUP_TYPES).items():
        switch = ref_id(p.get("config.distributedVirtualSwitch"))
        add(moid, p, "distributed_portgroup", vlan=vlan_text(p.get("config.defaultPortConfig")), switch=switch)
    for moid, p in r.of(*SWITCH_TYPES).items():
        add(moid, p, "distributed_switch")
    for moid, p in r.of(*OPAQUE_TYPES).items():
        add(moid, p, "opaque")
    return out
