"""Planner settings: every knob of ``mfactory waves plan``, recorded in ``waves.json`` so a
re-import checks edits against the same limits the plan was made with."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from factory.errors import InputError
from factory.waves.duration import OVERHEAD_SECONDS, SINGLE_VM_MIBS, STAGGER_SECONDS

DEFAULT_MAX_VMS_PER_WAVE = 500  # without windows: five Plans of the recommended 100 VMs


class EnvOrder(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str
    order: list[str]

    def rank(self, labels: dict[str, str]) -> int:
        value = labels.get(self.label)
        return self.order.index(value) if value in self.order else len(self.order)


class PlanSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_vms_per_plan: int = Field(default=100, ge=1, le=500)
    max_inflight_per_host: int = Field(default=10, ge=1)
    throughput_mibs: float | None = Field(default=None, gt=0)
    group_by: list[str] = Field(default_factory=list)  # label keys
    pilot_size: int = Field(default=5, ge=0)
    env_order: EnvOrder | None = None
    max_vms_per_wave: int | None = Field(default=None, ge=1)
    max_vms_per_host: int | None = Field(default=None, ge=1)
    overhead_seconds: float = Field(default=OVERHEAD_SECONDS, ge=0)
    stagger_seconds: float = Field(default=STAGGER_SECONDS, ge=0)
    single_vm_mibs: float = Field(default=SINGLE_VM_MIBS, gt=0)


def parse_env_order(text: str | None) -> EnvOrder | None:
    """``label:env=dev,test,prod`` -> EnvOrder(label="env", order=[dev, test, prod])."""
    if not text:
        return None
    head, _, values = text.partition("=")
    kind, _, label = head.partition(":")
    order = [v.strip() for v in values.split(",") if v.strip()]
    if kind != "label" or not label or not order:
        raise InputError(
            f"--env-order {text!r} is not label:KEY=V1,V2,...", hint="e.g. --env-order label:env=dev,test,prod"
        )
    return EnvOrder(label=label, order=order)
