"""The resampler interface, the choice of engine and its fallback.

Every engine implements :class:`Resampler`. The grid engine runs when it can (numba, a regular
GOCI grid), else the method's reference engine: the KD-tree engine for Gaussian and Nearest,
the numpy index-space engine for bilinear and cubic; whichever runs, the results agree within
SPEC §3. When the grid engine's spot checks disagree with its reference,
:func:`resample_with_fallback` runs the work again with the engine's own fallback (the reference
it already built).
"""

import time

import numpy as np

from ..errors import GociResampleError
from .grid_engine import EngineMismatch, EngineUnavailable, GridResampler
from .index_engine import IndexResampler
from .interface import Resampler
from .kdtree import KdTreeResampler

BLOCK_BUDGET_BYTES = 256 * 2**20
"""Working memory one block of target rows may use; peak RSS stays near this plus the inputs."""

ENGINES = ("auto", "grid", "kdtree")
"""``auto``: the grid engine when it can run (numba, a regular GOCI grid), else ``kdtree``: the
method's reference engine (for bilinear and cubic the numpy index-space engine, which starts
from a KD-tree too). Whichever runs, the results agree within SPEC §3."""

__all__ = ["BLOCK_BUDGET_BYTES", "ENGINES", "Resampler", "engine_memory_bytes", "make_resampler",
           "resample_strips", "resample_with_fallback"]  # fmt: skip


def make_resampler(subset, grid, options, engine, control, assign=False):
    """Return the :class:`Resampler` for the pair.

    Raises:
        ValueError: ``engine`` is not one of ``ENGINES``.
        GociResampleError: ``engine="grid"`` was asked for and cannot run.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    if engine != "kdtree":
        try:
            resampler = GridResampler(subset, grid, options, assign=assign)
            if resampler.first_use:
                control.info(_preparing_message(resampler))
            return resampler
        except EngineUnavailable as reason:
            if engine == "grid":
                raise GociResampleError(f"The grid engine cannot run: {reason}.") from None
            reference = reference_engine(options).label
            control.info(f"Grid engine not used: {reason}. Using the {reference} engine (slower, "
                         "same results).")  # fmt: skip
    return reference_engine(options)(subset, grid, options)


def _preparing_message(resampler):
    """What the first run after an install says while the fast engine is compiled."""
    where = "" if resampler.measured_compile_seconds is None else ", measured on this machine"
    about = f"about {resampler.compile_seconds:.0f} s of one core{where}"
    if resampler.compiled_elsewhere:
        return (f"Preparing the fast engine: it is being compiled once after installation, by "
                f"a background process started when QGIS loaded the plugin ({about}); waiting "
                f"for it while the inputs are set up.")  # fmt: skip
    return (f"Preparing the fast engine: the first run after installation compiles it "
            f"({about}, while the inputs are set up; once: later runs start at once).")  # fmt: skip


def reference_engine(options):
    """The reference engine class of the method: :class:`KdTreeResampler` (Gaussian,
    Nearest) or :class:`IndexResampler` (bilinear, cubic)."""
    return IndexResampler if options.interpolates else KdTreeResampler


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
                used.append(used[-1].fallback())
                control.info(f"{mismatch}; starting again with the {used[-1].label} engine.")
    finally:
        for engine in used:
            engine.settle()


def engine_memory_bytes(width, height):
    """The largest set-up memory (bytes) any engine may need on a ``width`` × ``height`` grid
    beyond the GOCI arrays (the grid engine also holds its KD-tree reference)."""
    return max(GridResampler.memory_bytes(width, height),
               KdTreeResampler.memory_bytes(width, height))  # fmt: skip


def resample_strips(resampler, grid, band_count, strip_rows, control, seconds, with_quality):
    """Yield ``(row_start, strip, quality strip or None)`` over the target ``grid``: strips of
    ``strip_rows`` rows ((bands, rows, width) float32; quality (3, rows, width) when
    ``with_quality``), resampled in blocks of rows sized to ``BLOCK_BUDGET_BYTES``; checks
    for cancel and reports progress after every block, and adds the time spent to
    ``seconds["resample"]``.

    Two strips (and quality strips) are used in turn: a strip is overwritten two strips
    later, so a consumer must be done with it by then (the GeoTIFF writer is: it holds at most
    two) or copy it. Reusing them spares the kernel zeroing fresh pages for every strip (about
    0.9 s of CPU on a full scene)."""
    rows = BLOCK_BUDGET_BYTES // (grid.width * resampler.bytes_per_target_pixel())
    rows_per_block = int(min(strip_rows, max(1, rows)))
    buffers = [_Strips(band_count, grid.width, with_quality) for _ in range(2)]
    for number, strip_start in enumerate(range(0, grid.height, strip_rows)):
        strip_stop = min(grid.height, strip_start + strip_rows)
        strip, quality = buffers[number % 2].rows(strip_stop - strip_start)
        tick = time.perf_counter()
        for row_start in range(strip_start, strip_stop, rows_per_block):
            control.stop_if_cancelled()
            row_stop = min(strip_stop, row_start + rows_per_block)
            rows = slice(row_start - strip_start, row_stop - strip_start)
            out = strip[:, rows]
            block = resampler.resample_rows(row_start, row_stop,
                                            None if quality is None else quality[:, rows],
                                            out)  # fmt: skip
            if block is not out:
                out[...] = block
            control.progress(row_stop / grid.height)
        seconds["resample"] += time.perf_counter() - tick
        yield strip_start, strip, quality


class _Strips:
    """One strip and quality strip of ``width`` pixels, allocated once and reused; a strip
    of other rows (the grid's last) gets arrays of its own."""

    def __init__(self, band_count, width, with_quality):
        self.band_count, self.width, self.with_quality = band_count, width, with_quality
        self.arrays = None

    def rows(self, count):
        """(strip (bands, count, width), quality (3, count, width) or None) float32."""
        if self.arrays is None or self.arrays[0].shape[1] != count:
            self.arrays = (
                np.empty((self.band_count, count, self.width), dtype=np.float32),
                np.empty((3, count, self.width), dtype=np.float32) if self.with_quality
                else None,
            )  # fmt: skip
        return self.arrays
