"""Log in to vCenter with verified TLS, and turn every way that can fail into one clear error.

Exit codes (through :mod:`factory.errors`): a rejected login or a certificate that does not
verify is the user's input to fix -> :class:`InputError` (2); a host that cannot be reached or a
server that fails -> :class:`FactoryError` (1). No message ever includes the password: we
build every message ourselves from the host, port and user.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.client import HTTPException
from typing import Any

from pyVim.connect import Disconnect, SmartConnect
from pyVmomi import vim, vmodl

from factory.errors import FactoryError, InputError
from factory.sources.credentials import Credentials, TlsSettings

TLS_HINT = "pass --ca-file with the PEM of the CA that signed the vCenter certificate, or --insecure to skip checks"


def ssl_context(tls: TlsSettings) -> ssl.SSLContext:
    """Always an explicit context: pyVmomi silently disables verification for localhost /
    127.0.0.1 when it is given none."""
    if tls.insecure:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    return ssl.create_default_context(cafile=str(tls.ca_file) if tls.ca_file else None)


def scrub(text: str, credentials: Credentials) -> str:
    """A message from a library, with the password cut out should it ever appear in it."""
    secret = credentials.password.get_secret_value()
    return text.replace(secret, "***") if secret else text


def failure(exc: BaseException, where: str, credentials: Credentials) -> FactoryError:
    """A failure after login (connection dropped, server fault) as a FactoryError, so the run is
    recorded as failed and the CLI prints one line."""
    if isinstance(exc, vmodl.MethodFault):
        text = exc.msg or type(exc).__name__
    else:
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return FactoryError(f"vCenter {where} failed during the collection: {scrub(text, credentials)}", hint="retry")


def _reason(exc: BaseException) -> str:
    return getattr(exc, "verify_message", None) or getattr(exc, "reason", None) or type(exc).__name__


@contextmanager
def connect(host: str, port: int, credentials: Credentials, tls: TlsSettings, timeout: float = 120) -> Iterator[Any]:
    """A logged-in ``ServiceInstance``; logs out on exit."""
    where = f"{host}:{port}"
    try:
        si = SmartConnect(
            host=host,
            port=port,
            user=credentials.user,
            pwd=credentials.password.get_secret_value(),
            sslContext=ssl_context(tls),
            httpConnectionTimeout=timeout,
        )
    except vim.fault.InvalidLogin:
        raise InputError(
            f"vCenter {where} rejected the login of user {credentials.user!r}",
            hint="check --user and the password (wrong password, locked or unknown account)",
        ) from None
    except ssl.SSLCertVerificationError as exc:
        raise InputError(f"TLS certificate of {where} did not verify: {_reason(exc)}", hint=TLS_HINT) from None
    except ssl.SSLError as exc:
        raise InputError(f"TLS handshake with {where} failed: {_reason(exc)}", hint=TLS_HINT) from None
    except socket.gaierror:
        raise FactoryError(f"cannot resolve vCenter host {host!r}", hint="check --host") from None
    except (ConnectionRefusedError, TimeoutError) as exc:
        text = "connection refused" if isinstance(exc, ConnectionRefusedError) else "timed out"
        hint = "check --host, --port and that vCenter is up"
        raise FactoryError(f"cannot reach vCenter at {where}: {text}", hint=hint) from None
    except (OSError, HTTPException) as exc:
        raise FactoryError(
            f"cannot reach vCenter at {where}: {type(exc).__name__}", hint="check --host, --port and the network"
        ) from None
    except vmodl.MethodFault as exc:
        raise FactoryError(f"vCenter {where} refused the login: {exc.msg or type(exc).__name__}") from None
    except Exception as exc:  # pyVmomi raises a bare Exception for "is down or is not a VIM server"
        text = scrub(str(exc), credentials)
        raise FactoryError(f"cannot log in to vCenter at {where}: {text}", hint="check --host and --port") from None
    try:
        yield si
    finally:
        with suppress(Exception):  # logging out of a session that broke is best effort
            Disconnect(si)
