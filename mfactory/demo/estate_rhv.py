"""The demo's RHV-like source (``rhv-engine``): a finance app grouped by label, CPU pinning and
ballooning, an Oracle VM on a shared direct LUN with SCSI reservation, a passthrough vNIC,
Windows with EFI and secure boot, illegal images, HA with pinned placement, an in-memory
snapshot, an IDE disk and RHEL 6. Written to JSON by :mod:`mfactory.demo.estate_build`."""

from __future__ import annotations

from factory.model import (
    VM,
    Cluster,
    Datacenter,
    Datastore,
    Disk,
    Host,
    Inventory,
    Network,
    Nic,
    OvirtVmFacts,
    PowerState,
    Snapshot,
    Source,
    SourceKind,
    VnicProfile,
)
from mfactory.demo.estate_common import COLLECTED, GIB, mac, uuid


def _ov_id(seed: str) -> str:
    return uuid("rhv-" + seed)


def _ov_vm(name: str, *, os: str, cluster: str = "prod", facts: dict | None = None, **kw: object) -> VM:
    disks = kw.pop("disks", None) or [
        Disk(
            key=_ov_id(name + "-d0"),
            label=f"{name}_Disk1",
            capacity_bytes=50 * GIB,
            used_bytes=22 * GIB,
            datastore=_ov_id("sd-data1"),
            datastore_name="rhv-data-01",
            mode="persistent",
            rdm=False,
            shared=False,
            thin=True,
            bus="virtio_scsi",
            status="ok",
            storage_type="image",
            format="cow",
        )
    ]
    nics = kw.pop("nics", None) or [
        Nic(
            key=_ov_id(name + "-n0"),
            label="nic1",
            model="virtio",
            mac=mac("ov" + name),
            network=_ov_id("net-ovirtmgmt"),
            network_name="ovirtmgmt",
            connected=True,
            plugged=True,
            profile=_ov_id("prof-ovirtmgmt"),
        )
    ]
    ovirt = OvirtVmFacts(
        status="up",
        os_type=os,
        bios_type="q35_sea_bios",
        ballooned_memory=False,
        boot_menu_enabled=False,
        cpu_shares=0,
        display_type="vnc",
        ha_enabled=False,
        has_illegal_images=False,
        io_threads=1,
        storage_error_resume_behaviour="auto_resume",
        usb_enabled=False,
    )
    if facts:
        ovirt = ovirt.model_copy(update=facts)
    fields: dict = {
        "id": _ov_id(name),
        "source": "rhv-engine",
        "name": name,
        "uuid": _ov_id(name),
        "power_state": PowerState.ON,
        "cpus": 2,
        "cores_per_socket": 1,
        "memory_mib": 4096,
        "firmware": "bios",
        "secure_boot": False,
        "guest_id": os,
        "guest_name": os,
        "host": _ov_id("host-a" if cluster == "prod" else "host-c"),
        "cluster": _ov_id("cl-" + cluster),
        "datacenter": _ov_id("dc"),
        "guest_hostname": f"{name}.rhv.example.com",
        "disks": disks,
        "nics": nics,
        "snapshots": [],
        "devices": [],
        "ovirt": ovirt,
    }
    fields.update(kw)
    return VM(**fields)


def ovirt() -> Inventory:
    finance = {"app": "finance", "env": "prod"}
    vms = [
        _ov_vm("fin-web-01", os="rhel_8x64", labels=finance),
        _ov_vm("fin-web-02", os="rhel_8x64", labels=finance),
        _ov_vm(
            "fin-batch-01",
            os="rhel_9x64",
            labels=finance,
            cpus=8,
            memory_mib=16384,
            facts={"cpu_pinning_policy": "dedicated", "ballooned_memory": True},
        ),
        _ov_vm(
            "fin-oracle-01",
            os="rhel_8x64",
            labels=finance,
            cpus=16,
            memory_mib=65536,
            disks=[
                Disk(
                    key=_ov_id("ora-d0"),
                    label="ora_boot",
                    capacity_bytes=60 * GIB,
                    used_bytes=30 * GIB,
                    datastore=_ov_id("sd-data1"),
                    datastore_name="rhv-data-01",
                    bus="virtio_scsi",
                    thin=True,
                    status="ok",
                    storage_type="image",
                    format="cow",
                    shared=False,
                    rdm=False,
                ),
                Disk(
                    key=_ov_id("ora-lun"),
                    label="ora_asm",
                    capacity_bytes=1024 * GIB,
                    bus="virtio_scsi",
                    status="ok",
                    storage_type="lun",
                    shared=True,
                    scsi_reservation=True,
                    rdm=False,
                    lun_sizes=[1024 * GIB],
                ),
            ],
        ),
        _ov_vm(
            "nfv-router-01",
            os="rhel_8x64",
            labels={"app": "network", "env": "prod"},
            nics=[
                Nic(
                    key=_ov_id("nfv-n0"),
                    label="nic1",
                    model="pci_passthrough",
                    mac=mac("nfv"),
                    network=_ov_id("net-sriov"),
                    network_name="sriov-uplink",
                    connected=True,
                    plugged=True,
                    profile=_ov_id("prof-sriov"),
                )
            ],
        ),
        _ov_vm(
            "win-app-01",
            os="windows_2019x64",
            labels={"app": "crm", "env": "prod"},
            firmware="efi",
            facts={"bios_type": "q35_ovmf", "display_type": "spice"},
        ),
        _ov_vm(
            "win11-kiosk",
            os="windows_11",
            labels={"app": "kiosk", "env": "prod"},
            firmware="efi",
            secure_boot=True,
            facts={"bios_type": "q35_secure_boot"},
        ),
        _ov_vm(
            "broken-restore",
            os="rhel_7x64",
            labels={"env": "test"},
            facts={"has_illegal_images": True, "status": "down"},
            power_state=PowerState.OFF,
        ),
        _ov_vm(
            "ha-proxy-01",
            os="rhel_9x64",
            labels={"app": "edge", "env": "prod"},
            facts={"ha_enabled": True, "placement_policy_affinity": "pinned"},
        ),
        _ov_vm(
            "qa-runner-01",
            os="rhel_9x64",
            cluster="qa",
            labels={"env": "test", "app": "qa"},
            snapshots=[Snapshot(id=_ov_id("snap-qa"), name="clean-state", persist_memory=True)],
        ),
        _ov_vm(
            "qa-runner-02",
            os="rhel_9x64",
            cluster="qa",
            labels={"env": "test", "app": "qa"},
            disks=[
                Disk(
                    key=_ov_id("qa2-d0"),
                    label="qa2_Disk1",
                    capacity_bytes=30 * GIB,
                    used_bytes=8 * GIB,
                    datastore=_ov_id("sd-data2"),
                    datastore_name="rhv-data-02",
                    bus="ide",
                    thin=True,
                    status="ok",
                    storage_type="image",
                    format="raw",
                    shared=False,
                    rdm=False,
                )
            ],
        ),
        _ov_vm(
            "old-ldap",
            os="rhel_6x64",
            cluster="qa",
            labels={"app": "ldap", "env": "test"},
            nics=[
                Nic(
                    key=_ov_id("ldap-n0"),
                    label="nic1",
                    model="rtl8139",
                    mac=mac("ldap"),
                    network=_ov_id("net-ovirtmgmt"),
                    network_name="ovirtmgmt",
                    connected=True,
                    plugged=True,
                    profile=_ov_id("prof-ovirtmgmt"),
                )
            ],
        ),
    ]
    return Inventory(
        source=Source(
            name="rhv-engine",
            kind=SourceKind.OVIRT,
            endpoint="https://rhvm.example.com/ovirt-engine/api",
            collected_at=COLLECTED,
            api_version="4.5.5",
        ),
        datacenters=[Datacenter(id=_ov_id("dc"), name="Default")],
        clusters=[
            Cluster(
                id=_ov_id("cl-prod"),
                name="prod",
                datacenter=_ov_id("dc"),
                ksm_enabled=False,
                ha_reservation=False,
                bios_type="q35_sea_bios",
                cpu_type="Intel Icelake Server Family",
            ),
            Cluster(
                id=_ov_id("cl-qa"),
                name="qa",
                datacenter=_ov_id("dc"),
                ksm_enabled=True,
                ha_reservation=True,
                bios_type="q35_sea_bios",
                cpu_type="Intel Cascadelake Server Family",
            ),
        ],
        hosts=[
            Host(
                id=_ov_id(f"host-{c}"),
                name=f"rhvh-{c}.example.com",
                cluster=_ov_id("cl-prod" if c < "c" else "cl-qa"),
                datacenter=_ov_id("dc"),
                in_maintenance=False,
                connection_state="up",
                cpu_cores=48,
                memory_bytes=768 * GIB,
                version="4.5.5",
            )
            for c in ("a", "b", "c")
        ],
        datastores=[
            Datastore(
                id=_ov_id("sd-data1"),
                name="rhv-data-01",
                type="nfs",
                capacity_bytes=10240 * GIB,
                free_bytes=4000 * GIB,
                datacenter=_ov_id("dc"),
            ),
            Datastore(
                id=_ov_id("sd-data2"),
                name="rhv-data-02",
                type="iscsi",
                capacity_bytes=4096 * GIB,
                free_bytes=1024 * GIB,
                datacenter=_ov_id("dc"),
            ),
        ],
        networks=[
            Network(id=_ov_id("net-ovirtmgmt"), name="ovirtmgmt", kind="ovirt", datacenter=_ov_id("dc")),
            Network(id=_ov_id("net-sriov"), name="sriov-uplink", kind="ovirt", vlan="200", datacenter=_ov_id("dc")),
        ],
        vnic_profiles=[
            VnicProfile(
                id=_ov_id("prof-ovirtmgmt"),
                name="ovirtmgmt",
                network=_ov_id("net-ovirtmgmt"),
                pass_through=False,
                port_mirroring=False,
            ),
            VnicProfile(
                id=_ov_id("prof-sriov"),
                name="sriov-passthrough",
                network=_ov_id("net-sriov"),
                pass_through=True,
                port_mirroring=False,
            ),
        ],
        vms=vms,
    )
