"""One PropertyCollector pass over the whole inventory, paged.

The pass is one filter: a ContainerView over the root folder (recursive, every type we
collect) plus the CustomFieldsManager, read with ``RetrievePropertiesEx`` and then
``ContinueRetrievePropertiesEx`` until the token runs out. The number of SOAP calls grows with
``objects / page_size``, never with one call per VM.

Responses are decoded by :class:`~factory.sources.vsphere.transport.FastPropertyCollector`,
which isolates every property: a property the server faulted on, or sent in a form this client
cannot read (a MoRef of an unknown type, as vcsim 0.24.2 sends for NICs on NSX opaque
networks), is logged, listed in the run's warnings and left out — the object and the rest of
the collection go on. Left-out properties are recorded under ``props[SKIPPED]`` so the
conversion can say "unknown" instead of "none".
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pyVmomi import vim, vmodl

from factory.sources.progress import CollectionProgress
from factory.sources.vsphere.transport import FastPropertyCollector

log = logging.getLogger(__name__)
PC = vmodl.query.PropertyCollector
Props = dict[str, Any]
SKIPPED = "__skipped__"  # key of a Props entry: the set of paths that could not be read


@dataclass
class Retrieved:
    """Properties by concrete type name (``VirtualMachine``, ``VmwareDistributedVirtualSwitch``)
    and MoRef id; ``types`` maps every MoRef id to its type name."""

    by_type: dict[str, dict[str, Props]] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def of(self, *type_names: str) -> dict[str, Props]:
        out: dict[str, Props] = {}
        for name in type_names:
            out.update(self.by_type.get(name, {}))
        return out

    def add(self, obj: Any, props: Props) -> None:
        type_name = obj._wsdlName
        self.types[obj._moId] = type_name
        self.by_type.setdefault(type_name, {})[obj._moId] = props


class PropertyReader:
    """Reads property lists (type name -> paths) for every object of those types below the
    root folder, one filter per call of :meth:`pages`.

    ``collector`` is anything with pyVmomi's ``RetrievePropertiesEx`` /
    ``ContinueRetrievePropertiesEx``; by default the fast decoder over the session.
    """

    def __init__(
        self,
        content: Any,
        *,
        page_size: int = 1000,
        collector: Any | None = None,
        progress: CollectionProgress | None = None,
    ) -> None:
        self._content = content
        self._page_size = page_size
        self._pc = collector if collector is not None else FastPropertyCollector(content.propertyCollector)
        self._progress = progress
        self.objects = 0

    @property
    def notes(self) -> list[str]:
        """What the decoder dropped inside values (after those values were read)."""
        return getattr(self._pc, "notes", [])

    def read(self, paths: dict[str, tuple[str, ...]], *, custom_fields: bool = False) -> Retrieved:
        """All pages of one filter, merged."""
        merged = Retrieved()
        for page in self.pages(paths, custom_fields=custom_fields):
            for type_name, objects in page.by_type.items():
                merged.by_type.setdefault(type_name, {}).update(objects)
            merged.types.update(page.types)
            merged.warnings.extend(page.warnings)
        return merged

    def pages(self, paths: dict[str, tuple[str, ...]], *, custom_fields: bool = False) -> Iterator[Retrieved]:
        """One :class:`Retrieved` per result page, so a caller can convert and drop each page."""
        view = self._content.viewManager.CreateContainerView(
            self._content.rootFolder, [getattr(vim, name) for name in paths], True
        )
        try:
            traverse = PC.TraversalSpec(name="view", type=vim.view.ContainerView, path="view", skip=False)
            objects = [PC.ObjectSpec(obj=view, skip=True, selectSet=[traverse])]
            props = [PC.PropertySpec(type=getattr(vim, name), pathSet=list(p), all=False) for name, p in paths.items()]
            if custom_fields:
                objects.append(PC.ObjectSpec(obj=self._content.customFieldsManager, skip=False))
                props.append(PC.PropertySpec(type=vim.CustomFieldsManager, pathSet=["field"], all=False))
            spec = PC.FilterSpec(objectSet=objects, propSet=props)
            page = self._pc.RetrievePropertiesEx([spec], PC.RetrieveOptions(maxObjects=self._page_size))
            while page is not None:
                yield self._take(page)
                if not page.token:
                    break
                page = self._pc.ContinueRetrievePropertiesEx(page.token)
        finally:
            try:
                view.DestroyView()
            except Exception as exc:  # the session may be gone; the view dies with it
                log.debug("DestroyView failed: %s", type(exc).__name__)

    def _take(self, page: Any) -> Retrieved:
        result = Retrieved()
        for content in page.objects or ():
            props: Props = {prop.name: prop.val for prop in content.propSet or ()}
            for missing in content.missingSet or ():
                reason = getattr(missing, "reason", None) or type(missing.fault.fault).__name__
                message = f"{content.obj._wsdlName} {content.obj._moId}: property {missing.path}: {reason}"
                log.info("%s", message)  # reported with the run summary; logged for -v
                result.warnings.append(message)
                if not getattr(missing, "partial", False):
                    props.setdefault(SKIPPED, set()).add(missing.path)
            result.add(content.obj, props)
        self.objects += len(result.types)
        if self._progress is not None:
            self._progress.update("retrieving properties", done=self.objects, total=None)
        return result
