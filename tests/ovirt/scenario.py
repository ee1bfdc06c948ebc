"""The planted engine inventory: one input for every ``ovirt.*`` concern, each on a VM whose
name says what it carries, next to plain VMs that carry none of them."""

from __future__ import annotations

from tests.peers.ovirt_engine.inventory import (
    EngineInventory,
    GiB,
    make_attachment,
    make_cluster,
    make_datacenter,
    make_disk,
    make_host,
    make_network,
    make_nic,
    make_snapshot,
    make_storage_domain,
    make_vm,
    make_vnic_profile,
    uid,
)

FILTER_ID = uid("filter", "no-mac-spoofing")
QOS_ID = uid("qos", "limit-100m")


def planted() -> EngineInventory:
    inv = EngineInventory(full_version="4.5.5-1.el8")
    dc = make_datacenter(0, "Default")
    inv.add("datacenters", dc)
    affinity = [
        {"id": uid("ag", "web"), "name": "web-together", "enforcing": True, "positive": True, "priority": 1,
         "vms_rule": {"enabled": True, "positive": True, "enforcing": True},
         "hosts_rule": {"enabled": False, "positive": False, "enforcing": False},
         "vms": [uid("vm", "web1"), uid("vm", "web2")], "hosts": []},
        {"id": uid("ag", "db"), "name": "db-on-host1", "enforcing": False, "positive": True, "priority": 1,
         "vms_rule": {"enabled": False, "positive": False, "enforcing": False},
         "hosts_rule": {"enabled": True, "positive": True, "enforcing": False},
         "vms": [uid("vm", "rhel6-legacy")], "hosts": [uid("host", 1)]},
    ]  # fmt: skip
    secure = make_cluster(0, dc["id"], ksm=True, ha_reservation=True, bios_type="q35_secure_boot",
                          cpu_type="Secure Intel Cascadelake Server Family")  # fmt: skip
    plain = make_cluster(1, dc["id"], bios_type="q35_ovmf", affinity_groups=affinity)
    inv.add("clusters", secure, plain)
    inv.add("hosts", make_host(0, secure["id"]), make_host(1, plain["id"]),
            make_host(2, plain["id"], status="maintenance"))  # fmt: skip
    nfs = make_storage_domain(0, dc["id"], storage="nfs", available=3000 * GiB, used=1000 * GiB)
    iscsi = make_storage_domain(1, dc["id"], storage="iscsi", available=500 * GiB, used=1500 * GiB)
    inv.add("storagedomains", nfs, iscsi)
    mgmt = make_network(0, dc["id"], name="ovirtmgmt")
    prod = make_network(1, dc["id"], vlan=100, name="prod")
    inv.add("networks", mgmt, prod)
    inv.add("networkfilters", {"id": FILTER_ID, "name": "vdsm-no-mac-spoofing", "version": {"major": 4}})
    inv.add("qoss", {"id": QOS_ID, "name": "limit-100m", "type": "network", "inbound_average": 100})
    profiles = {
        "plain": make_vnic_profile(0, mgmt["id"], name="ovirtmgmt"),
        "passthrough": make_vnic_profile(1, prod["id"], name="prod-sriov", pass_through=True),
        "mirror": make_vnic_profile(2, prod["id"], name="prod-mirror", port_mirroring=True),
        "qos": make_vnic_profile(3, prod["id"], name="prod-qos", qos=QOS_ID),
        "filter": make_vnic_profile(4, prod["id"], name="prod-filtered", network_filter=FILTER_ID),
        "custom": make_vnic_profile(5, prod["id"], name="prod-custom", custom_properties={"SecurityGroups": "sg-1"}),
    }
    inv.add("vnicprofiles", *profiles.values())

    def disks(*items: tuple[dict, dict]) -> list[dict]:
        inv.add("disks", *(d for d, _ in items))
        return [make_attachment(d, **kw) for d, kw in items]

    p = {k: v["id"] for k, v in profiles.items()}
    heavy = make_vm(
        "kitchen-sink", secure["id"], host=uid("host", 0), os_type="windows_2022", bios_type="q35_secure_boot",
        memory=16 * GiB, sockets=2, cores=4, threads=2, description="every oVirt-only setting at once",
        bios={"type": "q35_secure_boot", "boot_menu": {"enabled": True}},
        memory_policy={"ballooning": True, "guaranteed": 8 * GiB}, custom_cpu_model="Skylake-Server,+pcid",
        cpu_pinning_policy="resize_and_pin_numa", cpu_shares=1024,
        cpu={"architecture": "x86_64", "topology": {"sockets": 2, "cores": 4, "threads": 2},
             "cpu_tune": {"vcpu_pins": [{"vcpu": 0, "cpu_set": "0-1"}, {"vcpu": 1, "cpu_set": "6,^7"}]}},
        custom_properties=[{"name": "hugepages", "value": "1048576"}, {"name": "sap_agent", "value": "true"}],
        display={"type": "spice"}, high_availability={"enabled": True, "priority": 50}, has_illegal_images=True,
        io={"threads": 4}, placement_policy={"affinity": "migratable"},
        storage_error_resume_behaviour="leave_paused", usb={"enabled": True, "type": "native"}, tpm_enabled=True,
        guest_operating_system={"distribution": "Microsoft Windows Server 2022",
                                "version": {"full_version": "10.0.20348"}},
        numa_nodes=[{"id": uid("numa", "ks0"), "index": 0, "memory": 8192, "numa_node_pins": [{"index": 1}]}],
        watchdogs=[{"id": uid("wd", "ks"), "action": "reset", "model": "i6300esb"}],
        host_devices=[{"id": uid("hd", "ks"), "name": "pci_0000_3b_00_0", "capability": "pci",
                       "product": {"id": "0x1eb8", "name": "Tesla T4"}, "vendor": {"id": "0x10de", "name": "NVIDIA"}}],
        cdroms=[{"id": uid("cdrom", "ks"), "file": {"id": "virtio-win-1.9.40.iso"}}],
        snapshots=[make_snapshot("kitchen-sink", 1, description="with memory", memory=True),
                   make_snapshot("kitchen-sink", 2, description="disk only")],
        nics=[make_nic("kitchen-sink", 0, p["passthrough"], interface="pci_passthrough"),
              make_nic("kitchen-sink", 1, p["mirror"], interface="rtl8139", plugged=False, linked=False),
              make_nic("kitchen-sink", 2, p["qos"], interface="e1000"),
              make_nic("kitchen-sink", 3, p["filter"], ips=["10.1.0.5", "fe80::1"]),
              make_nic("kitchen-sink", 4, p["custom"], interface="spapr_vlan")],
        disk_attachments=disks(
            (make_disk("ks-ide", size=40 * GiB, actual=12 * GiB, sd=nfs["id"], status="illegal"),
             {"interface": "ide", "bootable": True}),
            (make_disk("ks-lun", storage_type="lun", shareable=True, lun_sizes=[10 * GiB, 0]),
             {"interface": "virtio_scsi", "scsi_reservation": True}),
            (make_disk("ks-cinder", storage_type="cinder", status="locked", size=5 * GiB), {"interface": "virtio"}),
            (make_disk("ks-raw", size=100 * GiB, actual=100 * GiB, sd=iscsi["id"], fmt="raw", sparse=False),
             {"interface": "sata"}),
        ),
    )  # fmt: skip
    legacy = make_vm(
        "rhel6-legacy", plain["id"], status="down", os_type="rhel_6x64", bios_type="i440fx_sea_bios",
        nics=[make_nic("rhel6-legacy", 0, p["plain"])],
        disk_attachments=disks((make_disk("legacy-0", sd=nfs["id"]), {"interface": "virtio", "bootable": True})),
    )  # fmt: skip
    locked = make_vm(
        "image-locked", secure["id"], status="image_locked", bios_type="cluster_default",
        disk_attachments=disks((make_disk("locked-0", sd=nfs["id"], size=0), {"interface": "virtio_scsi"})),
    )  # fmt: skip
    suspended = make_vm("suspended-app", plain["id"], status="suspended", bios_type="cluster_default")
    web1 = make_vm(
        "web1", plain["id"], host=uid("host", 1), nics=[make_nic("web1", 0, p["plain"], ips=["192.168.1.10"])],
        disk_attachments=disks((make_disk("web1-0", sd=nfs["id"]), {"interface": "virtio_scsi", "bootable": True})),
    )  # fmt: skip
    web2 = make_vm("web2", plain["id"], host=uid("host", 1), status="migrating")
    inv.add("vms", heavy, legacy, locked, suspended, web1, web2)
    return inv
