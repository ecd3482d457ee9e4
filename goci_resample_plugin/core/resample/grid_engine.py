"""The grid engine: the SPEC §3 results without a KD-tree query per target pixel.

The KD-tree engine asks a tree for the k nearest sources of each of 60 M target pixels. This
engine uses what the tree cannot know: both grids are smooth. Per pair it computes

* the 3-D position (same sphere as pyresample) of target pixel centres on a lattice every
  ``LATTICE_STEP`` pixels, exactly with PROJ; pixels in between are interpolated with cubic
  Lagrange polynomials (error far below a micrometre over a Landsat scene);
* the fractional source (row, col) each lattice point falls on (nearest source from a KD-tree,
  refined by one Newton step on the local source grid);
* the smallest distance between neighbouring source pixels, which bounds how many index steps
  from its fractional source index a target pixel can be and still have a source within the
  radius.

The compiled kernel (:mod:`.grid_kernel`, numba) then scans that window per pixel and applies
exactly the pyresample rules. Each strip is spot-checked against the KD-tree engine; more than
``ALLOWED_DISAGREEMENTS`` disagreements in a pair raise :class:`EngineMismatch`, and
:meth:`GridResampler.fallback` is that KD-tree engine.
"""

import concurrent.futures
import contextlib
import math
import os
import time
import warnings
from pathlib import Path

import numpy as np

from .geometry import lonlat_to_xyz
from .grid_lattice import (
    LATTICE_BYTES_PER_POINT,
    LATTICE_CHUNK_POINTS,
    LATTICE_STEP,
    SETUP_BYTES_PER_LATTICE_POINT,
    cubic_weights,
    grow,
    lattice_shape,
    smallest_spacing,
    source_index,
    target_lattice,
)
from .interface import Resampler
from .kdtree import KdTreeResampler

MAX_REACH = 12.0
"""Largest index reach worth scanning; beyond it the KD-tree engine is used."""

CENTRE_ERROR = 0.1
"""Bound (source pixels) on the error of the interpolated fractional source index where every
lattice point near the sources was refined (the error is then at most ~1e-2 pixel, see
``LATTICE_STEP``)."""

CENTRE_ERROR_UNREFINED = 0.75
"""The bound where some lattice point near the sources kept its nearest source's index (a
geolocation hole left no local derivative): half a diagonal pixel plus margin."""

CHECKS_PER_STRIP = 32
"""Target pixels per strip compared with the KD-tree engine."""

FAR_AWAY_M = 1e12
"""Where the kernel sees sources without geolocation: beyond any radius."""

COMPILE_SECONDS = 8.0
"""About how long the first run's compile takes on a slow machine, for the progress shown
while it runs (measured: ``bench/kernel.md``)."""

PREPARE_POLL_SECONDS = 0.2
"""How often progress and cancel are looked at while the compile runs."""

ALLOWED_DISAGREEMENTS = 2
"""Spot-check disagreements (distance ties at the radius) tolerated per pair."""


def compute_threads():
    """Threads the kernel runs on: ``NUMBA_NUM_THREADS`` when set (a batch worker's share of
    the cores), else every core this process may use."""
    configured = os.environ.get("NUMBA_NUM_THREADS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class EngineUnavailable(Exception):
    """The grid engine cannot run for this pair (no numba, or an unsuitable geometry)."""


class EngineMismatch(Exception):
    """The grid engine disagreed with the KD-tree engine on spot-checked pixels."""


class GridResampler(Resampler):
    """Resamples the bands of a ``GociSubset`` onto a ``TargetGrid`` with the grid kernel."""

    name = "grid"

    def __init__(self, subset, grid, options):
        try:
            with warnings.catch_warnings():  # llvmlite/numba deprecations are not the user's
                warnings.simplefilter("ignore", DeprecationWarning)
                from . import grid_kernel
        except ImportError as error:
            raise EngineUnavailable(f"numba is not available ({error})") from None
        self._kernel_module = grid_kernel
        self._kernel = grid_kernel.resample_strip
        self.first_use = not _compiled(grid_kernel)
        # In the background while the geometry below is worked out: compiling the kernel (a
        # first run only) and the spot checks' KD-tree reference. ``settle`` waits for both.
        background = concurrent.futures.ThreadPoolExecutor(2)
        self._compiling = None
        if self.first_use:
            self._compiling = background.submit(_compile, grid_kernel, len(subset.bands))
        self._reference = background.submit(KdTreeResampler, subset, grid, options)
        background.shutdown(wait=False)
        try:
            self._set_up(subset, grid, options)
        except BaseException:
            self.settle()
            raise

    def _set_up(self, subset, grid, options):
        self.grid, self.options = grid, options
        self.band_count = len(subset.bands)
        lattice = target_lattice(grid, LATTICE_STEP)
        if not np.isfinite(lattice).all():
            raise EngineUnavailable("part of the Landsat grid has no longitude/latitude")
        rows, cols = subset.shape
        if rows < 2 or cols < 2:
            raise EngineUnavailable(f"the GOCI grid is only {rows} × {cols} pixels")
        located = subset.geolocation_valid
        source_xyz = lonlat_to_xyz(subset.longitude, subset.latitude)
        located_xyz = np.where(located.ravel()[:, np.newaxis], source_xyz, np.nan)
        spacing = smallest_spacing(located_xyz.reshape(rows, cols, 3))
        if not spacing > 0:
            raise EngineUnavailable("the GOCI pixel spacing cannot be measured")
        centre, refined = source_index(
            lattice, source_xyz, located, near=options.radius_m + 4 * spacing
        )
        self.centre_error = CENTRE_ERROR if refined else CENTRE_ERROR_UNREFINED
        self.step_m = 0.95 * spacing
        self.reach = options.radius_m / self.step_m + self.centre_error
        if self.reach > MAX_REACH:
            raise EngineUnavailable(
                f"RADIUS {options.radius_m:g} m spans more than {MAX_REACH:g} GOCI pixels"
            )
        values = np.stack([band.values.ravel() for band in subset.bands], axis=1)
        usable = located.copy()
        if options.invalid != "propagate":
            usable &= np.isfinite(values).any(axis=1).reshape(rows, cols)
        kernel = self._kernel_module
        self.geometry = kernel.make_geometry(lattice, cubic_weights(LATTICE_STEP),
                                             centre, grid.width, self.reach, self.step_m,
                                             self.centre_error)  # fmt: skip
        self.sources = kernel.make_sources(
            np.where(located.ravel()[:, np.newaxis], source_xyz, FAR_AWAY_M),
            np.where(usable.ravel(), 0.0, np.inf),
            grow(usable, math.ceil(self.reach + 0.5)),
            values,
        )
        self.rule, self.table = kernel.make_rule(options.radius_m, options.sigma_m,
                                                 options.neighbours, options.invalid,
                                                 options.method == "nearest")  # fmt: skip
        self.disagreements = 0

    def bytes_per_target_pixel(self):
        """Working memory (bytes) per target pixel: the float32 output only."""
        return 4 * self.band_count

    @staticmethod
    def memory_bytes(width, height):
        """Set-up memory (bytes) on a ``width`` × ``height`` grid: the lattice (one point per
        ``LATTICE_STEP``² target pixels) and the working memory of one chunk of its set-up."""
        lattice_rows, lattice_cols = lattice_shape(width, height)
        return (lattice_rows * lattice_cols * LATTICE_BYTES_PER_POINT
                + LATTICE_CHUNK_POINTS * SETUP_BYTES_PER_LATTICE_POINT)  # fmt: skip

    def fallback(self):
        """The KD-tree engine this engine built for its spot checks."""
        return self._reference.result()

    def resample_rows(self, row_start, row_stop, quality=None):
        """Return (bands, row_stop - row_start, width) float32 for target rows; NaN = no value.

        Args:
            row_start, row_stop: target rows.
            quality: None, or a (3, row_stop - row_start, width) float32 array that receives
                the per-pixel quality in the same pass (see :data:`.QUALITY_BANDS`).

        Raises:
            EngineMismatch: spot checks disagree with the KD-tree engine.
        """
        if self._compiling is not None:
            self._compiling.result()
        out = np.empty((self.band_count, row_stop - row_start, self.grid.width), dtype=np.float32)
        # one compiled variant: the kernel takes C-contiguous arrays only
        written_quality = (
            np.empty((3, 1, 1), dtype=np.float32)
            if quality is None
            else np.ascontiguousarray(quality)
        )
        arguments = (self.geometry, self.sources, self.rule, self.table, int(row_start), out,
                     written_quality)  # fmt: skip
        threads = min(compute_threads(), out.shape[1])
        if threads == 1:
            self._kernel(*arguments, 0, 1)
        else:
            with concurrent.futures.ThreadPoolExecutor(threads) as pool:
                calls = [pool.submit(self._kernel, *arguments, t, threads) for t in range(threads)]
                for call in calls:
                    call.result()
        if quality is not None and written_quality is not quality:
            quality[...] = written_quality
        self._spot_check(row_start, out)
        return out

    def prepare(self, control):
        """Wait for the first run's compile, reporting progress (by the time it usually takes,
        ``COMPILE_SECONDS``) and honouring cancel every ``PREPARE_POLL_SECONDS``.

        Raises:
            ResampleCancelled: the control asked to stop (the compile finishes in the
                background; ``settle`` waits for it).
        """
        if self._compiling is None:
            return
        started = time.perf_counter()
        while not concurrent.futures.wait([self._compiling], PREPARE_POLL_SECONDS).done:
            control.stop_if_cancelled()
            control.progress(min(0.95, (time.perf_counter() - started) / COMPILE_SECONDS))
        control.progress(1.0)
        waited = time.perf_counter() - started
        control.info(f"Fast engine compiled (waited {waited:.1f} s for it after the set-up).")

    def settle(self):
        """Wait for the work this engine started in the background: a process should not end
        while numba compiles in another thread (``qgis_process`` was seen to crash on exit
        with a compile still running)."""
        concurrent.futures.wait([f for f in (self._compiling, self._reference) if f])

    def _spot_check(self, row_start, out):
        random = np.random.default_rng(row_start)
        rows = random.integers(0, out.shape[1], CHECKS_PER_STRIP)
        cols = random.integers(0, out.shape[2], CHECKS_PER_STRIP)
        lon, lat = self.grid.pixel_lonlat(rows + row_start, cols)
        expected = self._reference.result().resample(lon, lat)
        got = out[:, rows, cols]
        with np.errstate(invalid="ignore", divide="ignore"):
            relative = np.abs(got - expected) / np.abs(expected)
        differ = (np.isnan(got) != np.isnan(expected)) | (relative > 1e-5)
        self.disagreements += int(differ.any(axis=0).sum())
        if self.disagreements > ALLOWED_DISAGREEMENTS:
            raise EngineMismatch(
                f"the grid engine disagreed with the KD-tree engine on {self.disagreements} "
                f"spot-checked pixels up to row {row_start + out.shape[1]}"
            )


def _compile(kernel_module, band_count):
    """Compile ``kernel`` (numba, which caches it) for the argument types ``resample_rows``
    passes, by a call on tiny arrays that resamples no row. Run in a thread while the engine
    sets up: the compiler's optimisation passes release the GIL. A failure here is left to
    the first real call, which compiles again and raises it where it can be handled."""
    with contextlib.suppress(Exception):
        _tiny_call(kernel_module, band_count)


def _tiny_call(kernel_module, band_count):
    """Call the kernel on tiny bundles built like the engine's (so of the same types), for no
    target row."""
    geometry = kernel_module.make_geometry(
        np.zeros((4, 4, 3)),
        cubic_weights(LATTICE_STEP),
        np.zeros((4, 4, 2)),
        1,
        1.0,
        1.0,
        CENTRE_ERROR,
    )
    sources = kernel_module.make_sources(np.zeros((4, 3)), np.zeros(4),
                                         np.zeros((2, 2), dtype=np.bool_),
                                         np.zeros((4, band_count)))  # fmt: skip
    rule, table = kernel_module.make_rule(1.0, 1.0, 1, "skip", False)
    kernel_module.resample_strip(geometry, sources, rule, table, 0,
                                 np.empty((band_count, 0, 1), dtype=np.float32),
                                 np.empty((3, 1, 1), dtype=np.float32), 0, 1)  # fmt: skip


def _compiled(kernel_module):
    """True when numba has a cached compilation of the kernel where it will look for one
    (next to it, or under ``NUMBA_CACHE_DIR``); else the engine compiles it in the background
    (``_compile``): about 4 s with bookworm's numba, once per installation."""
    cache = kernel_module.resample_strip._cache
    try:
        return (Path(cache._cache_path) / cache._cache_file._index_name).is_file()
    except AttributeError:  # another numba's private layout: its default place
        folder = Path(kernel_module.__file__).parent / "__pycache__"
        return any(folder.glob("grid_kernel.resample_strip-*.nbi"))
