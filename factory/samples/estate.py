"""A small description of a vSphere estate, from which RVTools-shaped exports are written.

The bundled sample, the tests and the benchmark all describe what they want as an
:class:`Estate` and let :mod:`factory.samples.generator` write it as RVTools would (xlsx,
CSV folder or CSV zip). Tests then compare the import with the estate they wrote.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass
class Disk:
    key: int
    capacity_mib: int
    datastore: str
    path: str
    thin: bool = True
    mode: str = "persistent"
    raw: bool = False
    raw_mode: str = ""
    sharing: str = "sharingNone"
    shared_bus: str = "noSharing"
    controller: str = "VMware paravirtual SCSI"
    controller_label: str = "SCSI controller 0"
    unit: int = 0

    @property
    def label(self) -> str:
        return f"Hard disk {self.key - 1999}"


@dataclass
class Nic:
    label: str
    network: str
    switch: str
    mac: str
    adapter: str = "Vmxnet3"
    connected: bool = True
    starts_connected: bool = True
    ipv4: str = ""
    ipv6: str = ""


@dataclass
class Partition:
    path: str
    capacity_mib: int
    consumed_mib: int
    disk_key: int | None = None


@dataclass
class Snapshot:
    name: str
    created: datetime
    size_mib: float
    state: str = "poweredOff"
    description: str = ""


@dataclass
class Cd:
    node: str
    device_type: str  # "Remote ATAPI", or "ISO [ds] path.iso" when an ISO is mounted
    connected: bool = False
    starts_connected: bool = False


@dataclass
class Usb:
    node: str
    device_type: str = "USB 3.1 controller"
    connected: bool = True


@dataclass
class VM:
    name: str
    moref: str
    uuid: str  # RVTools "VM UUID" (instance UUID)
    smbios_uuid: str
    datacenter: str
    cluster: str
    host: str
    power: str = "poweredOn"
    template: bool = False
    cpus: int = 2
    cores_per_socket: int = 1
    memory_mib: int = 4096
    firmware: str = "bios"
    secure_boot: bool = False
    folder: str = "/Datacenter/vm"
    vapp: str = ""
    annotation: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    os_config: str = "Red Hat Enterprise Linux 8 (64-bit)"
    os_tools: str = "Red Hat Enterprise Linux 8 (64-bit)"
    tools: str = "toolsOk"
    dns_name: str = ""
    primary_ip: str = ""
    cbt: bool = False
    enable_uuid: bool = False
    cpu_hot_add: bool = False
    cpu_hot_remove: bool = False
    memory_hot_add: bool = False
    ft_state: str = "notConfigured"
    consolidation_needed: bool = False
    disks: list[Disk] = field(default_factory=list)
    nics: list[Nic] = field(default_factory=list)
    partitions: list[Partition] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)
    cds: list[Cd] = field(default_factory=list)
    usbs: list[Usb] = field(default_factory=list)


@dataclass
class Host:
    name: str
    moref: str
    datacenter: str
    cluster: str
    cores: int = 32
    mhz: int = 2600
    memory_mib: int = 524288
    version: str = "VMware ESXi 8.0.2 build-22380479"
    maintenance: bool = False


@dataclass
class Cluster:
    name: str
    moref: str
    ha: bool = True
    drs: bool = True
    dpm: bool = False


@dataclass
class Datastore:
    name: str
    moref: str
    type: str = "VMFS"
    capacity_mib: int = 4194304
    free_mib: int = 1048576


@dataclass
class Portgroup:
    name: str
    switch: str
    vlan: str
    moref: str


@dataclass
class VCenter:
    server: str = "vcenter01.example.com"
    uuid: str = "6f1c2a4e-0d3b-4c7e-9a51-3e2b7c9d1a01"
    api_version: str = "8.0.2.0"
    fullname: str = "VMware vCenter Server 8.0.2 build-22385739"


@dataclass
class Estate:
    vcenter: VCenter = field(default_factory=VCenter)
    attributes: list[str] = field(default_factory=list)  # custom attribute columns
    vms: list[VM] = field(default_factory=list)
    hosts: list[Host] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    datastores: list[Datastore] = field(default_factory=list)
    portgroups: list[Portgroup] = field(default_factory=list)
    exported_at: datetime = datetime(2025, 3, 14, 9, 30, 0)


def synthetic(n_vms: int, *, seed: int = 7, vcenter: VCenter | None = None) -> Estate:
    """A varied, deterministic estate of ``n_vms`` VMs: 1-3 disks, 1-2 NICs, partitions,
    some snapshots, CD-ROMs and USB controllers; 4 clusters of 8 hosts; 6 datastores;
    a distributed switch with 5 portgroups and a standard network."""
    rnd = random.Random(seed)
    vc = vcenter or VCenter()
    clusters = [Cluster(f"cl-{c:02d}", f"domain-c{100 + c}", drs=c % 2 == 0) for c in range(4)]
    hosts = [
        Host(f"esx-{c:02d}-{h:02d}.example.com", f"host-{1000 + c * 8 + h}", "DC1", clusters[c].name)
        for c in range(4)
        for h in range(8)
    ]
    datastores = [Datastore(f"ds-{d:02d}", f"datastore-{200 + d}") for d in range(6)]
    portgroups = [Portgroup(f"pg-vlan{100 + p}", "dvs-prod", str(100 + p), f"dvportgroup-{300 + p}") for p in range(5)]
    estate = Estate(
        vcenter=vc,
        attributes=["app", "owner", "env"],
        hosts=hosts,
        clusters=clusters,
        datastores=datastores,
        portgroups=portgroups,
    )
    apps = ["billing", "crm", "web", "erp", "hr", "search", "mail", "ci"]
    for i in range(n_vms):
        host = hosts[i % len(hosts)]
        name = f"vm{i:05d}"
        ds = datastores[i % len(datastores)].name
        disks = [
            Disk(2000 + d, rnd.choice((20480, 40960, 102400)), ds, f"[{ds}] {name}/{name}_{d}.vmdk", unit=d)
            for d in range(1 + i % 3)
        ]
        nics = [
            Nic(
                f"Network adapter {n + 1}",
                "VM Network" if n else portgroups[i % 5].name,
                "vSwitch0" if n else "dvs-prod",
                f"00:50:56:{n:02x}:{i >> 8 & 255:02x}:{i & 255:02x}",
                ipv4=f"10.{n}.{i >> 8 & 255}.{i & 255}",
            )
            for n in range(1 + (i % 4 == 0))
        ]
        partitions = [
            Partition(
                "/" if d.key == 2000 else f"/data{d.key - 2000}", d.capacity_mib - 100, d.capacity_mib // 3, d.key
            )
            for d in disks
        ]
        vm = VM(
            name=name,
            moref=f"vm-{10000 + i}",
            uuid=f"500b{i:04x}-0000-4000-8000-{i:012x}",
            smbios_uuid=f"420b{i:04x}-0000-4000-8000-{i:012x}",
            datacenter="DC1",
            cluster=host.cluster,
            host=host.name,
            power="poweredOff" if i % 10 == 9 else "poweredOn",
            cpus=rnd.choice((1, 2, 4, 8)),
            memory_mib=rnd.choice((2048, 4096, 8192, 16384)),
            firmware="efi" if i % 3 == 0 else "bios",
            secure_boot=i % 6 == 0,
            folder=f"/DC1/vm/{apps[i % 8]}",
            annotation=f"{apps[i % 8]} node {i}, managed by team {i % 5}",
            labels={"app": apps[i % 8], "owner": f"team{i % 5}", "env": "prod" if i % 2 else "test"},
            dns_name=f"{name}.example.com",
            primary_ip=nics[0].ipv4,
            cbt=i % 2 == 0,
            enable_uuid=i % 5 == 0,
            cpu_hot_add=i % 7 == 0,
            memory_hot_add=i % 7 == 0,
            disks=disks,
            nics=nics,
            partitions=partitions,
            snapshots=[Snapshot("before-patch", estate.exported_at - timedelta(days=i % 40), 1024.5)]
            if i % 8 == 0
            else [],
            cds=[Cd("CD/DVD drive 1", "Remote ATAPI")],
            usbs=[Usb("USB controller 1")] if i % 9 == 0 else [],
            template=i % 500 == 499,
        )
        estate.vms.append(vm)
    return estate
