"""The resampler interface, the choice of engine and its fallback.

Every engine implements :class:`Resampler`. The grid engine runs when it can (numba, a regular
GOCI grid), else the KD-tree engine; whichever runs, the results agree within SPEC §3. When the
grid engine's spot checks disagree with its KD-tree reference, :func:`resample_with_fallback`
runs the work again with the engine's own fallback (the reference it already built).
"""

from ..errors import GociResampleError
from .grid_engine import EngineMismatch, EngineUnavailable, GridResampler
from .interface import Resampler
from .kdtree import KdTreeResampler

ENGINES = ("auto", "grid", "kdtree")
"""``auto``: the grid engine when it can run (numba, a regular GOCI grid), else ``kdtree``.
Whichever runs, the results agree within SPEC §3."""

__all__ = ["ENGINES", "Resampler", "engine_memory_bytes", "make_resampler",
           "resample_with_fallback"]  # fmt: skip


def make_resampler(subset, grid, options, engine, control):
    """Return the :class:`Resampler` for the pair.

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
                    "(a few seconds of one core, while the inputs are set up; once: later runs "
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


def resample_with_fallback(resampler, work, control):
    """Return ``work(resampler)``; when the engine's spot checks disagree with its reference
    (:class:`EngineMismatch`), say so and return ``work`` run again with the engine's fallback.
    Whatever happens, every engine used has settled (nothing left running in the background)
    when this returns."""
    used = [resampler]
    try:
        while True:
            try:
                return work(used[-1])
            except EngineMismatch as mismatch:
                control.info(f"{mismatch}; starting again with the KD-tree engine.")
                used.append(used[-1].fallback())
    finally:
        for engine in used:
            engine.settle()


def engine_memory_bytes(width, height):
    """The largest set-up memory (bytes) any engine may need on a ``width`` × ``height`` grid
    beyond the GOCI arrays (the grid engine also holds its KD-tree reference)."""
    return max(GridResampler.memory_bytes(width, height),
               KdTreeResampler.memory_bytes(width, height))  # fmt: skip
