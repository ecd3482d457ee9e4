"""The compiled kernel of the grid engine (numba; imported only when numba is available).

For each target pixel it interpolates the pixel's 3-D position from a lattice of exactly
projected points (cubic Lagrange, separable) and the source pixel it falls on from a lattice of
fractional source indices (bilinear). The sources within ``reach`` index steps of it form the
pixel's window; the k nearest of them strictly within the radius count, as in pyresample's
``kd_tree``. Along a target row the window and the split "k nearest / the rest" change little
from pixel to pixel, so both are kept: the window gains and loses a row or column of sources
now and then (:func:`.grid_window.slide_window`), and the split is repaired by swapping the farthest of the
k with the nearest of the rest while they are out of order (:func:`.grid_window.split_k_nearest`) instead
of sorting every pixel's candidates. Nearest neighbour first tries the 2 × 2 sources around
the fractional index (:func:`_nearest_shortcut`). Everything is decided from the window
(:func:`_pixel_value`): when an invalid source or the radius is among the k nearest,
:func:`.grid_rules.band_from_window` applies the band's own rule, so no pixel needs a search of
its own.

The inputs come in three bundles built by :func:`make_geometry`, :func:`make_sources` and
:func:`.grid_rules.make_rule`, so every caller passes the same types and numba compiles one
variant. Compiled without numba's ``parallel`` and without forced inlining (which took
minutes), the helpers without Python wrappers (:mod:`.compiled`); the engine runs one call per
core on interleaved rows (the kernel releases the GIL). Compile time and speed:
``bench/kernel.md`` (``scripts/bench_kernel.py``).
"""

import math
from collections import namedtuple

import numba
import numpy as np

from .compiled import helper
from .grid_rules import D2, PENALTY, VALUES, band_from_window, gaussian_weights, make_rule
from .grid_window import (
    SLOT_MASK,
    distances,
    slide_window,
    split_k_nearest,
    window_bounds,
    window_capacity,
)

__all__ = ["make_geometry", "make_rule", "make_sources", "resample_strip"]

Geometry = namedtuple("Geometry", "lattice weights step width centre reach step_m centre_error")
Geometry.__doc__ = """Where target pixels fall among the sources (see :func:`make_geometry`).

Attributes:
    lattice: (LR, LC, 3) float64 positions (metres) of target pixel centres at pixel rows and
        columns ``(p - 1) * step``, ``(q - 1) * step``.
    weights: (step, 4) cubic Lagrange weights for the fractions ``0, 1/step, ...``.
    step: lattice spacing in target pixels.
    width: target columns.
    centre: (LR, LC, 2) float64 fractional source (row, col) index at the lattice points.
    reach: source rows/cols scanned on each side of the fractional centre: every source within
        the radius is at most this many index steps away.
    step_m: a lower bound (metres) on the distance covered by one source index step.
    centre_error: bound (source pixels) on the error of the interpolated centre.
"""

Sources = namedtuple("Sources", "xyz penalty usable_near values")
Sources.__doc__ = """The GOCI pixels (see :func:`make_sources`); S = source rows × cols.

Attributes:
    xyz: (S, 3) float64 positions (metres); sources without valid geolocation far away.
    penalty: (S,) float64, 0 for sources that can count, +inf for those that never do
        (without geolocation, or invalid in every band with ``propagate`` False).
    usable_near: (src_rows, src_cols) bool: some source that can count lies within ``reach``
        + 0.5 index steps; pixels whose rounded centre (clamped to the grid) is False are NaN
        without a scan.
    values: (S, B) float64 source values, NaN = invalid.
"""


def make_geometry(lattice, weights, centre, width, reach, step_m, centre_error):
    """The :class:`Geometry` bundle, every field of one type (see its attributes)."""
    return Geometry(np.ascontiguousarray(lattice, dtype=np.float64),
                    np.ascontiguousarray(weights, dtype=np.float64), int(weights.shape[0]),
                    int(width), np.ascontiguousarray(centre, dtype=np.float64), float(reach),
                    float(step_m), float(centre_error))  # fmt: skip


def make_sources(xyz, penalty, usable_near, values):
    """The :class:`Sources` bundle, every field of one type (see its attributes)."""
    return Sources(np.ascontiguousarray(xyz, dtype=np.float64),
                   np.ascontiguousarray(penalty, dtype=np.float64),
                   np.ascontiguousarray(usable_near, dtype=np.bool_),
                   np.ascontiguousarray(values, dtype=np.float64))  # fmt: skip


@numba.njit(nogil=True, cache=True, error_model="numpy")
def resample_strip(geometry, sources, rule, table, row_start, out, quality, row_offset, row_step):
    """Resample target rows ``row_start : row_start + out.shape[1]`` (those of them selected
    by ``row_offset`` and ``row_step``) into ``out``.

    Args:
        geometry, sources: the bundles :class:`Geometry` and :class:`Sources`.
        rule, table: from :func:`.grid_rules.make_rule`.
        row_start: first target row of the strip.
        out: (B, rows, width) float32, written.
        quality: (3, rows, width) float32, written when its rows and columns match ``out``'s
            (pass a (3, 1, 1) array otherwise): for the first band, the number of GOCI pixels
            that entered its value, the distance (metres) to the nearest of them and the sum
            of their weights; 0, NaN, 0 where the band has no value.
        row_offset, row_step: the strip rows this call writes, ``row_offset::row_step`` (one
            call per thread, each on its own rows; the kernel releases the GIL).
    """
    cap = window_capacity(geometry.reach)
    if cap > SLOT_MASK + 1:  # the split keys could not carry the slot
        raise ValueError("the grid kernel's window is larger than SLOT_MASK allows")
    # each row here, not in a function of its own: a compile 2 s shorter (see .compiled)
    with_quality = quality.shape[1] == out.shape[1] and quality.shape[2] == out.shape[2]
    xyz, values, usable_near = sources.xyz, sources.values, sources.usable_near
    penalty = sources.penalty
    weights, step, reach = geometry.weights, geometry.step, geometry.reach
    step_m, centre_error = geometry.step_m, geometry.centre_error
    n_bands = values.shape[1]
    weight = np.empty(cap)
    window = np.empty((VALUES + n_bands, cap))
    # the split compares keys as int64 bit patterns (views made once: one made per pixel would
    # cost a reference count)
    d2_bits, penalty_bits = window[D2].view(np.int64), window[PENALTY].view(np.int64)
    index = np.empty((3, cap), dtype=np.int64)
    for strip_row in range(row_offset, out.shape[1], row_step):
        # per pixel: its position, then no source near, the Nearest shortcut, or the window
        # slid to it, split and weighted
        along, centre_along = row_lattice(geometry.lattice, geometry.centre, weights, step,
                                          row_start + strip_row)  # fmt: skip
        n_win = 0
        bounds = (0, -1, 0, -1)  # first row, last row, first col, last col of the window
        q = 0
        g = -1
        for col in range(geometry.width):
            g += 1  # col = q * step + g, without a division per pixel
            if g == step:
                g = 0
                q += 1
            x, y, z, ci, cj = _position(along, centre_along, weights, step, q, g)
            if not _sources_near(usable_near, x, ci, cj):
                for b in range(n_bands):
                    out[b, strip_row, col] = np.nan
                if with_quality:
                    _store_quality(out, quality, strip_row, col, 0.0, np.nan, 0.0)
                continue
            if rule.nearest:
                best, best_d2 = _nearest_shortcut(xyz, values, usable_near.shape, (x, y, z),
                                                  ci, cj, step_m * 1.0, centre_error, rule)  # fmt: skip
                if best >= 0:
                    for b in range(n_bands):
                        out[b, strip_row, col] = values[best, b]
                    if with_quality:
                        _store_quality(out, quality, strip_row, col, 1.0, best_d2, 1.0)
                    continue
            new_bounds = window_bounds(ci, cj, reach, usable_near.shape)
            if new_bounds != bounds:
                n_win = slide_window(window, index, xyz, penalty, values, usable_near.shape[1],
                                      n_win, bounds, new_bounds)  # fmt: skip
                bounds = new_bounds
            distances(window, x, y, z, n_win)
            closest = split_k_nearest(window, index, d2_bits, penalty_bits, rule.k, n_win)
            used, nearest_d2, weight_sum = _pixel_value(window, n_win, closest, rule, table,
                                                        weight, out, strip_row, col,
                                                        with_quality)  # fmt: skip
            if rule.cover:
                _cover(window, n_win, rule.radius2, out, strip_row, col)
            if with_quality:
                _store_quality(out, quality, strip_row, col, float(used), nearest_d2,
                               weight_sum)  # fmt: skip


@helper
def row_lattice(lattice, centre, weights, step, row):
    """(LC, D) lattice values and (LC, 2) fractional source indices along target row ``row``
    at the lattice columns, from a (LR, LC, D) ``lattice`` (positions, or lon/lat) and its
    ``centre`` indices: cubic Lagrange across lattice rows for the values, linear for the
    indices."""
    p = row // step
    g = row - p * step
    fr = g / step
    n_lattice_cols, depth = lattice.shape[1], lattice.shape[2]
    along = np.empty((n_lattice_cols, depth))
    centre_along = np.empty((n_lattice_cols, 2))
    for q in range(n_lattice_cols):
        for d in range(depth):
            along[q, d] = (
                weights[g, 0] * lattice[p, q, d]
                + weights[g, 1] * lattice[p + 1, q, d]
                + weights[g, 2] * lattice[p + 2, q, d]
                + weights[g, 3] * lattice[p + 3, q, d]
            )
        for d in range(2):
            centre_along[q, d] = (1.0 - fr) * centre[p + 1, q, d] + fr * centre[p + 2, q, d]
    return along, centre_along


@helper
def _position(along, centre_along, weights, step, q, g):
    """(x, y, z, centre row, centre col) of the pixel at column ``q * step + g`` of the row
    given by ``row_lattice``: cubic Lagrange along the row, linear for the indices."""
    w0, w1, w2, w3 = weights[g, 0], weights[g, 1], weights[g, 2], weights[g, 3]
    fc = g / step
    x = w0 * along[q, 0] + w1 * along[q + 1, 0] + w2 * along[q + 2, 0] + w3 * along[q + 3, 0]
    y = w0 * along[q, 1] + w1 * along[q + 1, 1] + w2 * along[q + 2, 1] + w3 * along[q + 3, 1]
    z = w0 * along[q, 2] + w1 * along[q + 1, 2] + w2 * along[q + 2, 2] + w3 * along[q + 3, 2]
    ci = (1.0 - fc) * centre_along[q + 1, 0] + fc * centre_along[q + 2, 0]
    cj = (1.0 - fc) * centre_along[q + 1, 1] + fc * centre_along[q + 2, 1]
    return x, y, z, ci, cj


@helper
def _sources_near(usable_near, x, ci, cj):
    """False when the pixel has no position or no source that can count is near its rounded
    fractional index (ci, cj), clamped to the grid: the pixel is NaN without a scan."""
    if not (math.isfinite(x) and math.isfinite(ci) and math.isfinite(cj)):
        return False
    src_rows, src_cols = usable_near.shape
    return usable_near[
        min(max(int(math.floor(ci + 0.5)), 0), src_rows - 1),
        min(max(int(math.floor(cj + 0.5)), 0), src_cols - 1),
    ]


@helper
def _nearest_shortcut(xyz, values, shape, point, ci, cj, step_m, centre_error, rule):
    """(source, distance² m²) of Nearest decided by the 2 × 2 sources around the fractional
    index (ci, cj) on a source grid of ``shape``: the nearest of them when it is closer than
    any source outside them can be (``step_m`` metres per index step, ``centre_error`` pixels
    of index error) and counts in every band; (-1, 0) when undecided."""
    x, y, z = point
    i0 = int(math.floor(ci))
    j0 = int(math.floor(cj))
    steps_out = min(ci - i0 + 1.0, i0 + 2.0 - ci, cj - j0 + 1.0, j0 + 2.0 - cj)
    bound = step_m * (steps_out - centre_error)
    best = -1
    best_d2 = min(bound * bound, rule.radius2) if bound > 0.0 else 0.0
    for i in range(max(i0, 0), min(i0 + 1, shape[0] - 1) + 1):
        for j in range(max(j0, 0), min(j0 + 1, shape[1] - 1) + 1):
            s = i * shape[1] + j
            dx = x - xyz[s, 0]
            dy = y - xyz[s, 1]
            dz = z - xyz[s, 2]
            d2 = dx * dx + dy * dy + dz * dz
            if d2 < best_d2:
                best_d2 = d2
                best = s
    if best >= 0 and not rule.propagate:
        for b in range(values.shape[1]):
            if math.isnan(values[best, b]):
                return -1, 0.0
    return best, best_d2


@helper
def _pixel_value(window, n_win, closest, rule, table, weight, out, strip_row, col, with_quality):
    """Write every band's value of pixel (strip_row, col) into ``out`` from the split window and return the first
    band's quality (pixels used, nearest distance² m², weight sum; the distance only
    ``with_quality``). The common case — the k nearest all within the radius and valid in
    every band — shares one set of weights; a band with an invalid source or the radius among
    them takes :func:`.grid_rules.band_from_window`."""
    kk = min(rule.k, n_win)
    inside = 0
    for m in range(kk):
        if window[D2, m] + window[PENALTY, m] < rule.radius2:
            inside += 1
    norm = 0.0
    weighted = 0  # leading entries whose weights are in ``weight``
    if inside == kk and kk > 0:
        weighted = kk
        if rule.nearest:
            for m in range(kk):
                weight[m] = 1.0
        else:
            gaussian_weights(window, kk, rule, table, weight)
        for m in range(kk):
            norm += weight[m]
    used, nearest_d2, weight_sum = kk, np.inf, norm
    if with_quality:
        for m in range(kk):
            nearest_d2 = min(nearest_d2, window[D2, m])
    inverse = 1.0 / norm if norm > 0.0 else 0.0
    for b in range(out.shape[0]):
        total = _dot(weight, window, VALUES + b, kk) if weighted else np.nan
        if not math.isnan(total):
            out[b, strip_row, col] = total * inverse
            continue
        value, band_used, band_d2, band_norm = band_from_window(
            window, n_win, kk, b, rule, table, weight, weighted, closest
        )
        out[b, strip_row, col] = value
        if b == 0:
            used, nearest_d2, weight_sum = band_used, band_d2, band_norm
    return used, nearest_d2, weight_sum


@helper(fastmath={"reassoc", "contract"})
def _dot(weight, window, row, n):
    """Σ weight[m] · window[row, m] for m < n, vectorised (a NaN value gives NaN)."""
    total = 0.0
    for m in range(numba.uint64(n)):
        total += weight[m] * window[row, m]
    return total


@helper
def _cover(window, n_win, radius2, out, strip_row, col):
    """``cover``: NaN in every band where the nearest located source within the radius (valid
    or not) is invalid: no value past the edge of valid data."""
    if n_win == 0:
        return
    best = 0
    for m in range(1, n_win):
        if window[D2, m] < window[D2, best]:
            best = m
    if window[D2, best] < radius2:
        for b in range(out.shape[0]):
            if math.isnan(window[VALUES + b, best]):
                out[b, strip_row, col] = np.nan


@helper
def _store_quality(out, quality, strip_row, col, count, nearest_d2, weight_sum):
    """Write a pixel's quality bands: pixels used, nearest distance (metres), weight sum; 0,
    NaN, 0 where the first band has no value."""
    if math.isnan(out[0, strip_row, col]):
        count, nearest_d2, weight_sum = 0.0, np.nan, 0.0
    quality[0, strip_row, col] = count
    quality[1, strip_row, col] = math.sqrt(nearest_d2)
    quality[2, strip_row, col] = weight_sum
