"""Build the live collector for a registered source, with its secret file.

The collectors take passwords the same way the CLI does (``read_password`` from a file), so
the worker reads the registration's 0600 secret file and the password exists only in that
file and in the collector's memory.
"""

from __future__ import annotations

from factory.sources import InventorySource
from factory.sources.credentials import Credentials, TlsSettings, read_password
from factory.sources.ovirt import OvirtSource
from factory.sources.vsphere import VSphereSource
from mfactory.api.registry import Registry, SourceRegistration


def collector_for(registration: SourceRegistration, registry: Registry) -> InventorySource:
    password = read_password(None, registry.password_file(registration.name))
    credentials = Credentials(user=registration.user, password=password)
    ca = registry.ca_file(registration.name)
    tls = TlsSettings(ca_file=ca if registration.has_ca else None, insecure=registration.insecure)
    if registration.kind == "vsphere":
        assert registration.host is not None  # checked at registration
        return VSphereSource(
            host=registration.host, port=registration.port, credentials=credentials, tls=tls, name=registration.name
        )
    assert registration.url is not None
    return OvirtSource(url=registration.url, credentials=credentials, tls=tls, name=registration.name)
