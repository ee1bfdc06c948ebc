"""Opening an SDK connection to the engine, and turning its failures into one clear line.

The SDK reports every transport problem as a generic ``ovirtsdk4.Error`` whose text embeds a
libcurl error code (``(60, 'SSL certificate ...')``), and a refused login as ``AuthError``.
An architect needs to know which of three things went wrong — the credentials, the network
path, or the TLS trust — so this module classifies them. Messages carry the engine's address
and the user name, never the password (it is also scrubbed from any text that comes back).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from urllib.parse import urlsplit

import ovirtsdk4 as sdk
import pycurl

from factory.errors import FactoryError, InputError
from factory.sources.credentials import Credentials, TlsSettings

API_PATH = "/ovirt-engine/api"
_CURL_CODE = re.compile(r"\((\d+), '([^']*)'\)")
# libcurl codes for TLS handshake / verification failures.
_TLS_CODES = {35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91}
_UNREACHABLE_CODES = {5, 6, 7, 28, 52, 55, 56}
_TLS_HINT = (
    "pass the engine's CA with --ca-file (download it from "
    "https://ENGINE/ovirt-engine/services/pki-resource?resource=ca-certificate&format=X509-PEM-CA), "
    "or --insecure to skip verification"
)


def check_url(url: str) -> str:
    """The API URL without a trailing slash; refuses what cannot be an engine API URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InputError(f"{url!r} is not an engine API URL", hint=f"use https://ENGINE{API_PATH}")
    if parts.path.rstrip("/") != API_PATH:
        raise InputError(f"{url!r} does not end in {API_PATH}", hint=f"use https://{parts.netloc}{API_PATH}")
    return url.rstrip("/")


def engine_host(url: str) -> str:
    return urlsplit(url).hostname or url


def _curl_error(exc: BaseException) -> tuple[int, str] | None:
    context = exc.__context__
    if isinstance(context, pycurl.error) and len(context.args) >= 2:
        return int(context.args[0]), str(context.args[1])
    if isinstance(exc, pycurl.error) and len(exc.args) >= 2:
        return int(exc.args[0]), str(exc.args[1])
    match = _CURL_CODE.search(str(exc))
    return (int(match.group(1)), match.group(2)) if match else None


def translate(exc: BaseException, url: str, creds: Credentials) -> FactoryError:
    """The FactoryError to raise for an SDK or libcurl failure while talking to ``url``."""
    host = urlsplit(url).netloc
    secret = creds.password.get_secret_value()

    def clean(text: str) -> str:
        return text.replace(secret, "***") if secret else text

    if isinstance(exc, sdk.AuthError):
        return InputError(
            f"authentication failed: the engine at {host} refused user {creds.user!r} (wrong user name or password)",
            hint="check --user (with its profile, e.g. admin@internal) and the password",
        )
    curl = _curl_error(exc)
    if curl is not None and curl[0] in _TLS_CODES:
        return InputError(f"TLS verification of the engine at {host} failed: {clean(curl[1])}", hint=_TLS_HINT)
    if isinstance(exc, sdk.ConnectionError) or (curl is not None and curl[0] in _UNREACHABLE_CODES):
        reason = clean(curl[1]) if curl else clean(str(exc))
        return FactoryError(f"cannot reach the engine at {host}: {reason}", hint="check the URL, DNS and firewall")
    if isinstance(exc, sdk.NotFoundError):
        return InputError(f"the engine at {host} answered 404 Not Found: {clean(str(exc))}",
                          hint=f"check that the URL ends in {API_PATH}")  # fmt: skip
    return FactoryError(f"the engine at {host} failed: {clean(str(exc))}", hint="retry; check the engine's health")


@contextmanager
def engine_connection(
    url: str, creds: Credentials, tls: TlsSettings, *, timeout: int = 900
) -> Iterator[sdk.Connection]:
    """An authenticated connection; any SDK failure inside the block becomes a FactoryError.

    ``timeout`` bounds each request (a page of a large estate can take minutes on a busy
    engine); the SSO token is revoked on exit.
    """
    connection = sdk.Connection(
        url=url,
        username=creds.user,
        password=creds.password.get_secret_value(),
        ca_file=str(tls.ca_file) if tls.ca_file else None,
        insecure=tls.insecure,
        timeout=timeout,
        debug=False,
        log=None,
    )
    try:
        yield connection
    except (sdk.Error, pycurl.error) as exc:
        raise translate(exc, url, creds) from None
    finally:
        with suppress(sdk.Error, pycurl.error):  # logging out of an unreachable engine: not worth a 2nd error
            connection.close()
