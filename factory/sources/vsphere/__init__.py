"""Live vSphere inventory through pyVmomi: one PropertyCollector pass over the whole vCenter.

:class:`VSphereSource` is the :class:`~factory.sources.base.InventorySource`; the work is split
into ``connection`` (login, TLS, error mapping), ``properties`` (what is read), ``retrieve``
(the paged pass), ``transport`` / ``soapxml`` (reading the responses leniently and fast),
``topology`` / ``devices`` / ``vms`` (conversion) and ``collector`` (assembly).
"""

from __future__ import annotations

from dataclasses import dataclass
from http.client import HTTPException

from pyVmomi import vmodl

from factory.errors import FactoryError
from factory.model import Inventory, SourceKind
from factory.sources.credentials import Credentials, TlsSettings
from factory.sources.progress import collection_progress
from factory.sources.vsphere.collector import build_inventory, read_inventory
from factory.sources.vsphere.connection import connect, failure


@dataclass
class VSphereSource:
    host: str
    credentials: Credentials
    tls: TlsSettings
    port: int = 443
    name: str = ""
    page_size: int = 1000
    kind: SourceKind = SourceKind.VSPHERE

    def __post_init__(self) -> None:
        self.name = self.name or self.host

    @property
    def endpoint(self) -> str:
        return f"https://{self.host}:{self.port}/sdk"

    def collect(self) -> Inventory:
        with collection_progress(f"vCenter {self.host}") as progress:
            progress.update("logging in")
            with connect(self.host, self.port, self.credentials, self.tls) as si:
                try:
                    return read_inventory(
                        si.RetrieveContent(),
                        name=self.name,
                        endpoint=self.endpoint,
                        page_size=self.page_size,
                        progress=progress,
                    )
                except FactoryError:
                    raise
                except (OSError, HTTPException, vmodl.MethodFault) as exc:
                    raise failure(exc, f"{self.host}:{self.port}", self.credentials) from exc


__all__ = ["VSphereSource", "build_inventory", "read_inventory"]
