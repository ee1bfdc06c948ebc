"""Engine XML from a plain Python description, honouring ``follow`` the way the engine does.

The description (see :mod:`.inventory`) keeps every object fully expanded: a VM dict holds its
NICs, disk attachments, snapshots ... inline, and points at other top-level objects (cluster,
host, vNIC profile, disk) by id. Rendering decides, per request, what the engine would send:

* a sub-collection (``nics``, ``disk_attachments``, ...) is inline only when followed, else a
  ``<link rel="nics" href=".../vms/ID/nics"/>``;
* a reference (``cluster``, ``disk``, ``vnic_profile``, ...) is ``<cluster href id/>`` unless
  followed, in which case the whole referenced object is inline;
* ``id`` becomes an attribute (also on small values such as ``<vlan id="100"/>``), booleans are
  ``true``/``false``, lists of scalars repeat a singular tag.

Strings are built directly (not through ElementTree): an inventory of thousands of VMs is
rendered per request and must stay fast enough for the benchmark.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from xml.sax.saxutils import escape, quoteattr

API = "/ovirt-engine/api"

# Top-level collections: path segment -> (list tag, item tag).
COLLECTIONS: dict[str, tuple[str, str]] = {
    "datacenters": ("data_centers", "data_center"),
    "clusters": ("clusters", "cluster"),
    "hosts": ("hosts", "host"),
    "storagedomains": ("storage_domains", "storage_domain"),
    "networks": ("networks", "network"),
    "vnicprofiles": ("vnic_profiles", "vnic_profile"),
    "vms": ("vms", "vm"),
    "disks": ("disks", "disk"),
    "qoss": ("qoss", "qos"),
    "networkfilters": ("network_filters", "network_filter"),
    "templates": ("templates", "template"),
}

# Sub-collections: attribute -> (link rel, item tag).
LINKS: dict[str, tuple[str, str]] = {
    "nics": ("nics", "nic"),
    "disk_attachments": ("diskattachments", "disk_attachment"),
    "snapshots": ("snapshots", "snapshot"),
    "host_devices": ("hostdevices", "host_device"),
    "watchdogs": ("watchdogs", "watchdog"),
    "cdroms": ("cdroms", "cdrom"),
    "numa_nodes": ("numanodes", "vm_numa_node"),
    "reported_devices": ("reporteddevices", "reported_device"),
    "affinity_groups": ("affinitygroups", "affinity_group"),
}
REL_TO_ATTR = {rel: attr for attr, (rel, _) in LINKS.items()}
# Root tag of a sub-collection served on its own, where it differs from the attribute name.
LIST_TAGS = {"numa_nodes": "vm_numa_nodes"}

# References to top-level objects: attribute -> collection.
REFS = {
    "data_center": "datacenters",
    "cluster": "clusters",
    "host": "hosts",
    "network": "networks",
    "vnic_profile": "vnicprofiles",
    "disk": "disks",
    "qos": "qoss",
    "network_filter": "networkfilters",
    "vm": "vms",
    "storage_domain": "storagedomains",
    "template": "templates",
}
LIST_REFS = {"storage_domains": "storagedomains", "data_centers": "datacenters", "vms": "vms", "hosts": "hosts"}

# Plain nested lists: list tag -> item tag.
ITEMS = {
    "custom_properties": "custom_property",
    "vcpu_pins": "vcpu_pin",
    "ips": "ip",
    "logical_units": "logical_unit",
    "numa_node_pins": "numa_node_pin",
    "usages": "usage",
    "cores": "core",
}

Lookup = Callable[[str, str], Mapping[str, Any] | None]
Follow = dict[str, "Follow"]


def parse_follow(spec: str | None) -> Follow:
    """``"nics.reported_devices,disk_attachments.disk"`` -> nested dict of followed names."""
    tree: Follow = {}
    for path in (spec or "").split(","):
        node = tree
        for part in filter(None, path.strip().split(".")):
            node = node.setdefault(part, {})
    return tree


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def _open(tag: str, ident: Any = None, href: str | None = None, empty: bool = False) -> str:
    attrs = ""
    if href is not None:
        attrs += f" href={quoteattr(href)}"
    if ident is not None:
        attrs += f" id={quoteattr(str(ident))}"
    return f"<{tag}{attrs}{'/' if empty else ''}>"


class Renderer:
    """Renders objects of one inventory; ``lookup(collection, id)`` resolves references."""

    def __init__(self, lookup: Lookup) -> None:
        self._lookup = lookup

    def entity(self, out: list[str], tag: str, obj: Mapping[str, Any], href: str, follow: Follow) -> None:
        out.append(_open(tag, obj.get("id"), href))
        for key, value in obj.items():
            if key == "id" or value is None:
                continue
            if key in LINKS:
                self._link(out, key, value, href, follow)
            elif key in REFS and isinstance(value, str):
                self._ref(out, key, REFS[key], value, follow.get(key))
            elif key in LIST_REFS and isinstance(value, list):
                item = COLLECTIONS[LIST_REFS[key]][1]
                out.append(f"<{key}>")
                for ident in value:
                    self._ref(out, item, LIST_REFS[key], ident, follow.get(key))
                out.append(f"</{key}>")
            else:
                self.value(out, key, value)
        out.append(f"</{tag}>")

    def _link(self, out: list[str], key: str, items: list[Mapping[str, Any]], href: str, follow: Follow) -> None:
        rel, item_tag = LINKS[key]
        if key not in follow:
            out.append(f"<link rel={quoteattr(rel)} href={quoteattr(f'{href}/{rel}')}/>")
            return
        self.collection(out, key, item_tag, items, f"{href}/{rel}", follow[key])

    def collection(
        self, out: list[str], tag: str, item_tag: str, items: list[Mapping[str, Any]], href: str, follow: Follow
    ) -> None:
        out.append(f"<{tag}>")
        for item in items:
            self.entity(out, item_tag, item, f"{href}/{item['id']}", follow)
        out.append(f"</{tag}>")

    def _ref(self, out: list[str], tag: str, collection: str, ident: str, follow: Follow | None) -> None:
        href = f"{API}/{collection}/{ident}"
        target = self._lookup(collection, ident) if follow is not None else None
        if target is None:
            out.append(_open(tag, ident, href, empty=True))
        else:
            self.entity(out, tag, target, href, follow or {})

    def value(self, out: list[str], tag: str, value: Any) -> None:
        if isinstance(value, Mapping):
            ident = value.get("id")
            children = [(k, v) for k, v in value.items() if k != "id" and v is not None]
            if not children:
                out.append(_open(tag, ident, empty=True))
                return
            out.append(_open(tag, ident))
            for key, child in children:
                self.value(out, key, child)
            out.append(f"</{tag}>")
        elif isinstance(value, list):
            item_tag = ITEMS.get(tag, tag.rstrip("s"))
            out.append(f"<{tag}>")
            for item in value:
                self.value(out, item_tag, item)
            out.append(f"</{tag}>")
        else:
            out.append(f"<{tag}>{_scalar(value)}</{tag}>")


def fault(reason: str, detail: str) -> str:
    return f"<fault><reason>{escape(reason)}</reason><detail>{escape(detail)}</detail></fault>"
