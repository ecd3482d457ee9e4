"""Where the grid engine's target pixels fall on the GOCI grid (numba helpers): the fractional
GOCI index (r, c) of a target pixel, from its lon/lat on the lattice of exactly projected points
(cubic Lagrange along the row of :func:`.grid_kernel.row_lattice`), a start index from the
lattice of fractional indices, then Newton's method on the GOCI geolocation's bilinear patches
to ``NEWTON_TOLERANCE`` (:func:`.index_space.patch_step`). Used by the interpolators' kernel and
the match-ups' assignment (:mod:`.grid_interpolate`).
"""

import math
from collections import namedtuple

import numpy as np

from .compiled import helper
from .grid_kernel import row_lattice
from .index_space import NEWTON_STEPS, NEWTON_TOLERANCE, patch_step

__all__ = ["IndexGeometry", "make_index_geometry"]

_patch_step = helper(patch_step)

IndexGeometry = namedtuple("IndexGeometry", "lonlat weights step width centre")
IndexGeometry.__doc__ = """Where target pixels fall on the GOCI grid.

Attributes:
    lonlat: (LR, LC, 2) float64 lon/lat (degrees) of target pixel centres at pixel rows and
        columns ``(p - 1) * step``, ``(q - 1) * step``.
    weights: (step, 4) cubic Lagrange weights for the fractions ``0, 1/step, ...``.
    step: lattice spacing in target pixels.
    width: target columns.
    centre: (LR, LC, 2) float64 start fractional GOCI (row, col) index at the lattice points.
"""


def make_index_geometry(lonlat, weights, centre, width):
    """The :class:`IndexGeometry` bundle, every field of one type."""
    return IndexGeometry(np.ascontiguousarray(lonlat, dtype=np.float64),
                         np.ascontiguousarray(weights, dtype=np.float64), int(weights.shape[0]),
                         int(width), np.ascontiguousarray(centre, dtype=np.float64))  # fmt: skip


@helper
def _row_index(geometry, lonlat, near, row, margin, point):
    """Fill ``point`` ((4, width) float64) with the lon, lat and fractional GOCI index r, c of
    every pixel of target row ``row`` (r, c NaN more than ``margin`` pixels off the grid)."""
    weights, step = geometry.weights, geometry.step
    along, centre_along = row_lattice(geometry.lonlat, geometry.centre, weights, step, row)
    for q in range((geometry.width + step - 1) // step):  # lattice column q, then its pixels
        for col in range(q * step, min(geometry.width, (q + 1) * step)):
            lon, lat, ci, cj = _lonlat_position(
                along, centre_along, weights, step, q, col - q * step
            )
            point[0, col], point[1, col] = lon, lat
            point[2, col], point[3, col] = _index(lonlat, near, lon, lat, ci, cj, margin)


@helper
def _lonlat_position(along, centre_along, weights, step, q, g):
    """(lon, lat, start row, start col) of the pixel at column ``q * step + g`` of the row
    given by ``row_lattice``: cubic Lagrange along the row, linear for the start index."""
    w0, w1, w2, w3 = weights[g, 0], weights[g, 1], weights[g, 2], weights[g, 3]
    lon = w0 * along[q, 0] + w1 * along[q + 1, 0] + w2 * along[q + 2, 0] + w3 * along[q + 3, 0]
    lat = w0 * along[q, 1] + w1 * along[q + 1, 1] + w2 * along[q + 2, 1] + w3 * along[q + 3, 1]
    fc = g / step
    return (lon, lat, (1.0 - fc) * centre_along[q + 1, 0] + fc * centre_along[q + 2, 0],
            (1.0 - fc) * centre_along[q + 1, 1] + fc * centre_along[q + 2, 1])  # fmt: skip


@helper
def _index(lonlat, near, lon, lat, ci, cj, margin):
    """The fractional GOCI index (r, c) of the point (lon, lat), by Newton from the lattice's
    start (ci, cj) (independent of the previous pixel, so pixels overlap in the CPU): NaN when
    no valid pixel is near the start, Newton does not converge or meets a cell without
    geolocation, or the index is more than ``margin`` pixels off the grid (``lonlat``,
    ``near`` as in :class:`.grid_interpolate.IndexSources`)."""
    rows, cols = near.shape
    if not (math.isfinite(lon) and math.isfinite(ci) and math.isfinite(cj)):
        return np.nan, np.nan
    if not near[min(max(int(math.floor(ci + 0.5)), 0), rows - 1),
                        min(max(int(math.floor(cj + 0.5)), 0), cols - 1)]:  # fmt: skip
        return np.nan, np.nan
    return _newton(lonlat, lon, lat, ci, cj, margin)


@helper
def _newton(lonlat, lon, lat, r, c, margin):
    """Newton from (r, c) on the bilinear patches of the (rows, cols, 2) ``lonlat`` (the edge
    cells' extended past the edge) until a step smaller than ``NEWTON_TOLERANCE`` stays in its
    cell: the index when on the grid or within ``margin`` pixels of it, else (NaN, NaN)."""
    rows, cols = lonlat.shape[0], lonlat.shape[1]
    converged = False
    for _ in range(NEWTON_STEPS):
        i, fr = _cell(r, rows)
        j, fc = _cell(c, cols)
        dr, dc = _patch_step(
            (lonlat[i, j, 0], lonlat[i, j + 1, 0], lonlat[i + 1, j, 0], lonlat[i + 1, j + 1, 0]),
            (lonlat[i, j, 1], lonlat[i, j + 1, 1], lonlat[i + 1, j, 1], lonlat[i + 1, j + 1, 1]),
            fr, fc, lon, lat,
        )  # fmt: skip
        if math.isnan(dr) or math.isnan(dc):  # a corner without geolocation
            break
        r += dr
        c += dc
        if (
            abs(dr) + abs(dc) < NEWTON_TOLERANCE
            and _cell(r, rows)[0] == i
            and _cell(c, cols)[0] == j
        ):
            converged = True
            break
    if not (converged and -margin <= r <= rows - 1 + margin and -margin <= c <= cols - 1 + margin):
        return np.nan, np.nan
    return r, c


@helper
def _cell(index, size):
    """(first pixel, fraction) of the cell holding ``index`` on an axis of ``size`` pixels."""
    first = min(max(int(math.floor(index)), 0), size - 2)
    return first, index - first
