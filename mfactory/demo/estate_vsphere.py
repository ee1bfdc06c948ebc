"""The demo's vSphere-like source (``vcenter-dc1``): a shop application grouped by label, a
DB pair on a shared disk, a physical RDM, nested virtualisation, Windows with EFI + secure
boot + vTPM, snapshots, an ISO CD-ROM, USB, PCI passthrough, a full guest filesystem and a
name that is not DNS-1123. Written to JSON by :mod:`mfactory.demo.estate_build`."""

from __future__ import annotations

from datetime import UTC, datetime

from factory.model import (
    VM,
    AffinityRule,
    Cluster,
    Datacenter,
    Datastore,
    Device,
    Disk,
    GuestFilesystem,
    Host,
    Inventory,
    Network,
    Nic,
    PowerState,
    Snapshot,
    Source,
    SourceKind,
)
from mfactory.demo.estate_common import COLLECTED, GIB, mac, uuid


def _vs_disk(vm: str, n: int, gib: int, used: float, ds: str, **kw: object) -> Disk:
    fields: dict = {
        "key": str(2000 + n),
        "label": f"Hard disk {n + 1}",
        "file": f"[{ds}] {vm}/{vm}{'' if n == 0 else f'_{n}'}.vmdk",
        "capacity_bytes": gib * GIB,
        "used_bytes": int(gib * GIB * used),
        "datastore": {"ds-prod-01": "datastore-11", "ds-prod-02": "datastore-12", "ds-local": "datastore-13"}[ds],
        "datastore_name": ds,
        "mode": "persistent",
        "rdm": False,
        "shared": False,
        "thin": True,
        "bus": "scsi",
        "controller": "VMware paravirtual SCSI",
        "controller_key": 1000,
        "unit_number": n,
        "cbt": True,
    }
    fields.update(kw)
    return Disk(**fields)


def _vs_nic(vm: str, n: int, net: str, model: str = "vmxnet3", ip: str | None = None) -> Nic:
    ids = {"VM Network": "network-7", "prod-vlan-93": "dvportgroup-21", "backup": "dvportgroup-22"}
    return Nic(
        key=str(4000 + n),
        label=f"Network adapter {n + 1}",
        model=model,
        mac=mac(f"{vm}-{n}"),
        network=ids[net],
        network_name=net,
        connected=True,
        start_connected=True,
        ips=[ip] if ip else [],
    )


def _vs_vm(name: str, n: int, *, os: tuple[str, str], host: str, cpus: int = 2, mem: int = 4096, **kw: object) -> VM:
    disks = kw.pop("disks", None) or [_vs_disk(name, 0, 40, 0.45, "ds-prod-01")]
    nics = kw.pop("nics", None) or [_vs_nic(name, 0, "prod-vlan-93", ip=f"10.93.0.{10 + n}")]
    fields: dict = {
        "id": f"vm-{100 + n}",
        "source": "vcenter-dc1",
        "name": name,
        "uuid": uuid(name),
        "instance_uuid": uuid(name + "-i"),
        "power_state": PowerState.ON,
        "connection_state": "connected",
        "cpus": cpus,
        "cores_per_socket": 1,
        "memory_mib": mem,
        "firmware": "bios",
        "secure_boot": False,
        "guest_id": os[0],
        "guest_name": os[1],
        "guest_name_reported": os[1],
        "tools_status": "toolsOk",
        "nested_virt": False,
        "cpu_hot_add": False,
        "cpu_hot_remove": False,
        "memory_hot_add": False,
        "cpu_affinity": [],
        "numa_affinity": [],
        "cbt": True,
        "disk_enable_uuid": True,
        "fault_tolerance": False,
        "consolidation_needed": False,
        "tpm": False,
        "host": host,
        "cluster": "domain-c8" if host in ("host-31", "host-32") else "domain-c9",
        "datacenter": "datacenter-2",
        "folder": "Production",
        "guest_ips": [n.ips[0] for n in nics if n.ips],
        "guest_hostname": name.lower().replace("_", "-").replace(" ", "-") + ".corp.example.com",
        "guest_filesystems": [
            GuestFilesystem(
                path="/" if "Windows" not in os[1] else "C:\\",
                capacity_bytes=38 * GIB,
                free_bytes=20 * GIB,
                disk_key="2000",
            ),
        ],
        "disks": disks,
        "nics": nics,
        "snapshots": [],
        "devices": [],
    }
    fields.update(kw)
    return VM(**fields)


RHEL8 = ("rhel8_64Guest", "Red Hat Enterprise Linux 8 (64-bit)")
RHEL9 = ("rhel9_64Guest", "Red Hat Enterprise Linux 9 (64-bit)")
RHEL6 = ("rhel6_64Guest", "Red Hat Enterprise Linux 6 (64-bit)")
WIN2019 = ("windows2019srv_64Guest", "Microsoft Windows Server 2019 (64-bit)")
WIN2012 = ("windows8Server64Guest", "Microsoft Windows Server 2012 (64-bit)")
CENTOS7 = ("centos7_64Guest", "CentOS 7 (64-bit)")


def vsphere() -> Inventory:
    shop = {"app": "shop", "env": "prod", "owner": "web-team"}
    vms = [
        _vs_vm("shop-web-01", 0, os=RHEL9, host="host-31", labels=shop),
        _vs_vm("shop-web-02", 1, os=RHEL9, host="host-32", labels=shop),
        _vs_vm("shop-app-01", 2, os=RHEL8, host="host-31", cpus=4, mem=8192, labels=shop),
        _vs_vm("shop-app-02", 3, os=RHEL8, host="host-32", cpus=4, mem=8192, labels=shop),
        _vs_vm(
            "shop-db-01",
            4,
            os=RHEL8,
            host="host-31",
            cpus=8,
            mem=32768,
            labels=shop,
            disks=[
                _vs_disk("shop-db-01", 0, 60, 0.5, "ds-prod-01"),
                _vs_disk(
                    "shop-db-01",
                    1,
                    200,
                    0.7,
                    "ds-prod-02",
                    shared=True,
                    thin=False,
                    file="[ds-prod-02] shop-db-shared/data.vmdk",
                ),
            ],
        ),
        _vs_vm(
            "shop-db-02",
            5,
            os=RHEL8,
            host="host-32",
            cpus=8,
            mem=32768,
            labels=shop,
            disks=[
                _vs_disk("shop-db-02", 0, 60, 0.5, "ds-prod-01"),
                _vs_disk(
                    "shop-db-02",
                    1,
                    200,
                    0.7,
                    "ds-prod-02",
                    shared=True,
                    thin=False,
                    file="[ds-prod-02] shop-db-shared/data.vmdk",
                ),
            ],
        ),
        _vs_vm(
            "legacy-erp",
            6,
            os=WIN2012,
            host="host-33",
            cpus=4,
            mem=16384,
            labels={"app": "erp", "env": "prod"},
            disks=[
                _vs_disk("legacy-erp", 0, 80, 0.6, "ds-prod-01"),
                _vs_disk(
                    "legacy-erp",
                    1,
                    500,
                    0.9,
                    "ds-prod-02",
                    rdm=True,
                    rdm_mode="physical",
                    mode="independent_persistent",
                    file="[ds-prod-02] legacy-erp/legacy-erp_1-rdmp.vmdk",
                ),
            ],
            cbt=False,
        ),
        _vs_vm(
            "build-agent-01",
            7,
            os=RHEL9,
            host="host-33",
            cpus=8,
            mem=16384,
            nested_virt=True,
            labels={"app": "ci", "env": "dev"},
        ),
        _vs_vm(
            "build-agent-02",
            8,
            os=RHEL9,
            host="host-33",
            cpus=8,
            mem=16384,
            nested_virt=True,
            labels={"app": "ci", "env": "dev"},
        ),
        _vs_vm(
            "WIN-DC01",
            9,
            os=WIN2019,
            host="host-31",
            firmware="efi",
            secure_boot=True,
            tpm=True,
            labels={"app": "ad", "env": "prod"},
            nics=[_vs_nic("WIN-DC01", 0, "prod-vlan-93", model="e1000e", ip="10.93.0.5")],
            devices=[Device(kind="tpm", label="Virtual TPM")],
        ),
        _vs_vm(
            "WIN-DC02",
            10,
            os=WIN2019,
            host="host-32",
            firmware="efi",
            secure_boot=True,
            tpm=True,
            labels={"app": "ad", "env": "prod"},
            nics=[_vs_nic("WIN-DC02", 0, "prod-vlan-93", model="e1000e", ip="10.93.0.6")],
            devices=[Device(kind="tpm", label="Virtual TPM")],
        ),
        _vs_vm(
            "SQL_Reporting (old)",
            11,
            os=WIN2012,
            host="host-33",
            cpus=4,
            mem=16384,
            labels={"app": "reporting", "env": "prod"},
            tools_status="toolsOld",
        ),
        _vs_vm(
            "gpu-render-01",
            12,
            os=RHEL8,
            host="host-33",
            cpus=16,
            mem=65536,
            labels={"app": "render"},
            devices=[Device(kind="pci_passthrough", label="PCI device 0", detail={"id": "0000:3b:00.0"})],
        ),
        _vs_vm(
            "dev-sandbox-01",
            13,
            os=CENTOS7,
            host="host-33",
            labels={"env": "dev", "owner": "alice"},
            snapshots=[
                Snapshot(id="snapshot-1", name="before-upgrade", created_at=datetime(2025, 3, 1, tzinfo=UTC)),
                Snapshot(
                    id="snapshot-2",
                    name="after-upgrade",
                    parent="snapshot-1",
                    created_at=datetime(2025, 3, 2, tzinfo=UTC),
                ),
            ],
            devices=[Device(kind="cdrom", label="CD/DVD drive 1", connected=True, iso="[ds-prod-01] iso/centos7.iso")],
        ),
        _vs_vm(
            "dev-sandbox-02",
            14,
            os=CENTOS7,
            host="host-33",
            labels={"env": "dev", "owner": "bob"},
            power_state=PowerState.OFF,
            tools_status="toolsNotRunning",
            guest_ips=[],
            devices=[Device(kind="usb_controller", label="USB xHCI controller")],
        ),
        _vs_vm(
            "monitoring-01",
            15,
            os=RHEL9,
            host="host-31",
            labels={"app": "monitoring", "env": "prod"},
            nics=[
                _vs_nic("monitoring-01", 0, "prod-vlan-93", ip="10.93.0.40"),
                _vs_nic("monitoring-01", 1, "backup", ip="10.94.0.40"),
            ],
        ),
        _vs_vm("ft-gateway", 16, os=RHEL8, host="host-32", fault_tolerance=True, labels={"app": "gateway"}),
        _vs_vm(
            "old-mail",
            17,
            os=RHEL6,
            host="host-33",
            labels={"app": "mail", "env": "prod"},
            guest_filesystems=[
                GuestFilesystem(path="/", capacity_bytes=38 * GIB, free_bytes=50 * 1024**2, disk_key="2000")
            ],
            disks=[
                _vs_disk("old-mail", 0, 40, 0.98, "ds-prod-01"),
                _vs_disk("old-mail", 1, 20, 0.5, "ds-local", mode="independent_nonpersistent"),
            ],
        ),
        _vs_vm(
            "jumpbox",
            18,
            os=RHEL9,
            host="host-31",
            labels={"env": "prod"},
            nics=[_vs_nic("jumpbox", 0, "VM Network", model="e1000", ip="192.168.1.20")],
            cpu_hot_add=True,
            memory_hot_add=True,
        ),
        _vs_vm(
            "test-web-01",
            19,
            os=RHEL9,
            host="host-32",
            labels={"app": "shop", "env": "test"},
            disks=[_vs_disk("test-web-01", 0, 20, 0.3, "ds-prod-02")],
        ),
        _vs_vm(
            "test-web-02",
            20,
            os=RHEL9,
            host="host-32",
            labels={"app": "shop", "env": "test"},
            disks=[_vs_disk("test-web-02", 0, 20, 0.3, "ds-prod-02")],
        ),
        _vs_vm("tmpl-rhel9", 21, os=RHEL9, host="host-31", template=True, power_state=PowerState.OFF),
    ]
    return Inventory(
        source=Source(
            name="vcenter-dc1",
            kind=SourceKind.VSPHERE,
            endpoint="vcenter.dc1.example.com",
            collected_at=COLLECTED,
            api_version="8.0.2",
        ),
        datacenters=[Datacenter(id="datacenter-2", name="DC1")],
        clusters=[
            Cluster(
                id="domain-c8",
                name="prod-cluster",
                datacenter="datacenter-2",
                ha_enabled=True,
                drs_enabled=True,
                dpm_enabled=False,
                affinity_rules=[
                    AffinityRule(name="ad-apart", kind="vm_anti_affinity", enabled=True, vms=["vm-109", "vm-110"])
                ],
            ),
            Cluster(
                id="domain-c9",
                name="dev-cluster",
                datacenter="datacenter-2",
                ha_enabled=False,
                drs_enabled=False,
                dpm_enabled=False,
            ),
        ],
        hosts=[
            Host(
                id=h,
                name=f"esx{i:02d}.dc1.example.com",
                cluster="domain-c8" if i < 3 else "domain-c9",
                datacenter="datacenter-2",
                in_maintenance=False,
                connection_state="connected",
                cpu_cores=32,
                cpu_mhz=2600,
                memory_bytes=512 * GIB,
                version="8.0.2",
            )
            for i, h in enumerate(("host-31", "host-32", "host-33"), start=1)
        ],
        datastores=[
            Datastore(
                id="datastore-11",
                name="ds-prod-01",
                type="VMFS",
                capacity_bytes=4096 * GIB,
                free_bytes=1500 * GIB,
                datacenter="datacenter-2",
            ),
            Datastore(
                id="datastore-12",
                name="ds-prod-02",
                type="VMFS",
                capacity_bytes=8192 * GIB,
                free_bytes=2500 * GIB,
                datacenter="datacenter-2",
            ),
            Datastore(
                id="datastore-13",
                name="ds-local",
                type="VMFS",
                capacity_bytes=900 * GIB,
                free_bytes=400 * GIB,
                datacenter="datacenter-2",
            ),
        ],
        networks=[
            Network(id="network-7", name="VM Network", kind="standard", datacenter="datacenter-2"),
            Network(
                id="dvportgroup-21",
                name="prod-vlan-93",
                kind="distributed_portgroup",
                vlan="93",
                switch="dvs-prod",
                datacenter="datacenter-2",
            ),
            Network(
                id="dvportgroup-22",
                name="backup",
                kind="distributed_portgroup",
                vlan="94",
                switch="dvs-prod",
                datacenter="datacenter-2",
            ),
        ],
        vms=vms,
    )
