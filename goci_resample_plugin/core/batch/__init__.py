"""Batches: every scene folder under an input root, one report row per scene, resumable,
in-process or in worker processes."""

from .report import REPORT_NAME, read_report
from .runner import BatchResult, run_batch
from .scene import FAILED, NO_PAIR, NOT_RUN, OK, SKIPPED, STATUSES, SceneResult, process_scene
from .scenes import SceneFolder, discover_scenes, find_pair

__all__ = [
    "FAILED",
    "NOT_RUN",
    "NO_PAIR",
    "OK",
    "REPORT_NAME",
    "SKIPPED",
    "STATUSES",
    "BatchResult",
    "SceneFolder",
    "SceneResult",
    "discover_scenes",
    "find_pair",
    "process_scene",
    "read_report",
    "run_batch",
]
