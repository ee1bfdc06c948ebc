"""Deterministic YAML text for the GitOps tree: fixed key order, no line wrapping, and the
VM names as comments beside their ids (Plans reference VMs by id; people read names)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import yaml

_ID_LINE = re.compile(r"^(\s*- id: .+)$")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


class _Dumper(yaml.SafeDumper):
    """Indent list items under their key (``kubectl`` style)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def to_yaml(obj: dict, *, header: str | None = None, id_comments: Sequence[str] = ()) -> str:
    """``id_comments`` are attached, in order, to the ``- id:`` lines (only Plans have them)."""
    text = yaml.dump(obj, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=10_000, allow_unicode=True)
    if id_comments:
        names = iter(id_comments)
        lines = []
        for line in text.splitlines():
            if _ID_LINE.match(line):
                comment = _UNPRINTABLE.sub(" ", next(names))
                line = f"{line}  # {comment}"
            lines.append(line)
        text = "\n".join(lines) + "\n"
    if header:
        text = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) + text
    return text
