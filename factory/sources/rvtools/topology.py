"""Datacenters, clusters, hosts, datastores and networks of an RVTools export.

Ids are the vSphere MoRefs RVTools writes in ``Object ID`` (``host-12``, ``domain-c7``,
``datastore-31``, ``dvportgroup-44``) when the object's sheet is there, else the object's
name. VM sheets name their host, cluster, datacenter, datastore and network, so every
reference goes through :meth:`Topology.ref`, which returns the same id for the same name
and registers objects that only VM rows mention (their other facts stay unknown).
"""

from __future__ import annotations

from typing import Any

from factory.sources.rvtools.identity import Qualifier
from factory.sources.rvtools.reader import Export
from factory.sources.rvtools.table import records
from factory.sources.rvtools.values import boolean, integer, mib_to_bytes, text

_COMMON = (("sdk", ("vi sdk uuid",), text), ("object_id", ("object id",), text))

HOST_SPECS = (
    ("name", ("host",), text),
    ("datacenter", ("datacenter",), text),
    ("cluster", ("cluster",), text),
    ("in_maintenance", ("in maintenance mode",), boolean),
    ("connection_state", ("connection state",), text),
    ("cpu_cores", ("# cores",), integer),
    ("cpu_mhz", ("speed",), integer),
    ("memory_bytes", ("# memory",), mib_to_bytes),
    ("version", ("esx version",), text),
    *_COMMON,
)
CLUSTER_SPECS = (
    ("name", ("name", "cluster"), text),
    ("ha_enabled", ("ha enabled",), boolean),
    ("drs_enabled", ("drs enabled",), boolean),
    ("dpm_enabled", ("dpm enabled",), boolean),
    *_COMMON,
)
DATASTORE_SPECS = (
    ("name", ("name",), text),
    ("type", ("type",), text),
    ("capacity_bytes", ("capacity mib",), mib_to_bytes),
    ("free_bytes", ("free mib",), mib_to_bytes),
    *_COMMON,
)
PORTGROUP_SPECS = (
    ("name", ("port", "port group"), text),
    ("switch", ("switch",), text),
    ("vlan", ("vlan",), text),
    *_COMMON,
)

KINDS = ("datacenter", "cluster", "host", "datastore", "network")


class Topology:
    def __init__(self, qualify: Qualifier) -> None:
        self.qualify = qualify
        self.objects: dict[str, dict[tuple[str, str], dict[str, Any]]] = {k: {} for k in KINDS}

    def ref(self, what: str, sdk: str | None, name: str | None, **facts: Any) -> str | None:
        """The id of the ``what`` object called ``name`` in vCenter ``sdk``; registers it
        (with ``facts``) the first time it is seen. Facts fill only what is still unknown."""
        if not name:
            return None
        key = self._key(sdk, name)
        table = self.objects[what]
        obj = table.get(key)
        if obj is None:
            obj = table[key] = {"id": self.qualify(facts.pop("object_id", None) or name, sdk), "name": name}
        else:
            facts.pop("object_id", None)
        for field, value in facts.items():
            if value is not None and obj.get(field) is None:
                obj[field] = value
        return obj["id"]

    def find(self, kind: str, sdk: str | None, name: str) -> dict[str, Any] | None:
        return self.objects[kind].get(self._key(sdk, name))

    def _key(self, sdk: str | None, name: str) -> tuple[str, str]:
        # One vCenter: names alone (trimmed sheets may lack VI SDK UUID on some sheets only).
        return ((sdk or "") if self.qualify.multi else "", name)

    def load(self, export: Export) -> None:
        """Read the object sheets first, so VM references find their real ids."""
        if sheet := export.sheet("vCluster"):
            for _, _, r in records(sheet, CLUSTER_SPECS):
                self.ref("cluster", r.pop("sdk", None), r.pop("name", None), **r)
        if sheet := export.sheet("vHost"):
            for _, _, r in records(sheet, HOST_SPECS):
                sdk = r.pop("sdk", None)
                dc = self.ref("datacenter", sdk, r.pop("datacenter", None))
                cluster = self.ref("cluster", sdk, r.pop("cluster", None), datacenter=dc)
                self.ref("host", sdk, r.pop("name", None), cluster=cluster, datacenter=dc, **r)
        if sheet := export.sheet("vDatastore"):
            for _, _, r in records(sheet, DATASTORE_SPECS):
                self.ref("datastore", r.pop("sdk", None), r.pop("name", None), **r)
        if sheet := export.sheet("dvPort"):
            for _, _, r in records(sheet, PORTGROUP_SPECS):
                self.ref("network", r.pop("sdk", None), r.pop("name", None), kind="distributed_portgroup", **r)
        if sheet := export.sheet("vPort"):  # standard portgroups, one row per host
            for _, _, r in records(sheet, PORTGROUP_SPECS):
                self.ref("network", r.pop("sdk", None), r.pop("name", None), kind="standard", **r)

    def network(self, sdk: str | None, name: str | None, switch: str | None) -> str | None:
        """A VM's network: a distributed portgroup when dvPort lists it, else a standard one."""
        return self.ref("network", sdk, name, kind="standard", switch=switch)

    def dump(self) -> dict[str, list[dict[str, Any]]]:
        """Plain dicts for the model, in first-seen order."""
        return {
            "datacenters": list(self.objects["datacenter"].values()),
            "clusters": list(self.objects["cluster"].values()),
            "hosts": list(self.objects["host"].values()),
            "datastores": list(self.objects["datastore"].values()),
            "networks": list(self.objects["network"].values()),
        }
