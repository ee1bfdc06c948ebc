"""Wave planning: move-together groups, a duration model, cutover windows, capacity, and a
CSV round trip for people who plan in spreadsheets. Pure: imports only ``factory``."""

from factory.waves.document import WavesDocument, load_waves, write_waves
from factory.waves.groups import Group, VmKey, find_groups, parse_group_by
from factory.waves.planner import plan_waves
from factory.waves.roundtrip import export_csv, import_csv
from factory.waves.settings import EnvOrder, PlanSettings, parse_env_order
from factory.waves.windows import Window, Windows, build_windows, load_windows, parse_duration

__all__ = [
    "EnvOrder",
    "Group",
    "PlanSettings",
    "VmKey",
    "WavesDocument",
    "Window",
    "Windows",
    "build_windows",
    "export_csv",
    "find_groups",
    "import_csv",
    "load_waves",
    "load_windows",
    "parse_duration",
    "parse_env_order",
    "parse_group_by",
    "plan_waves",
    "write_waves",
]
