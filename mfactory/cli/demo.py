"""`mfactory demo`: the main job on embedded defaults — no external service needed."""

from __future__ import annotations

from pathlib import Path

import typer

from mfactory.cli.state import console


def register(app: typer.Typer) -> None:
    """Attach `demo` to the root app."""
    app.command("demo")(demo)


def _say(text: str) -> None:
    # Paths must stay copy-pasteable: never wrap them, whatever the terminal width.
    console.print(text, highlight=False, soft_wrap=True)


def demo(
    out: Path = typer.Option(Path("demo-out"), "--out", help="Where to write everything (created if missing)."),
) -> None:
    """Run the whole factory on the shipped sample estate (vSphere, RHV and an RVTools export):
    score, write the reports, plan waves, emit MTV CRs, convert sample disks in-process."""
    from mfactory.demo import run_demo
    from mfactory.demo.pipeline import StepResult

    _say(f"[bold]migration-factory demo[/] -> {out.resolve()}")

    def show(step: StepResult) -> None:
        _say(f"  [green]✓[/] {step.name} [dim]({step.seconds:.1f}s)[/]: {step.message}")

    result = run_demo(out, on_step=show)
    _say("\n[bold]Outputs[/]")
    for label, path in result.outputs.items():
        _say(f"  {label:<12} {path}")
    total = sum(s.seconds for s in result.steps)
    _say(f"\nDone in {total:.1f}s. Open {result.outputs['report_html']} in a browser.")
