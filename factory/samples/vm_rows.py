"""Rows of the per-VM sheets (vInfo, vCPU, vMemory, vDisk, vPartition, vNetwork, vCD, vUSB,
vSnapshot, vTools), keyed by RVTools 4.7 header names, written as RVTools writes values."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from factory.samples.estate import VM, Estate


def tf(value: bool) -> str:
    """RVTools' boolean cells."""
    return "True" if value else "False"


def flag(value: bool) -> str:
    """CBT and EnableUUID: ``TRUE`` or blank."""
    return "TRUE" if value else ""


class VmRows:
    """Mixed into the generator's writer, which supplies :meth:`date`."""

    def date(self, value: datetime) -> Any:
        raise NotImplementedError

    def _vm(self, estate: Estate, vm: VM) -> dict[str, Any]:
        vc = estate.vcenter
        row = {
            "VM": vm.name,
            "Powerstate": vm.power,
            "Template": tf(vm.template),
            "SRM Placeholder": "False",
            "Annotation": vm.annotation,
            "Datacenter": vm.datacenter,
            "Cluster": vm.cluster,
            "Host": vm.host,
            "Folder": vm.folder,
            "OS according to the configuration file": vm.os_config,
            "OS according to the VMware Tools": vm.os_tools,
            "OS according to the VMware tools": vm.os_tools,
            "VM ID": vm.moref,
            "VMRef": vm.moref,
            "VM UUID": vm.uuid,
            "VI SDK Server": vc.server,
            "VI SDK UUID": vc.uuid,
        }
        row.update(vm.labels)
        return row

    @staticmethod
    def _folder(vm: VM) -> str:
        return f"[{vm.disks[0].datastore if vm.disks else 'datastore1'}] {vm.name}"

    def _vInfo(self, estate: Estate) -> Iterator[dict[str, Any]]:
        vc = estate.vcenter
        for vm in estate.vms:
            row = self._vm(estate, vm)
            row.update(
                {
                    "Config status": "green",
                    "DNS Name": vm.dns_name,
                    "Connection state": "connected",
                    "Guest state": "running" if vm.power == "poweredOn" else "notRunning",
                    "Consolidation Needed": tf(vm.consolidation_needed),
                    "Creation date": self.date(datetime(2023, 1, 2, 3, 4, 5)),
                    "CPUs": vm.cpus,
                    "Memory": vm.memory_mib,
                    "NICs": len(vm.nics),
                    "Disks": len(vm.disks),
                    "Total disk capacity MiB": sum(d.capacity_mib for d in vm.disks),
                    "Fixed Passthru HotPlug": "False",
                    "EnableUUID": flag(vm.enable_uuid),
                    "CBT": flag(vm.cbt),
                    "Primary IP Address": vm.primary_ip,
                    "Folder ID": "group-v4",
                    "vApp": vm.vapp,
                    "FT State": vm.ft_state,
                    "Provisioned MiB": sum(d.capacity_mib for d in vm.disks) + vm.memory_mib,
                    "In Use MiB": sum(p.consumed_mib for p in vm.partitions),
                    "EFI Secure boot": tf(vm.secure_boot),
                    "Firmware": vm.firmware,
                    "HW version": 19,
                    "Path": f"{self._folder(vm)}/{vm.name}.vmx",
                    "SMBIOS UUID": vm.smbios_uuid,
                    "VI SDK Server type": vc.fullname,
                    "VI SDK API Version": vc.api_version,
                }
            )
            for n, nic in enumerate(vm.nics[:8], start=1):
                row[f"Network #{n}"] = nic.network
            yield row

    def _vCPU(self, estate: Estate) -> Iterator[dict[str, Any]]:
        for vm in estate.vms:
            row = self._vm(estate, vm)
            sockets = max(1, vm.cpus // max(1, vm.cores_per_socket))
            row.update(
                {
                    "CPUs": vm.cpus,
                    "Sockets": sockets,
                    "Cores p/s": vm.cores_per_socket,
                    "Level": "normal",
                    "Shares": 1000 * vm.cpus,
                    "Reservation": 0,
                    "Limit": -1,
                    "Hot Add": tf(vm.cpu_hot_add),
                    "Hot Remove": tf(vm.cpu_hot_remove),
                    "Numa Hotadd Exposed": "False",
                }
            )
            yield row

    def _vMemory(self, estate: Estate) -> Iterator[dict[str, Any]]:
        for vm in estate.vms:
            row = self._vm(estate, vm)
            row.update({"Size MiB": vm.memory_mib, "Reservation": 0, "Limit": -1, "Hot Add": tf(vm.memory_hot_add)})
            yield row

    def _vDisk(self, estate: Estate) -> Iterator[dict[str, Any]]:
        for vm in estate.vms:
            for d in vm.disks:
                row = self._vm(estate, vm)
                row.update(
                    {
                        "Disk": d.label,
                        "Disk Key": d.key,
                        "Disk UUID": f"6000C29{d.key:x}-{vm.uuid[4:]}",
                        "Disk Path": d.path,
                        "Capacity MiB": d.capacity_mib,
                        "Raw": tf(d.raw),
                        "Disk Mode": d.mode,
                        "Sharing mode": d.sharing,
                        "Thin": tf(d.thin),
                        "Eagerly Scrub": "False",
                        "Split": "False",
                        "Write Through": "False",
                        "Controller": d.controller,
                        "Label": d.controller_label,
                        "SCSI Unit #": 7,
                        "Unit #": d.unit,
                        "Shared Bus": d.shared_bus,
                        "Raw Comp. Mode": d.raw_mode,
                    }
                )
                yield row

    def _vPartition(self, estate: Estate) -> Iterator[dict[str, Any]]:
        for vm in estate.vms:
            for p in vm.partitions:
                row = self._vm(estate, vm)
                free = p.capacity_mib - p.consumed_mib
                row.update(
                    {
                        "Disk Key": "" if p.disk_key is None else p.disk_key,
                        "Disk": p.path,
                        "Capacity MiB": p.capacity_mib,
                        "Consumed MiB": p.consumed_mib,
                        "Free MiB": free,
                        "Free %": round(100 * free / p.capacity_mib) if p.capacity_mib else 0,
                    }
                )
                yield row

    def _vNetwork(self, estate: Estate) -> Iterator[dict[str, Any]]:
        for vm in estate.vms:
            for nic in vm.nics:
                row = self._vm(estate, vm)
                row.update(
                    {
                        "NIC label": nic.label,
                        "Adapter": nic.adapter,
                        "Network": nic.network,
                        "Switch": nic.switch,
                        "Connected": tf(nic.connected),
                        "Starts Connected": tf(nic.starts_connected),
                        "Mac Address": nic.mac,
                        "Type": "assigned",
                        "IPv4 Address": nic.ipv4,
                        "IPv6 Address": nic.ipv6,
                        "Direct Path IO": tf(nic.adapter == "Vmxnet3"),
                    }
                )
                yield row

    def _vCD(self, estate: Estate) -> Iterator[dict[str, Any]]:
        for vm in estate.vms:
            for cd in vm.cds:
                row = self._vm(estate, vm)
                row.update(
                    {
                        "Device Node": cd.node,
                        "Connected": tf(cd.connected),
                        "Starts Connected": tf(cd.starts_connected),
                        "Device Type": cd.device_type,
                    }
                )
                yield row

    def _vUSB(self, estate: Estate) -> Iterator[dict[str, Any]]:
        for vm in estate.vms:
            for usb in vm.usbs:
                row = self._vm(estate, vm)
                row.update(
                    {
                        "Device Node": usb.node,
                        "Device Type": usb.device_type,
                        "Connected": tf(usb.connected),
                        "Family": "usb3",
                        "Speed": "superSpeed",
                        "EHCI enabled": "True",
                        "Auto connect": "True",
                        "Bus number": 0,
                        "Unit number": 0,
                    }
                )
                yield row

    def _vSnapshot(self, estate: Estate) -> Iterator[dict[str, Any]]:
        for vm in estate.vms:
            for s in vm.snapshots:
                row = self._vm(estate, vm)
                row.update(
                    {
                        "Name": s.name,
                        "Description": s.description,
                        "Date / time": self.date(s.created),
                        "Filename": f"{self._folder(vm)}/{vm.name}-Snapshot1.vmsn",
                        "Size MiB (vmsn)": 0.02,
                        "Size MiB (total)": s.size_mib,
                        "Quiesced": "False",
                        "State": s.state,
                    }
                )
                yield row

    def _vTools(self, estate: Estate) -> Iterator[dict[str, Any]]:
        for vm in estate.vms:
            row = self._vm(estate, vm)
            row.update(
                {
                    "VM Version": "vmx-19",
                    "Tools": vm.tools,
                    "Tools Version": 12352,
                    "Upgradeable": "No",
                    "Upgrade Policy": "manual",
                }
            )
            yield row
