"""Choosing the engine: the grid engine when it can run, else the KD-tree engine."""

from ..errors import GociResampleError
from .grid_engine import EngineMismatch, EngineUnavailable, GridResampler
from .kdtree import KdTreeResampler

ENGINES = ("auto", "grid", "kdtree")
"""``auto``: the grid engine when it can run (numba, a regular GOCI grid), else ``kdtree``.
Whichever runs, the results agree within SPEC §3."""

__all__ = ["ENGINES", "EngineMismatch", "KdTreeResampler", "make_resampler"]


def make_resampler(subset, grid, options, engine, control):
    """Return a resampler for the pair: ``resample_rows(row_start, row_stop, quality=None)``,
    ``bytes_per_target_pixel()``, ``settle()`` (wait for its background work) and ``name``.

    Raises:
        ValueError: ``engine`` is not one of ``ENGINES``.
        GociResampleError: ``engine="grid"`` was asked for and cannot run.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    if engine != "kdtree":
        try:
            resampler = GridResampler(subset, grid, options)
            if resampler.first_use:
                control.info(
                    "Preparing the fast engine: the first run after installation compiles it "
                    "(about 4 s of one core, while the inputs are set up; once: later runs "
                    "start at once)."
                )
            return resampler
        except EngineUnavailable as reason:
            if engine == "grid":
                raise GociResampleError(f"The grid engine cannot run: {reason}.") from None
            control.info(
                f"Grid engine not used: {reason}. Using the KD-tree engine (slower, same results)."
            )
    return KdTreeResampler(subset, grid, options)
