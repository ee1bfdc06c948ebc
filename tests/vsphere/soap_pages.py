"""Hand-written vim25 property-collector responses, for what vcsim cannot be made to send
(guest IPs, tools state, FT, CPU affinity, unknown types, unreadable values). They go through
the real transport parser and decoder; only the HTTP response is a double."""

from __future__ import annotations

import gzip
import io
import zlib
from typing import Any

from factory.sources.vsphere.retrieve import PropertyReader, Retrieved
from factory.sources.vsphere.transport import _parse

ENVELOPE = """<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<soapenv:Body><RetrievePropertiesExResponse xmlns="urn:vim25"><returnval>{objects}{token}</returnval>
</RetrievePropertiesExResponse></soapenv:Body></soapenv:Envelope>"""


def vm_object(moid: str, *props: str, missing: str = "") -> str:
    return f'<objects><obj type="VirtualMachine">{moid}</obj>{"".join(props)}{missing}</objects>'


def prop(name: str, xsi: str, inner: str, attrs: str = "") -> str:
    return f'<propSet><name>{name}</name><val xsi:type="{xsi}"{attrs}>{inner}</val></propSet>'


DEVICES = (
    '<VirtualDevice xsi:type="ParaVirtualSCSIController"><key>1000</key><busNumber>0</busNumber>'
    "</VirtualDevice>"
    '<VirtualDevice xsi:type="VirtualDisk"><key>2000</key><deviceInfo><label>Hard disk 1</label>'
    '<summary>x</summary></deviceInfo><backing xsi:type="VirtualDiskFlatVer2BackingInfo">'
    '<fileName>[ds] a/a.vmdk</fileName><datastore type="Datastore">datastore-1</datastore>'
    "<diskMode>persistent</diskMode><thinProvisioned>true</thinProvisioned></backing>"
    "<controllerKey>1000</controllerKey><unitNumber>0</unitNumber><capacityInKB>{kb}</capacityInKB></VirtualDevice>"
    '<VirtualDevice xsi:type="VirtualQuantumEntangler"><key>9000</key><flux>7</flux></VirtualDevice>'
)


class FakeHttpResponse:
    """Test double for the http.client response the transport streams from."""

    def __init__(self, body: str, encoding: str | None = None) -> None:
        raw = body.encode()
        if encoding == "gzip":
            raw = gzip.compress(raw)
        elif encoding == "deflate":
            raw = zlib.compress(raw)
        self._body = io.BytesIO(raw)
        self._encoding = encoding

    def getheader(self, name: str, default: str | None = None) -> str | None:
        return self._encoding if name == "Content-Encoding" and self._encoding else default

    def read(self, size: int) -> bytes:
        return self._body.read(size)


def page_of(*objects: str, token: str = "", encoding: str | None = None) -> Any:
    body = ENVELOPE.format(objects="".join(objects), token=f"<token>{token}</token>" if token else "")
    notes: list[str] = []
    return _parse(FakeHttpResponse(body, encoding), notes), notes


def retrieved(page: Any) -> Retrieved:
    """A parsed page as the collector's reader hands it on (warnings, skipped properties)."""
    reader = PropertyReader.__new__(PropertyReader)  # only its page bookkeeping is used here
    reader._progress, reader.objects = None, 0
    return reader._take(page)
