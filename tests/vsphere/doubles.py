"""Test doubles for what vcsim cannot do.

vcsim 0.24.2 ignores ``RetrieveOptions.maxObjects`` and has no ``ContinueRetrievePropertiesEx``:
one call returns everything. :class:`PagingCollectorDouble` wraps the collector's real property
collector, lets the real call go to vcsim, and hands the real result back in pages of
``maxObjects`` with continuation tokens, as vCenter does.
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

from factory.sources.vsphere.transport import Page


class PagingCollectorDouble:
    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls: Counter[str] = Counter()
        self.max_objects: list[int] = []
        self.result_sizes: list[int] = []  # objects in each real (unpaged) result
        self.pending: dict[str, list[list[Any]]] = {}
        self._tokens = itertools.count(1)

    @property
    def notes(self) -> list[str]:
        return self.real.notes

    def RetrievePropertiesEx(self, specSet: list[Any], options: Any) -> Page:
        self.calls["RetrievePropertiesEx"] += 1
        result = self.real.RetrievePropertiesEx(specSet, options)
        assert not result.token, "vcsim was expected to answer in one page"
        size = options.maxObjects
        self.max_objects.append(size)
        self.result_sizes.append(len(result.objects))
        pages = [result.objects[i : i + size] for i in range(0, len(result.objects), size)] or [[]]
        return self._serve(pages)

    def ContinueRetrievePropertiesEx(self, token: str) -> Page:
        self.calls["ContinueRetrievePropertiesEx"] += 1
        return self._serve(self.pending.pop(token))  # a token is good for one call only

    def _serve(self, pages: list[list[Any]]) -> Page:
        first, rest = pages[0], pages[1:]
        token = None
        if rest:
            token = f"page-token-{next(self._tokens)}"
            self.pending[token] = rest
        return Page(objects=first, token=token)
