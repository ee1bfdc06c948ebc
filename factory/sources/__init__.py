"""Inventory sources: vSphere (pyvmomi), oVirt/RHV (ovirt-engine-sdk) and RVTools exports.

Each source is a small object satisfying :class:`InventorySource`; :func:`ingest` runs one
and stores its snapshot atomically, recording the run either way.
"""

from factory.sources.base import InventorySource, ingest

__all__ = ["InventorySource", "ingest"]
