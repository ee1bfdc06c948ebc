"""Regenerate ``sample-rvtools.xlsx``: the bundled RVTools export the README and the demo use.

    python -m factory.samples.make_sample [OUTPUT]

A small, believable estate: 39 VMs of 8 applications (and a template) across two clusters, with the
custom attributes ``app``, ``owner`` and ``env``, and the things a migration review must
catch: snapshots, an RDM, an independent disk, a multi-writer shared disk pair, E1000 NICs,
EFI with secure boot, a mounted ISO, a USB controller, a nearly full filesystem, a
template, and a VM name that is not a valid Kubernetes (DNS-1123) name.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from factory.samples import SAMPLE_RVTOOLS
from factory.samples.estate import (
    VM,
    Cd,
    Cluster,
    Datastore,
    Disk,
    Estate,
    Host,
    Nic,
    Partition,
    Portgroup,
    Snapshot,
    Usb,
    VCenter,
)
from factory.samples.generator import write_xlsx

# app, owner, env, count, cpus, memory MiB, guest OS
APPS = (
    ("billing", "finance-it", "prod", 6, 4, 16384, "Red Hat Enterprise Linux 8 (64-bit)"),
    ("crm", "sales-apps", "prod", 5, 4, 8192, "Microsoft Windows Server 2019 (64-bit)"),
    ("intranet", "workplace", "prod", 5, 2, 4096, "Ubuntu Linux (64-bit)"),
    ("reporting", "data-team", "prod", 5, 8, 32768, "Red Hat Enterprise Linux 9 (64-bit)"),
    ("hr-portal", "people-it", "test", 4, 2, 8192, "Microsoft Windows Server 2022 (64-bit)"),
    ("ci", "platform", "dev", 5, 4, 8192, "Rocky Linux (64-bit)"),
    ("mail", "workplace", "prod", 4, 4, 16384, "Red Hat Enterprise Linux 7 (64-bit)"),
    ("sqlcluster", "dba", "prod", 5, 8, 65536, "Microsoft Windows Server 2016 (64-bit)"),
)


def build() -> Estate:
    vc = VCenter(server="vcenter.corp.example", uuid="3c9a7d2e-5b41-4f0e-8d6a-2f7e1b9c4a10")
    clusters = [Cluster("Prod-Cluster", "domain-c8"), Cluster("Dev-Cluster", "domain-c9", drs=False)]
    hosts = [Host(f"esx0{i}.corp.example", f"host-{20 + i}", "Datacenter-East", "Prod-Cluster") for i in range(1, 5)]
    hosts += [Host(f"esx1{i}.corp.example", f"host-{30 + i}", "Datacenter-East", "Dev-Cluster") for i in range(1, 3)]
    hosts[3].maintenance = True
    datastores = [
        Datastore("prod-vmfs-01", "datastore-101", capacity_mib=8388608, free_mib=2097152),
        Datastore("prod-vmfs-02", "datastore-102", capacity_mib=8388608, free_mib=1048576),
        Datastore("dev-nfs-01", "datastore-103", type="NFS", capacity_mib=4194304, free_mib=3145728),
        Datastore("iso-library", "datastore-104", type="NFS", capacity_mib=1048576, free_mib=524288),
    ]
    portgroups = [
        Portgroup("pg-app-110", "dvs-east", "110", "dvportgroup-51"),
        Portgroup("pg-db-120", "dvs-east", "120", "dvportgroup-52"),
        Portgroup("pg-dmz-130", "dvs-east", "130", "dvportgroup-53"),
    ]
    estate = Estate(
        vcenter=vc,
        attributes=["app", "owner", "env"],
        hosts=hosts,
        clusters=clusters,
        datastores=datastores,
        portgroups=portgroups,
        exported_at=datetime(2025, 3, 14, 9, 30, 0),
    )
    n = 0
    for app, owner, env, count, cpus, memory, os_name in APPS:
        for i in range(1, count + 1):
            n += 1
            dev = env != "prod"
            host = hosts[4 + n % 2] if dev else hosts[n % 3]
            ds = "dev-nfs-01" if dev else f"prod-vmfs-0{1 + n % 2}"
            name = f"{app}-{i:02d}"
            windows = "Windows" in os_name
            disks = [Disk(2000, 61440 if windows else 40960, ds, f"[{ds}] {name}/{name}.vmdk")]
            if app in ("reporting", "sqlcluster", "billing"):
                disks.append(Disk(2001, 204800, ds, f"[{ds}] {name}/{name}_1.vmdk", unit=1))
            network = {"sqlcluster": "pg-db-120", "intranet": "pg-dmz-130"}.get(app, "pg-app-110")
            nics = [Nic("Network adapter 1", network, "dvs-east", f"00:50:56:8a:{n:02x}:01", ipv4=f"10.20.{n}.10")]
            partitions = [
                Partition("C:\\" if windows else "/", disks[0].capacity_mib - 512, disks[0].capacity_mib // 3, 2000)
            ]
            if len(disks) > 1:
                partitions.append(Partition("D:\\" if windows else "/data", 204000, 90000, 2001))
            vm = VM(
                name=name,
                moref=f"vm-{1000 + n}",
                uuid=f"5012{n:04x}-7d3c-4b1a-9e2f-{n:012x}",
                smbios_uuid=f"4212{n:04x}-7d3c-4b1a-9e2f-{n:012x}",
                datacenter="Datacenter-East",
                cluster=host.cluster,
                host=host.name,
                cpus=cpus,
                cores_per_socket=2 if cpus >= 4 else 1,
                memory_mib=memory,
                folder=f"/Datacenter-East/vm/{app}",
                annotation=f"{app} server {i} ({env}); contact {owner}@corp.example",
                labels={"app": app, "owner": owner, "env": env},
                os_config=os_name,
                os_tools=os_name,
                dns_name=f"{name}.corp.example",
                primary_ip=nics[0].ipv4,
                cbt=env == "prod",
                disks=disks,
                nics=nics,
                partitions=partitions,
                cds=[Cd("CD/DVD drive 1", "Remote ATAPI")],
            )
            estate.vms.append(vm)
    _add_risks(estate)
    return estate


def _add_risks(estate: Estate) -> None:
    vms = {vm.name: vm for vm in estate.vms}
    # Snapshots: one old, one with memory, one chain of two.
    vms["billing-02"].snapshots = [Snapshot("before-upgrade", datetime(2024, 11, 2, 22, 15), 20480.0)]
    vms["crm-01"].snapshots = [Snapshot("patch-tuesday", datetime(2025, 3, 11, 21, 0), 4096.0, state="poweredOn")]
    vms["ci-03"].snapshots = [
        Snapshot("golden", datetime(2024, 6, 1, 8, 0), 1024.0),
        Snapshot("golden-2", datetime(2025, 1, 15, 8, 0), 2048.0),
    ]
    # Storage: an RDM (physical), an independent disk, a multi-writer disk shared by two nodes.
    rdm = vms["reporting-01"].disks[1]
    rdm.raw, rdm.raw_mode, rdm.thin, rdm.path = True, "physicalMode", False, "[prod-vmfs-01] reporting-01/rdm.vmdk"
    vms["reporting-02"].disks[1].mode = "independent_persistent"
    for node in ("sqlcluster-01", "sqlcluster-02"):
        shared = vms[node].disks[1]
        shared.sharing, shared.thin, shared.shared_bus = "sharingMultiWriter", False, "physicalSharing"
        shared.path = "[prod-vmfs-02] sqlcluster-shared/quorum.vmdk"
    vms["mail-01"].disks[0].controller, vms["mail-01"].disks[0].controller_label = "LSI Logic", "SCSI controller 0"
    # NICs: legacy E1000 / E1000e adapters.
    vms["mail-02"].nics[0].adapter = "E1000"
    vms["hr-portal-01"].nics[0].adapter = "E1000e"
    # Firmware: EFI with secure boot on the Windows 2022 VMs, EFI without on reporting.
    for vm in estate.vms:
        if "2022" in vm.os_config:
            vm.firmware, vm.secure_boot = "efi", True
        elif vm.labels["app"] == "reporting":
            vm.firmware = "efi"
    # Devices: a mounted ISO, a USB controller.
    vms["intranet-03"].cds = [Cd("CD/DVD drive 1", "ISO [iso-library] images/rhel-8.9-x86_64-dvd.iso", True, True)]
    vms["ci-02"].usbs = [Usb("USB controller 1")]
    # A nearly full filesystem.
    vms["mail-03"].partitions[0].consumed_mib = vms["mail-03"].partitions[0].capacity_mib - 300
    # Power states, tools, hot-add, CBT/EnableUUID variety.
    vms["ci-05"].power, vms["ci-05"].tools = "poweredOff", "toolsNotRunning"
    vms["hr-portal-04"].power = "suspended"
    vms["mail-04"].tools = "toolsOld"
    vms["sqlcluster-03"].enable_uuid = True
    vms["billing-01"].cpu_hot_add = vms["billing-01"].memory_hot_add = True
    # A VM name Kubernetes will not take as is.
    odd = vms["crm-05"]
    odd.name, odd.dns_name = "CRM_Legacy App 05", "crmlegacy05.corp.example"
    # A template: counted by the import, never listed.
    template = VM(
        name="tpl-rhel9-golden",
        moref="vm-999",
        uuid="50129999-7d3c-4b1a-9e2f-000000000999",
        smbios_uuid="42129999-7d3c-4b1a-9e2f-000000000999",
        datacenter="Datacenter-East",
        cluster="Dev-Cluster",
        host="esx11.corp.example",
        power="poweredOff",
        template=True,
        disks=[Disk(2000, 20480, "dev-nfs-01", "[dev-nfs-01] tpl-rhel9-golden/tpl-rhel9-golden.vmdk")],
    )
    estate.vms.append(template)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else SAMPLE_RVTOOLS
    write_xlsx(build(), out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
