"""Validate emitted objects against the Forklift CRDs' ``openAPIV3Schema``.

The API server validates custom resources with the CRD's structural schema; doing the same
here catches a wrong field or enum before anything reaches a cluster. ``x-kubernetes-*``
extensions are ignored (jsonschema skips unknown keywords); ``metadata`` is checked the way
the API server does for every object: a DNS-1123 subdomain name and a namespace label.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jsonschema
import yaml

from factory.errors import InputError

_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


@cache
def _validators(folder: Path) -> dict[tuple[str, str], jsonschema.protocols.Validator]:
    validators = {}
    for path in sorted(folder.glob("*.yaml")):
        crd = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(crd, dict) or crd.get("kind") != "CustomResourceDefinition":
            continue
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            schema = version["schema"]["openAPIV3Schema"]
            cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
            validators[(f"{group}/{version['name']}", kind)] = cls(schema, format_checker=cls.FORMAT_CHECKER)
    if not validators:
        raise InputError(f"no CustomResourceDefinitions in {folder}", hint="point --schemas at the forklift CRD folder")
    return validators


def validate(obj: dict, crds: Path) -> list[str]:
    """Every problem with ``obj`` (empty when valid). Objects of kinds without a CRD in
    ``crds`` (core kinds such as Secret, and Kustomizations) only get the metadata check."""
    problems = []
    meta = obj.get("metadata") or {}
    name, namespace = meta.get("name", ""), meta.get("namespace")
    if obj.get("kind") != "Kustomization":
        if not (0 < len(name) <= 253 and _SUBDOMAIN.match(name)):
            problems.append(f"metadata.name {name!r} is not a DNS-1123 subdomain")
        if namespace is not None and not (len(namespace) <= 63 and _LABEL.match(namespace)):
            problems.append(f"metadata.namespace {namespace!r} is not a DNS-1123 label")
    validator = _validators(crds.resolve()).get((obj.get("apiVersion"), obj.get("kind")))
    if validator is None:
        return problems
    for error in sorted(validator.iter_errors(obj), key=lambda e: list(e.absolute_path)):
        where = ".".join(str(p) for p in error.absolute_path) or "(object)"
        problems.append(f"{where}: {error.message}")
    return problems


def known_kinds(crds: Path) -> set[tuple[str, str]]:
    return set(_validators(crds.resolve()))
