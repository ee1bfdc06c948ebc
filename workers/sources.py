"""Where a job's bytes come from, as an HTTP download with the right session.

- `http(s)://...`: as is; TLS verified unless the job says `insecure`.
- `vsphere://USER@HOST:PORT/DATACENTER/DATASTORE/PATH`: the datastore's `/folder` file API
  (`https://HOST:PORT/folder/PATH?dcPath=DATACENTER&dsName=DATASTORE`) with the session
  cookie of a vCenter login made with the collector's code (`factory.sources.vsphere`). The
  password comes from the worker's environment (`MFACTORY_VSPHERE_PASSWORD`, or a file named
  by `MFACTORY_VSPHERE_PASSWORD_FILE`), never from the job or the URL; the CA from
  `MFACTORY_VSPHERE_CA_FILE`. The session lives exactly as long as the download. For a flat
  VMDK point at its `-flat.vmdk` extent (format raw); monolithic/streamOptimized files are
  one file.
- `ovirt://USER@HOST:PORT/DISK_ID`: an image transfer (direction download) opened with the
  oVirt SDK through the collector's `engine_connection`; the bytes come from its
  `transfer_url` (the host's imageio, falling back to `proxy_url`), which supports Range;
  the transfer is finalized afterwards, also on failure. Password from
  `MFACTORY_OVIRT_PASSWORD` / `MFACTORY_OVIRT_PASSWORD_FILE`, CA from `MFACTORY_OVIRT_CA_FILE`.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

from factory.errors import FactoryError, InputError
from factory.sources.credentials import Credentials, TlsSettings, read_password
from workers.fetch import Download
from workers.jobs import DiskJob


@contextlib.contextmanager
def resolve_download(job: DiskJob) -> Iterator[Download]:
    if job.src.startswith(("http://", "https://")):
        yield Download(job.src, {}, verify=not job.insecure)
    elif job.src.startswith("vsphere://"):
        with _vsphere(job) as download:
            yield download
    elif job.src.startswith("ovirt://"):
        with _ovirt(job) as download:
            yield download
    else:
        raise InputError(
            f"unsupported disk source {job.src.split('?')[0]!r}", hint="use a path, http(s):// or vsphere://"
        )


def _credentials(kind: str, user: str, insecure: bool) -> tuple[Credentials, TlsSettings]:
    password_file = os.environ.get(f"MFACTORY_{kind}_PASSWORD_FILE")
    password = read_password(
        None if password_file else f"MFACTORY_{kind}_PASSWORD", Path(password_file) if password_file else None
    )
    ca = os.environ.get(f"MFACTORY_{kind}_CA_FILE")
    return Credentials(user, password), TlsSettings(ca_file=None if insecure or not ca else Path(ca), insecure=insecure)


def vsphere_parts(src: str) -> tuple[str, str, int, str, str, str]:
    """(user, host, port, datacenter, datastore, path) of a `vsphere://` locator."""
    parts = urlsplit(src)
    segments = parts.path.lstrip("/").split("/", 2)
    if not parts.username or not parts.hostname or len(segments) < 3 or not all(segments):
        raise InputError(
            f"bad vSphere disk locator {src!r}", hint="use vsphere://USER@HOST:PORT/DATACENTER/DATASTORE/PATH"
        )
    return parts.username, parts.hostname, parts.port or 443, segments[0], segments[1], segments[2]


def folder_url(host: str, port: int, datacenter: str, datastore: str, path: str) -> str:
    query = f"dcPath={quote(datacenter, safe='')}&dsName={quote(datastore, safe='')}"
    return f"https://{host}:{port}/folder/{quote(path)}?{query}"


@contextlib.contextmanager
def _vsphere(job: DiskJob) -> Iterator[Download]:
    from factory.sources.vsphere.connection import connect, ssl_context

    user, host, port, datacenter, datastore, path = vsphere_parts(job.src)
    creds, tls = _credentials("VSPHERE", user, job.insecure)
    with connect(host, port, creds, tls) as si:
        cookie = si._stub.cookie  # the SOAP session; the /folder API accepts it as is
        yield Download(folder_url(host, port, datacenter, datastore, path), {"Cookie": cookie}, verify=ssl_context(tls))


@contextlib.contextmanager
def _ovirt(job: DiskJob) -> Iterator[Download]:
    import ovirtsdk4.types as types

    from factory.sources.ovirt.connection import API_PATH, engine_connection
    from factory.sources.vsphere.connection import ssl_context

    parts = urlsplit(job.src)
    disk_id = parts.path.strip("/")
    if not parts.username or not parts.hostname or not disk_id or "/" in disk_id:
        raise InputError(f"bad oVirt disk locator {job.src!r}", hint="use ovirt://USER@HOST:PORT/DISK_ID")
    creds, tls = _credentials("OVIRT", parts.username, job.insecure)
    url = f"https://{parts.hostname}:{parts.port or 443}{API_PATH}"
    with engine_connection(url, creds, tls, timeout=120) as connection:
        transfers = connection.system_service().image_transfers_service()
        transfer = transfers.add(
            types.ImageTransfer(disk=types.Disk(id=disk_id), direction=types.ImageTransferDirection.DOWNLOAD)
        )
        service = transfers.image_transfer_service(transfer.id)
        try:
            for _ in range(600):
                if transfer.phase != types.ImageTransferPhase.INITIALIZING:
                    break
                time.sleep(0.5)
                transfer = service.get()
            if transfer.phase != types.ImageTransferPhase.TRANSFERRING:
                raise FactoryError(f"oVirt image transfer for disk {disk_id} is {transfer.phase}, not transferring")
            yield Download(transfer.transfer_url or transfer.proxy_url, {}, verify=ssl_context(tls))
        finally:
            with contextlib.suppress(Exception):  # finalizing a broken transfer is best effort
                service.finalize()
