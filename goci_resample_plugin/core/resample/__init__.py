"""Resampling: GOCI pixels onto target pixel centres with pyresample ``kd_tree`` semantics
(SPEC §3), by the KD-tree engine (the reference) or the faster grid engine."""

from .checks import check_overlap, no_overlap_message, parameter_notes, parameter_warnings
from .engines import ENGINES, EngineMismatch, KdTreeResampler, make_resampler
from .quality import QUALITY_BANDS

__all__ = [
    "ENGINES",
    "QUALITY_BANDS",
    "EngineMismatch",
    "KdTreeResampler",
    "check_overlap",
    "make_resampler",
    "no_overlap_message",
    "parameter_notes",
    "parameter_warnings",
]
