"""Resampling: GOCI pixels onto target pixel centres with pyresample ``kd_tree`` semantics
(SPEC §3), by the KD-tree engine (the reference) or the faster grid engine."""

from .checks import (
    check_cells,
    check_overlap,
    no_overlap_message,
    parameter_notes,
    parameter_warnings,
)
from .engines import (
    BLOCK_BUDGET_BYTES,
    ENGINES,
    engine_memory_bytes,
    make_resampler,
    resample_strips,
    resample_with_fallback,
)
from .interface import Resampler
from .kdtree import KdTreeResampler
from .quality import QUALITY_BANDS

__all__ = [
    "BLOCK_BUDGET_BYTES",
    "ENGINES",
    "QUALITY_BANDS",
    "KdTreeResampler",
    "Resampler",
    "check_cells",
    "check_overlap",
    "engine_memory_bytes",
    "make_resampler",
    "no_overlap_message",
    "parameter_notes",
    "parameter_warnings",
    "resample_strips",
    "resample_with_fallback",
]
