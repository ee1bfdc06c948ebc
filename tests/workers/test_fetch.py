"""HTTP fetch with Range resume and checksum, against a real local HTTP server."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from factory.errors import FactoryError
from tests.workers.httpd import FileServer
from workers.fetch import Download, download


def test_resumes_after_a_cut_and_checks_the_sum(tmp_path: Path) -> None:
    (tmp_path / "srv").mkdir()
    data = os.urandom(3 * 2**20 + 17)
    (tmp_path / "srv" / "d.img").write_bytes(data)
    dest = tmp_path / "stage" / "d.src"
    with FileServer(tmp_path / "srv") as http:
        http.behaviour.cut_after = 2**20 + 5
        seen = []
        fetched, _ = download(Download(f"{http.url}/d.img", {}), dest, "sha256:" + hashlib.sha256(data).hexdigest(),
                              lambda done, total: seen.append((done, total)))  # fmt: skip
        ranges = [r for _, r in http.behaviour.requests]
    assert dest.read_bytes() == data and fetched == len(data)
    assert ranges[0] is None and len(ranges) == 2
    resumed_at = int(ranges[1].removeprefix("bytes=").rstrip("-"))
    assert 0 < resumed_at <= 2**20 + 5  # resumed from what was kept, not restarted
    assert seen[-1] == (len(data), len(data))
    assert not dest.with_name("d.src.partial").exists()


def test_checksum_mismatch_fails_and_keeps_nothing(tmp_path: Path) -> None:
    (tmp_path / "srv").mkdir()
    (tmp_path / "srv" / "d.img").write_bytes(b"x" * 1000)
    dest = tmp_path / "d.src"
    with FileServer(tmp_path / "srv") as http, pytest.raises(FactoryError, match="checksum mismatch"):
        download(Download(f"{http.url}/d.img", {}), dest, "sha256:" + "0" * 64, lambda *_: None)
    assert not dest.exists() and not dest.with_name("d.src.partial").exists()
