"""Errors that carry what the user should do about them.

The CLI maps :class:`InputError` to exit code 2 (bad input: fix the file, the flag, the
credentials) and :class:`FactoryError` to exit code 1 (a runtime failure: retry, check the
service). Messages must never contain secrets.
"""

from __future__ import annotations


class FactoryError(Exception):
    """A runtime failure. ``hint`` says what to try next."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class InputError(FactoryError):
    """The user's input is wrong: a file, a flag, a credential, a name."""

    exit_code = 2
