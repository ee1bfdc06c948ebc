"""Reports in every format, read back with real readers: openpyxl for XLSX, csv/json, and
headless Chromium for the HTML (DOM and a screenshot)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest

from risk import RULES, report_json, score
from risk.reports import write_report
from risk.result import LEVELS, RiskReport
from tests.risk.estate import estate

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def report() -> RiskReport:
    inventories, profile, mapping = estate()
    return score(inventories, profile, mapping)


def test_xlsx_sheets_panes_filters_formats_and_charts(report: RiskReport, tmp_path: Path) -> None:
    path = write_report(report, "xlsx", tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Summary", "VMs", "Findings", "Rule coverage"]
    for name in ("VMs", "Findings", "Rule coverage"):
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        rules = [r for cf in ws.conditional_formatting for r in cf.rules]
        assert len(rules) >= 3
    summary = wb["Summary"]
    assert [summary.cell(row=r, column=1).value for r in range(4, 8)] == ["Level", *LEVELS]
    assert [summary.cell(row=r, column=2).value for r in range(5, 8)] == [report.by_level()[lv] for lv in LEVELS]
    vms = wb["VMs"]
    assert vms.max_row == len(report.vms) + 1
    levels = [c.value for c in vms["G"][1:]]
    assert sorted(set(levels)) == sorted({v.level for v in report.vms})
    findings = wb["Findings"]
    assert findings.max_row == sum(len(v.findings) for v in report.vms) + 1
    # openpyxl drops charts on load: read the package parts instead.
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml", n)]
        assert len(charts) >= 4
        kinds = " ".join(z.read(n).decode() for n in charts)
        assert "<c:pieChart>" in kinds and "<c:barChart>" in kinds
        assert "xl/drawings/drawing1.xml" in z.namelist()


def test_csv_has_a_row_per_finding(report: RiskReport, tmp_path: Path) -> None:
    path = write_report(report, "csv", tmp_path / "r.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    expected = sum(max(1, len(v.findings)) for v in report.vms)
    assert len(rows) == expected
    blocked = {(r["source"], r["vm_id"]) for r in rows if r["severity"] == "Critical"}
    assert blocked == set(report.blocked())


def test_json_report_is_the_contract_plus_the_rules(report: RiskReport, tmp_path: Path) -> None:
    path = write_report(report, "json", tmp_path / "r.json")
    doc = json.loads(path.read_text())
    contract = report_json(report)
    assert doc["vms"] == json.loads(json.dumps(contract["vms"]))
    assert doc["summary"] == json.loads(json.dumps(contract["summary"]))
    assert [r["id"] for r in doc["rules"]] == [r.id for r in RULES]


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip


def _png_pixels(data: bytes) -> tuple[int, int, set[bytes]]:
    """A tiny PNG decoder (8-bit RGB/RGBA, non-interlaced): width, height, distinct pixels
    of a sample of rows."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, ctype = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    bpp = 4 if ctype == 6 else 3
    raw, stride = zlib.decompress(idat), width * bpp
    prev, colours = bytearray(stride), set()
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if y % 10 == 0:
            colours.update(bytes(line[i : i + 3]) for i in range(0, stride, bpp * 5))
        prev = line
    return width, height, colours


@pytest.mark.slow
def test_html_report_renders_in_chromium(report: RiskReport, tmp_path: Path) -> None:
    path = write_report(report, "html", tmp_path / "r.html")
    html = path.read_text()
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html and "<link" not in html and " src=" not in html  # self-contained

    dom = _chromium(tmp_path, "--dump-dom", path.as_uri()).stdout
    for chart in ("chart-readiness", "chart-severity", "chart-rules", "chart-os", "chart-blockers"):
        assert f'id="{chart}"' in dom
    assert dom.count('class="vm-row"') == len(report.vms)  # rows built by the inline script
    assert dom.count('class="badge blocked"') == report.by_level()["blocked"]
    assert f"{len(report.vms)} of {len(report.vms)} VMs" in dom
    for f in {f.id: f for v in report.vms for f in v.findings}.values():  # each VM's findings, rule ids decoded
        assert f"<code>{f.id}</code>" in dom

    png = tmp_path / "r.png"  # MFACTORY_KEEP_PNG=path keeps a copy to look at
    _chromium(tmp_path, f"--screenshot={png}", "--window-size=1400,2000", path.as_uri())
    if keep := os.environ.get("MFACTORY_KEEP_PNG"):
        Path(keep).write_bytes(png.read_bytes())
    width, height, colours = _png_pixels(png.read_bytes())
    assert (width, height) == (1400, 2000)
    assert len(colours) > 20  # not blank: text, bars in three level colours, badges
    red = {c for c in colours if c[0] > 150 and c[1] < 80 and c[2] < 80}
    assert red, "no blocked-red pixels: the charts did not draw"


def test_html_escapes_names_from_the_source(tmp_path: Path) -> None:
    from factory.model import VM, Cluster, Inventory, Source

    evil = "</script><img src=x onerror=alert(1)>"
    inv = Inventory(
        source=Source(name="s", kind="vsphere"),
        clusters=[Cluster(id="c", name=evil)],
        vms=[VM(id="1", source="s", name=evil, cluster="c", tpm=True)],
    )
    html = write_report(score([inv]), "html", tmp_path / "x.html").read_text()
    assert evil not in html
    assert "&lt;/script&gt;" in html  # the cluster label in the SVG chart, escaped
    assert "\\u003c/script>" in html  # the VM name in the embedded JSON, escaped
