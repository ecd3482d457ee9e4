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

The compiled kernel then does the method's work per pixel: for Gaussian and Nearest
(:mod:`.grid_kernel`) it scans the window of sources around the fractional index and applies
exactly the pyresample rules; for bilinear and cubic (:mod:`.grid_interpolate`) it refines the
fractional index by Newton's method and interpolates in GOCI's index space. Each strip is
spot-checked against the method's reference engine (KD-tree for Gaussian and Nearest, the numpy
index-space engine for the interpolators); more than ``ALLOWED_DISAGREEMENTS`` disagreements in
a pair raise :class:`EngineMismatch`, and :meth:`GridResampler.fallback` is that reference.
"""

import concurrent.futures
import contextlib
import math
import threading
import time
import warnings

import numpy as np

from ..system import compute_threads
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
    target_lonlat,
)
from .index_engine import IndexResampler
from .interface import Resampler
from .kdtree import KdTreeResampler
from .kernel_cache import compiled, compiling_child, measured_seconds, wait_for, wait_limit_seconds
from .reference_thread import checked

MAX_REACH = 12.0
"""Largest index reach worth scanning; beyond it the KD-tree engine is used."""

CENTRE_ERROR = 0.1
"""Bound (source pixels) on the error of the interpolated fractional source index where every
lattice point near the sources was refined (the error is then at most ~1e-2 pixel, see
``LATTICE_STEP``)."""

CUBIC_REACH = 2
"""Index steps from a pixel's fractional index to the farthest pixel of its 4 × 4 support."""

CENTRE_ERROR_UNREFINED = 0.75
"""The bound where some lattice point near the sources kept its nearest source's index (a
geolocation hole left no local derivative): half a diagonal pixel plus margin."""

CHECKS_PER_STRIP = 32
"""Target pixels per strip compared with the reference engine."""

FAR_AWAY_M = 1e12
"""Where the kernel sees sources without geolocation: beyond any radius."""

COMPILE_SECONDS = {"resample_strip": 7.5, "interpolate_strip": 5.0, "assign_strip": 1.0}
"""About how long each kernel's compile takes (seconds of one core; ``bench/kernel.md``, a
2-core AMD EPYC), for the message and the progress of a first run until :mod:`.precompile` has
measured it on this machine."""

PREPARE_POLL_SECONDS = 0.2
"""How often progress and cancel are looked at while the compile runs."""

ALLOWED_DISAGREEMENTS = 2
"""Spot-check disagreements (distance ties at the radius) tolerated per pair."""


class EngineUnavailable(Exception):
    """The grid engine cannot run for this pair (no numba, or an unsuitable geometry)."""


class EngineMismatch(Exception):
    """The grid engine disagreed with its reference engine on spot-checked pixels."""


class GridResampler(Resampler):
    """Resamples the bands of a ``GociSubset`` onto a ``TargetGrid`` with the grid kernel."""

    name = "grid"
    label = "grid"

    def __init__(self, subset, grid, options, assign=False):
        """``assign``: the engine assigns match-up footprints (``assign_rows``, an
        interpolator's ``options``) and compiles only that kernel."""
        try:
            with warnings.catch_warnings():  # llvmlite/numba deprecations are not the user's
                warnings.simplefilter("ignore", DeprecationWarning)
                self._kernel_module, self._kernel = _kernel(options.interpolates, assign)
        except ImportError as error:
            raise EngineUnavailable(f"numba is not available ({error})") from None
        self.first_use = not compiled(self._kernel)
        self.measured_compile_seconds = measured_seconds(self._kernel)  # None before a child
        self.compile_seconds = (self.measured_compile_seconds
                                or COMPILE_SECONDS[self._kernel.__name__])  # fmt: skip
        self.compiled_elsewhere = self.first_use and bool(compiling_child(self._kernel))
        # In the background while the geometry below is worked out: loading the kernel from
        # numba's cache (0.25-0.35 s in a fresh process) or, on a first run, compiling it; and
        # the spot checks' reference engine. ``settle`` waits for both.
        background = concurrent.futures.ThreadPoolExecutor(2)
        self._stop_waiting = threading.Event()  # set by settle: a run that ends waits no more
        from .compiled import HELPERS_MIN_PIXELS  # numba is there: the kernel is

        helpers = grid.size >= HELPERS_MIN_PIXELS
        self._loading = background.submit(_load, self._kernel, len(subset.bands),
                                          wait_limit_seconds(self.compile_seconds),
                                          self._stop_waiting, helpers)  # fmt: skip
        reference = IndexResampler if options.interpolates else KdTreeResampler
        self._reference = background.submit(reference, subset, grid, options)
        background.shutdown(wait=False)
        try:
            self._set_up(subset, grid, options)
        except BaseException:
            self.settle()
            raise

    def _set_up(self, subset, grid, options):
        self.grid, self.options = grid, options
        self.band_count = len(subset.bands)
        lonlat = target_lonlat(grid, LATTICE_STEP)
        if not np.isfinite(lonlat).all():
            raise EngineUnavailable("part of the Landsat grid has no longitude/latitude")
        lattice = lonlat_to_xyz(lonlat[..., 0], lonlat[..., 1]).reshape(*lonlat.shape[:2], 3)
        rows, cols = subset.shape
        if rows < 2 or cols < 2:
            raise EngineUnavailable(f"the GOCI grid is only {rows} × {cols} pixels")
        located = subset.geolocation_valid
        source_xyz = lonlat_to_xyz(subset.longitude, subset.latitude)
        located_xyz = np.where(located.ravel()[:, np.newaxis], source_xyz, np.nan)
        spacing = smallest_spacing(located_xyz.reshape(rows, cols, 3))
        if not spacing > 0:
            raise EngineUnavailable("the GOCI pixel spacing cannot be measured")
        reach_m = (CUBIC_REACH + 1) * spacing if options.interpolates else options.radius_m
        centre, refined = source_index(lattice, source_xyz, located, near=reach_m + 4 * spacing)
        self.centre_error = CENTRE_ERROR if refined else CENTRE_ERROR_UNREFINED
        values = np.stack([band.values.ravel() for band in subset.bands], axis=1)
        weights = cubic_weights(LATTICE_STEP)
        if options.interpolates:
            values = np.where(located.ravel()[:, np.newaxis], values, np.nan)
            usable = np.isfinite(values).any(axis=1).reshape(rows, cols)
            kernel = self._kernel_module
            self._bundles = (
                kernel.make_index_geometry(lonlat, weights, centre, grid.width),
                kernel.make_index_sources(
                    np.stack([np.where(located, subset.longitude, np.nan),
                              np.where(located, subset.latitude, np.nan)], axis=2),
                    values, source_xyz,
                    grow(usable, CUBIC_REACH + math.ceil(self.centre_error + 0.5)),
                ),
                kernel.make_index_rule(options.method, options.invalid),
            )  # fmt: skip
        else:
            self._set_up_window(lattice, weights, centre, values, spacing, located, source_xyz)
        self.geometry = self._bundles[0]
        self._located, self._assign_masks = located, None
        self.disagreements = 0

    def _set_up_window(self, lattice, weights, centre, values, spacing, located, source_xyz):
        """The window kernel's bundles (Gaussian, Nearest)."""
        options, (rows, cols) = self.options, located.shape
        self.step_m = 0.95 * spacing
        self.reach = options.radius_m / self.step_m + self.centre_error
        if self.reach > MAX_REACH:
            raise EngineUnavailable(
                f"RADIUS {options.radius_m:g} m spans more than {MAX_REACH:g} GOCI pixels"
            )
        usable = located.copy()
        if options.invalid != "propagate":
            usable &= np.isfinite(values).any(axis=1).reshape(rows, cols)
        kernel = self._kernel_module
        geometry = kernel.make_geometry(lattice, weights, centre, self.grid.width, self.reach,
                                        self.step_m, self.centre_error)  # fmt: skip
        sources = kernel.make_sources(
            np.where(located.ravel()[:, np.newaxis], source_xyz, FAR_AWAY_M),
            np.where(usable.ravel(), 0.0, np.inf),
            grow(usable, math.ceil(self.reach + 0.5)),
            values,
        )
        rule, table = kernel.make_rule(options.radius_m, options.sigma_m, options.neighbours,
                                       options.invalid, options.method == "nearest")  # fmt: skip
        self._bundles = (geometry, sources, rule, table)

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
        """The reference engine this engine built for its spot checks (KD-tree, or the numpy
        index-space engine for the interpolators)."""
        return self._reference.result()

    def resample_rows(self, row_start, row_stop, quality=None, out=None):
        """Return (bands, row_stop - row_start, width) float32 for target rows; NaN = no value.

        Args:
            row_start, row_stop: target rows.
            quality: None, or a (3, row_stop - row_start, width) float32 array that receives
                the per-pixel quality in the same pass (see :data:`.QUALITY_BANDS`).
            out: None, or a float32 array of the result's shape to fill and return (used
                when C-contiguous, as the kernel needs).

        Raises:
            EngineMismatch: spot checks disagree with the reference engine.
        """
        self._loading.result()
        shape = (self.band_count, row_stop - row_start, self.grid.width)
        fits = out is not None and out.shape == shape and out.dtype == np.float32
        if not (fits and out.flags.c_contiguous):
            out = np.empty(shape, dtype=np.float32)
        # one compiled variant: the kernel takes C-contiguous arrays only
        written_quality = (
            np.empty((3, 1, 1), dtype=np.float32)
            if quality is None
            else np.ascontiguousarray(quality)
        )
        arguments = (*self._bundles, int(row_start), out, written_quality)
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

    def assign_rows(self, row_start, row_stop):
        """(rows, width) int64: the GOCI pixel (flat index) each target pixel of the rows
        belongs to for the match-ups (:func:`.grid_interpolate.assign_strip`), −1 for none;
        spot-checked against the reference engine."""
        self._loading.result()
        if self._assign_masks is None:
            self._assign_masks = (
                grow(self._located, CUBIC_REACH + math.ceil(self.centre_error + 0.5)),
                ~grow(np.pad(~self._located, 1), 1)[1:-1, 1:-1],  # all 3 × 3 located
            )
        near, solid = self._assign_masks
        out = np.empty((row_stop - row_start, self.grid.width), dtype=np.int64)
        lonlat = self._bundles[1].lonlat
        threads = min(compute_threads(), out.shape[0])
        with concurrent.futures.ThreadPoolExecutor(threads) as pool:
            assign = self._kernel_module.assign_strip
            arguments = (self.geometry, lonlat, near, solid, self.centre_error, int(row_start), out)
            calls = [pool.submit(assign, *arguments, t, threads) for t in range(threads)]
            for call in calls:
                call.result()
        random = np.random.default_rng(row_start)
        rows = random.integers(0, out.shape[0], CHECKS_PER_STRIP)
        cols = random.integers(0, out.shape[1], CHECKS_PER_STRIP)
        reference = self._reference.result()
        expected = checked(reference.assign, *self.grid.pixel_lonlat(rows + row_start, cols))
        self._count_disagreements(int((out[rows, cols] != expected).sum()), row_start + len(out))
        return out

    def prepare(self, control):
        """Wait for the first run's compile, reporting progress (by the time it usually takes,
        ``COMPILE_SECONDS``) and honouring cancel every ``PREPARE_POLL_SECONDS``.

        Raises:
            ResampleCancelled: the control asked to stop (the compile finishes in the
                background; ``settle`` waits for it).
        """
        if not self.first_use:
            return
        started = time.perf_counter()
        expected = self.compile_seconds
        while not concurrent.futures.wait([self._loading], PREPARE_POLL_SECONDS).done:
            control.stop_if_cancelled()
            control.progress(min(0.95, (time.perf_counter() - started) / expected))
        control.progress(1.0)
        waited = time.perf_counter() - started
        control.info(f"Fast engine compiled (waited {waited:.1f} s for it after the set-up).")

    def settle(self):
        """Wait for the work this engine started in the background: a process should not end
        while numba compiles in another thread (``qgis_process`` was seen to crash on exit
        with a compile still running). Waiting for a child's compile stops at once."""
        self._stop_waiting.set()
        concurrent.futures.wait([self._loading, self._reference])

    def _spot_check(self, row_start, out):
        random = np.random.default_rng(row_start)
        rows = random.integers(0, out.shape[1], CHECKS_PER_STRIP)
        cols = random.integers(0, out.shape[2], CHECKS_PER_STRIP)
        lon, lat = self.grid.pixel_lonlat(rows + row_start, cols)
        expected = checked(self._reference.result().resample, lon, lat)
        got = out[:, rows, cols]
        with np.errstate(invalid="ignore", divide="ignore"):
            relative = np.abs(got - expected) / np.abs(expected)
        differ = (np.isnan(got) != np.isnan(expected)) | (relative > 1e-5)
        self._count_disagreements(int(differ.any(axis=0).sum()), row_start + out.shape[1])

    def _count_disagreements(self, found, up_to_row):
        """Add ``found`` spot-check disagreements; raise :class:`EngineMismatch` past
        ``ALLOWED_DISAGREEMENTS``."""
        self.disagreements += found
        if self.disagreements > ALLOWED_DISAGREEMENTS:
            raise EngineMismatch(
                f"the grid engine disagreed with the {self._reference.result().label} engine "
                f"on {self.disagreements} spot-checked pixels up to row {up_to_row}"
            )


def _kernel(interpolates, assign=False):
    """(module, compiled entry point) of the kernel a method (or the match-ups' assignment)
    runs: only that one is compiled."""
    if interpolates or assign:
        from . import grid_interpolate

        entry = grid_interpolate.assign_strip if assign else grid_interpolate.interpolate_strip
        return grid_interpolate, entry
    from . import grid_kernel

    return grid_kernel, grid_kernel.resample_strip


def _load(kernel, band_count, limit_seconds, stop, helpers):
    """Load ``kernel`` (a compiled entry point) from numba's cache, or compile it (numba caches
    it) for the argument types the engine passes, by a call on tiny arrays that resamples no
    row; while the child the plugin started compiles it (:mod:`.precompile`), wait for that
    first, at most ``limit_seconds`` and until the event ``stop`` is set (then nothing is
    compiled here). With ``helpers`` its helpers' own compilations are loaded first
    (:func:`.compiled.load_helpers`, see :data:`.compiled.HELPERS_MIN_PIXELS`); either way a
    numba index that cannot be read is removed first. Run in a thread while the engine sets
    up: the compiler's optimisation passes release the GIL. A failure here is left to the
    first real call, which compiles again and raises it where it can be handled."""
    with contextlib.suppress(Exception):
        if not wait_for(kernel, limit_seconds, stop) and stop.is_set():
            return
        from .compiled import discard_unreadable_indexes, load_helpers

        if helpers:
            load_helpers(kernel)
        else:
            discard_unreadable_indexes(kernel)
        _tiny_call(kernel, band_count)


def _tiny_call(kernel, band_count):
    """Call ``kernel`` (``resample_strip``, ``interpolate_strip`` or ``assign_strip``) on tiny
    bundles built like the engine's (so of the same types), for no target row."""
    import sys

    kernel_module = sys.modules[kernel.py_func.__module__]
    weights = cubic_weights(LATTICE_STEP)
    out = np.empty((band_count, 0, 1), dtype=np.float32)
    quality = np.empty((3, 1, 1), dtype=np.float32)
    if kernel is getattr(kernel_module, "assign_strip", None):
        geometry = kernel_module.make_index_geometry(np.zeros((4, 4, 2)), weights,
                                                     np.zeros((4, 4, 2)), 1)  # fmt: skip
        mask = np.zeros((2, 2), dtype=np.bool_)
        kernel(geometry, np.zeros((2, 2, 2)), mask, mask, CENTRE_ERROR, 0,
               np.empty((0, 1), dtype=np.int64), 0, 1)  # fmt: skip
        return
    if hasattr(kernel_module, "interpolate_strip"):
        bundles = (
            kernel_module.make_index_geometry(np.zeros((4, 4, 2)), weights, np.zeros((4, 4, 2)), 1),
            kernel_module.make_index_sources(np.zeros((2, 2, 2)), np.zeros((4, band_count)),
                                             np.zeros((4, 3)), np.zeros((2, 2), dtype=np.bool_)),
            kernel_module.make_index_rule("bilinear", "skip"),
        )  # fmt: skip
        kernel_module.interpolate_strip(*bundles, 0, out, quality, 0, 1)
        return
    geometry = kernel_module.make_geometry(np.zeros((4, 4, 3)), weights, np.zeros((4, 4, 2)), 1,
                                           1.0, 1.0, CENTRE_ERROR)  # fmt: skip
    sources = kernel_module.make_sources(np.zeros((4, 3)), np.zeros(4),
                                         np.zeros((2, 2), dtype=np.bool_),
                                         np.zeros((4, band_count)))  # fmt: skip
    rule, table = kernel_module.make_rule(1.0, 1.0, 1, "skip", False)
    kernel_module.resample_strip(geometry, sources, rule, table, 0, out, quality, 0, 1)
