"""The demo's steps. Each takes the :class:`DemoContext`, calls one real stage, records
where its output went and returns a one-line result for the console."""

from __future__ import annotations

import json
from pathlib import Path

import risk
from factory.model import Inventory
from factory.samples import __file__ as _samples_init
from factory.sources import ingest
from factory.sources.rvtools import RVToolsSource
from factory.waves import PlanSettings, load_waves, plan_waves, write_waves
from factory.waves.document import atomic_write
from mfactory.demo.pipeline import ESTATE, DemoContext

# where the converted disks would be served to CDI (the DataVolumes' HTTP source)
DISK_SERVER = "http://mfactory-disks.migration-factory.svc:8080/"
SAMPLE_RVTOOLS = Path(_samples_init).with_name("sample-rvtools.xlsx")


def load_estate(ctx: DemoContext) -> str:
    """Store every shipped inventory (one vSphere-like, one RHV-like) as its own source."""
    for path in sorted(ESTATE.glob("*.json")):
        inventory = Inventory.model_validate_json(path.read_text(encoding="utf-8"))
        ctx.store.replace_snapshot(inventory)
    ctx.inventories = ctx.store.inventories()
    parts = [
        f"{inv.source.name} ({inv.source.kind.value}, {sum(not v.template for v in inv.vms)} VMs)"
        for inv in ctx.inventories
    ]
    return ", ".join(parts)


def import_rvtools_sample(ctx: DemoContext) -> str:
    """The day-one path too: the bundled RVTools workbook, through the real importer, as a
    third source (a vSphere estate known only from its export)."""
    inventory, record = ingest(ctx.store, RVToolsSource(path=SAMPLE_RVTOOLS, name="rvtools-sample"))
    ctx.inventories = ctx.store.inventories()
    vms = record.counts["vms"] - record.counts["templates"]
    return f"{SAMPLE_RVTOOLS.name}: {vms} VMs as source {inventory.source.name}, {len(record.warnings)} warnings"


def score(ctx: DemoContext) -> str:
    ctx.report = risk.score(ctx.inventories, profile=ctx.profile, mapping=ctx.mapping)
    levels = ctx.report.by_level()
    return f"{len(ctx.report.vms)} VMs: {levels['ready']} ready, {levels['ready-with-warnings']} with warnings, " + (
        f"{levels['blocked']} blocked"
    )


def reports(ctx: DemoContext) -> str:
    """The architects' readiness reports, by the risk stage's own writers."""
    from risk.reports import write_report

    folder = ctx.out / "reports"
    folder.mkdir(exist_ok=True)
    written = []
    for fmt in ("html", "xlsx", "json"):
        path = write_report(ctx.report, fmt, folder / f"readiness.{fmt}")
        ctx.outputs[f"report_{fmt}"] = str(path)
        written.append(f"{path.name} ({path.stat().st_size // 1024} KiB)")
    return ", ".join(written)


def plan(ctx: DemoContext) -> str:
    settings = PlanSettings(group_by=["app"], pilot_size=3)
    doc = plan_waves(
        ctx.inventories,
        blocked=ctx.report.blocked(),
        settings=settings,
        windows=ctx.windows,
        profile=ctx.profile,
        mapping=ctx.mapping,
        samples=ctx.store.throughput_samples(),
        risk_scores={(v.source, v.id): 100 - v.score for v in ctx.report.vms},
    )
    path = ctx.out / "waves.json"
    write_waves(doc, path)
    ctx.waves = doc
    ctx.outputs["waves"] = str(path)
    planned = sum(len(w["vms"]) for w in doc["waves"])
    return (
        f"{planned} VMs in {len(doc['waves'])} waves, {len(doc['excluded'])} excluded (blocked), "
        f"{len(doc['unplaced'])} unplaced"
    )


def emit_mtv(ctx: DemoContext) -> str:
    """One directory per wave (maps, Plans, Migrations) plus shared Providers, validated
    by the emitter against Forklift's CRDs before it is swapped in."""
    from mappings import build_tree, write_tree

    out = ctx.out / "mtv"
    tree = build_tree(load_waves(ctx.out / "waves.json"), ctx.inventories, ctx.profile, ctx.mapping)
    write_tree(tree, out)
    waves = [w["name"] for w in ctx.waves["waves"]] if ctx.waves else []
    ctx.facts["mtv"] = {"waves": waves, "files": len(tree.files), "left_out": len(tree.left_out)}
    ctx.outputs["mtv"] = str(out)
    return f"{len(tree.files)} files for {len(waves)} waves in {out}, {len(tree.left_out)} VMs left out of Plans"


def convert_disks(ctx: DemoContext) -> str:
    """Cut over the pilot wave on the in-process worker (Celery eager mode: no broker), with
    the workers' own orchestration: each of its disks as a small real image made with
    qemu-img, fetch -> convert -> verify, then each VM's report and KubeVirt manifests."""
    from mfactory.demo.disks import make_disk
    from workers import cutover as cut
    from workers.app import configure
    from workers.locator import Defaults, DiskSource, DiskSources
    from workers.wave_run import run_wave
    from workers.wavestate import WaveState

    configure(None)  # the demo never needs Redis, even when REDIS_URL is set
    wave = load_waves(ctx.out / "waves.json").waves[0]
    vms = {(vm.source, vm.id): vm for inv in ctx.inventories for vm in inv.vms}
    kinds = ["vmdk", "vmdk-stream"]
    entries = []
    for n, ref in enumerate(wave.vms):
        vm = vms[(ref.source, ref.id)]
        for disk in vm.disks:
            kind = "qcow2" if vm.ovirt is not None else kinds[n % len(kinds)]
            sample = make_disk(ctx.out / "disks" / "source" / f"{vm.name}-{disk.key[:8]}.{kind}", kind, seed=n)
            entries.append(DiskSource(source=vm.source, vm=vm.id, disk=disk.key, url=str(sample.path)))
    sources = DiskSources(
        disks=entries,
        defaults=Defaults(format="raw", namespace=ctx.profile.namespace),
        serve_url=DISK_SERVER,
    )
    out = ctx.out / "disks"
    work = cut.build(
        wave, ctx.store, sources, out, deadline=None, db=str(ctx.out / "factory.db"), rate=cut.throughput(ctx.store)
    )
    context = {"serve_url": sources.serve_url, "namespace": sources.defaults.namespace, "disks_dir": str(out)}
    final = run_wave(wave, work, WaveState(None, wave.index), context, deadline=None)  # eager: runs here
    reports = {f"{vm['source']}/{vm['vm']}": vm for vm in final["vms"]}
    results = []
    for item in work:
        vm_report = reports.get(item.ref, {"status": "refused", "disks": [], "reason": "; ".join(item.problems)})
        for disk in vm_report["disks"]:
            results.append(
                {
                    "vm": item.vm.name, "source": item.vm.source, "disk": disk["key"], "target": disk["dst"],
                    "bytes": disk["bytes"], "seconds": disk["seconds"], "verified": disk["verified"],
                    "state": "succeeded" if disk["status"] in ("done", "skipped") and disk["verified"] else "failed",
                    "error": disk["error"], "manifests": vm_report.get("manifests"),
                }
            )  # fmt: skip
    ctx.facts["disks"] = results
    ctx.outputs["disks"] = str(out / wave.name)
    ok = sum(r["state"] == "succeeded" for r in results)
    moved = sum(r["bytes"] for r in results) / 2**20
    return (
        f"{wave.name}: {ok}/{len(results)} disks converted to raw and verified ({moved:.0f} MiB of data), "
        f"KubeVirt manifests for {sum(bool(r['manifests']) for r in results)} VMs"
    )


def summary(ctx: DemoContext) -> str:
    assert ctx.waves is not None and ctx.report is not None
    risk_summary = risk.report_json(ctx.report)["summary"]
    doc = {
        "estate": {
            "sources": [
                {"name": inv.source.name, "kind": inv.source.kind.value, "vms": sum(not v.template for v in inv.vms)}
                for inv in ctx.inventories
            ],
            "vms_scored": len(ctx.report.vms),
        },
        "risk": {k: risk_summary[k] for k in ("total", "ready", "warnings", "blocked", "by_rule")},
        "waves": {
            "count": len(ctx.waves["waves"]),
            "planned": sum(len(w["vms"]) for w in ctx.waves["waves"]),
            "excluded": len(ctx.waves["excluded"]),
            "unplaced": len(ctx.waves["unplaced"]),
            "waves": [
                {
                    "name": w["name"],
                    "vms": len(w["vms"]),
                    "plans": len(w["plans"]),
                    "window": w["window"],
                    "estimated_seconds": w["estimated_seconds"],
                }
                for w in ctx.waves["waves"]
            ],
        },
        "mtv": ctx.facts.get("mtv"),
        "disks": ctx.facts.get("disks", []),
        "outputs": dict(ctx.outputs),
    }
    path = ctx.out / "summary.json"
    ctx.outputs["summary"] = str(path)
    doc["outputs"]["summary"] = str(path)
    atomic_write(path, json.dumps(doc, indent=1) + "\n")
    return str(path)
