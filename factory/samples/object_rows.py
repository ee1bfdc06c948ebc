"""Rows of the object sheets (vSource, vCluster, vHost, dvPort, vDatastore, vMetaData)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from factory.samples.estate import Estate
from factory.samples.vm_rows import tf


class ObjectRows:
    """Mixed into the generator's writer, which supplies :meth:`date`."""

    def date(self, value: datetime) -> Any:
        raise NotImplementedError

    def _common(self, estate: Estate) -> dict[str, Any]:
        return {"VI SDK Server": estate.vcenter.server, "VI SDK UUID": estate.vcenter.uuid}

    def _vSource(self, estate: Estate) -> Iterator[dict[str, Any]]:
        vc = estate.vcenter
        yield {
            "Name": vc.server,
            "OS type": "linux-x64",
            "API type": "VirtualCenter",
            "API version": vc.api_version,
            "Version": vc.api_version.rsplit(".", 1)[0],
            "Fullname": vc.fullname,
            "Product name": "VMware VirtualCenter Server",
            "Vendor": "VMware, Inc.",
            **self._common(estate),
        }

    def _vCluster(self, estate: Estate) -> Iterator[dict[str, Any]]:
        for c in estate.clusters:
            hosts = [h for h in estate.hosts if h.cluster == c.name]
            yield {
                "Name": c.name,
                "Config status": "green",
                "OverallStatus": "green",
                "NumHosts": len(hosts),
                "numEffectiveHosts": len(hosts),
                "HA enabled": tf(c.ha),
                "DRS enabled": tf(c.drs),
                "DPM enabled": tf(c.dpm),
                "Object ID": c.moref,
                **self._common(estate),
            }

    def _vHost(self, estate: Estate) -> Iterator[dict[str, Any]]:
        for h in estate.hosts:
            yield {
                "Host": h.name,
                "Datacenter": h.datacenter,
                "Cluster": h.cluster,
                "Config status": "green",
                "in Maintenance Mode": tf(h.maintenance),
                "in Quarantine Mode": "False",
                "CPU Model": "Intel(R) Xeon(R) Gold 6348 CPU @ 2.60GHz",
                "Speed": h.mhz,
                "# CPU": 2,
                "Cores per CPU": h.cores // 2,
                "# Cores": h.cores,
                "# Memory": h.memory_mib,
                "ESX Version": h.version,
                "Object ID": h.moref,
                **self._common(estate),
            }

    def _dvPort(self, estate: Estate) -> Iterator[dict[str, Any]]:
        for p in estate.portgroups:
            yield {
                "Port": p.name,
                "Switch": p.switch,
                "Type": "earlyBinding",
                "# Ports": 128,
                "VLAN": p.vlan,
                "Allow Promiscuous": "False",
                "Mac Changes": "False",
                "Forged Transmits": "False",
                "Object ID": p.moref,
                **self._common(estate),
            }

    def _vDatastore(self, estate: Estate) -> Iterator[dict[str, Any]]:
        for d in estate.datastores:
            yield {
                "Name": d.name,
                "Config status": "green",
                "Accessible": "True",
                "Type": d.type,
                "Capacity MiB": d.capacity_mib,
                "Free MiB": d.free_mib,
                "In Use MiB": d.capacity_mib - d.free_mib,
                "Free %": round(100 * d.free_mib / d.capacity_mib),
                "Object ID": d.moref,
                **self._common(estate),
            }

    def _vMetaData(self, estate: Estate) -> Iterator[dict[str, Any]]:
        yield {
            "RVTools major version": "4.7",
            "RVTools version": "4.7.1.4",
            "xlsx creation datetime": self.date(estate.exported_at),
            "Server": estate.vcenter.server,
        }
