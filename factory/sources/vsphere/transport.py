"""RetrievePropertiesEx / ContinueRetrievePropertiesEx over pyVmomi's session, decoded by
:mod:`soapxml` instead of pyVmomi's deserializer.

pyVmomi still does what it is good at: the login, the session cookie, the connection pool, the
request serialization and the decoding of SOAP faults. Only successful property-collector
responses are read here, with libxml2 (lxml: 2-3x faster than expat on vim25's verbose
XML, fed chunk by chunk as the response arrives) and the lazy decoder of :mod:`soapxml`; each
property is decoded on its own: a value that cannot be read costs that property (listed in
the object's ``missingSet``), never the page.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from pyVmomi.SoapAdapter import SoapResponseDeserializer

from factory.sources.vsphere.soapxml import XSI_TYPE, Decoder, MoRef, Unreadable

_NS = "{urn:vim25}"
_BODY = "{http://schemas.xmlsoap.org/soap/envelope/}Body"
_CHUNK = 1 << 20


@dataclass
class Prop:
    name: str
    val: Any


@dataclass
class Missing:
    """A property left out (``partial=False``: not read at all) or read with parts dropped."""

    path: str
    reason: str
    partial: bool = False


@dataclass
class ObjectContent:
    obj: MoRef
    propSet: list[Prop] = field(default_factory=list)
    missingSet: list[Missing] = field(default_factory=list)


@dataclass
class Page:
    objects: list[ObjectContent] = field(default_factory=list)
    token: str | None = None


class FastPropertyCollector:
    """Drop-in for the two paging calls of a pyVmomi ``PropertyCollector``."""

    def __init__(self, property_collector: Any) -> None:
        self._pc = property_collector
        self._stub = property_collector._stub
        self.notes: list[str] = []  # values dropped inside lazily decoded objects

    def RetrievePropertiesEx(self, specSet: list[Any], options: Any) -> Page:
        return self._call("RetrievePropertiesEx", (specSet, options))

    def ContinueRetrievePropertiesEx(self, token: str) -> Page:
        return self._call("ContinueRetrievePropertiesEx", (token,))

    def _call(self, method: str, args: tuple[Any, ...]) -> Page:
        stub = self._stub
        info = self._pc._GetMethodInfo(method)
        body = stub.SerializeRequest(self._pc, info, args)
        headers = {
            "Cookie": stub.cookie,
            "SOAPAction": stub.versionId,
            "Content-Type": "text/xml; charset=UTF-8",
            "Accept-Encoding": "gzip, deflate",
        }
        conn = stub.GetConnection()
        try:
            conn.request("POST", stub.path, body, headers)
            resp = conn.getresponse()
            cookie = resp.getheader("Set-Cookie")
            if cookie:
                stub.cookie = cookie
            if resp.status == 500:  # a SOAP fault: pyVmomi decodes it into its exception type
                fault = SoapResponseDeserializer(stub).Deserialize(io.BytesIO(_read_all(resp)), info.result)
            elif resp.status == 200:
                page = _parse(resp, self.notes)
            else:
                raise ConnectionError(f"HTTP {resp.status} {resp.reason} from the property collector")
        except BaseException as exc:
            conn.close()
            stub.DropConnections()
            if isinstance(exc, etree.XMLSyntaxError):
                raise ConnectionError(f"the property collector sent a response that is not XML: {exc}") from exc
            raise
        stub.ReturnConnection(conn)
        if resp.status == 500:
            raise fault
        return page


def _chunks(resp: Any) -> Any:
    encoding = (resp.getheader("Content-Encoding") or "identity").lower()
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS)
    while chunk := resp.read(_CHUNK):
        yield inflate.decompress(chunk) if encoding in ("gzip", "deflate") else chunk


def _read_all(resp: Any) -> bytes:
    return b"".join(_chunks(resp))


def _parse(resp: Any, notes: list[str]) -> Page:
    """Parse the page (C parser, fed in chunks), then decode each ``returnval/objects``.

    The tree of one page is held while its values are in use: the page size bounds it.
    """
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)
    for chunk in _chunks(resp):
        parser.feed(chunk)
    root = parser.close()
    page = Page()
    returnval = root.find(f"{_BODY}/*/{_NS}returnval")
    if returnval is None:
        return page
    page.token = returnval.findtext(_NS + "token")
    page.objects = [_object_content(el, notes) for el in returnval.iterfind(_NS + "objects")]
    return page


def _object_content(el: Any, notes: list[str]) -> ObjectContent:
    ref_el = el.find(_NS + "obj")
    if ref_el is None:
        raise Unreadable("ObjectContent without obj")
    ref = MoRef(ref_el.get("type") or "", ref_el.text or "")
    content = ObjectContent(ref)
    decoder = Decoder(f"{ref._wsdlName} {ref._moId}", notes)
    for child in el.iterchildren(_NS + "propSet"):
        # DynamicProperty is <name/> then <val/>; lxml's find() is slow Python, indexing is C.
        name = child[0].text or ""
        val_el = child[1] if len(child) > 1 else None
        seen = len(notes)
        try:
            value = None if val_el is None else decoder.value(val_el)
        except (Unreadable, ValueError, TypeError, AttributeError) as exc:
            content.missingSet.append(Missing(name, f"the server sent a value this client cannot read ({exc})"))
            continue
        for note in notes[seen:]:
            content.missingSet.append(Missing(name, note.partition(": ")[2], partial=True))
        del notes[seen:]
        content.propSet.append(Prop(name, value))
    for child in el.iterchildren(_NS + "missingSet"):
        # MissingProperty.fault is a LocalizedMethodFault whose `fault` names the fault type.
        fault = child.find(f"{_NS}fault/{_NS}fault")
        reason = (fault.get(XSI_TYPE) or "fault").rpartition(":")[2] if fault is not None else "fault"
        content.missingSet.append(Missing(child.findtext(_NS + "path") or "", f"server fault {reason}"))
    return content
