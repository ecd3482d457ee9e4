"""The grid engine's interpolation kernel (numba): bilinear and cubic in GOCI's index space.

Per target pixel: its fractional GOCI index (:mod:`.grid_index`: lattice lon/lat, start index,
Newton), then the band values by the SPEC §3 rules of :mod:`.index_space` — the same
formulas, on scalars. The common case (every support pixel valid in every band) is one pass
over the 2 × 2 or 4 × 4 support, ``LANES`` bands at a time; the pixels where a band's pass met
an invalid pixel (along the footprint's edge, coasts and invalid pixels: a tenth of a cubic
scene's) get their policy's rule afterwards, in a loop of their own, also ``LANES`` bands at a
time (:func:`_apply_rules`). Measured on the half-size GOCI-II pair, helpers loaded as a run
loads them, one thread: cubic 97–99 ns a pixel against 105–106 for one pass per band with the
rules inline, then 85 against 104 with the rules 8 bands at a time; bilinear 60–62 throughout.
Bilinear's sums are added in the same order as before, cubic's as :func:`_cubic_band` adds
them, its 16 products in turn.
"""

import math
from collections import namedtuple

import numba
import numpy as np

from .compiled import helper
from .geometry import EARTH_RADIUS_M
from .grid_index import _cell, _index, _lonlat_position, _row_index, make_index_geometry
from .grid_kernel import row_lattice
from .index_space import keys_weights

__all__ = [
    "assign_strip",
    "interpolate_strip",
    "make_index_geometry",
    "make_index_rule",
    "make_index_sources",
]

LANES = 8
"""Bands weighted together: a support pixel's values of ``LANES`` bands are adjacent, so LLVM
weights them with a few 256-bit multiplies and adds (AVX2) instead of one scalar per band."""

_keys = helper(keys_weights)

IndexSources = namedtuple("IndexSources", "lonlat values xyz near")
IndexSources.__doc__ = """The GOCI pixels; S = rows × cols.

Attributes:
    lonlat: (rows, cols, 2) float64 lon/lat (degrees), NaN without geolocation.
    values: (S, G, ``LANES``) float64, band b at [:, b // LANES, b % LANES] (G groups, the
        lanes past the last band 0), NaN = invalid (pixels without geolocation included).
    xyz: (S, 3) float64 positions (metres), for the quality's distance.
    near: (rows, cols) bool: a valid pixel lies within the reach of a cubic support (plus the
        start index's error) of this pixel; a target pixel whose rounded start index
        (clamped) is False is NaN without Newton.
"""

IndexRule = namedtuple("IndexRule", "cubic propagate cover")


def make_index_sources(lonlat, values, xyz, near):
    """The :class:`IndexSources` bundle, every field of one type; ``values`` given (S, B)."""
    values = np.asarray(values)
    grouped = _cache_aligned((values.shape[0], -(-values.shape[1] // LANES), LANES))
    grouped.reshape(values.shape[0], -1)[:, : values.shape[1]] = values
    return IndexSources(np.ascontiguousarray(lonlat, dtype=np.float64), grouped,
                        np.ascontiguousarray(xyz, dtype=np.float64),
                        np.ascontiguousarray(near, dtype=np.bool_))  # fmt: skip


def _cache_aligned(shape):
    """Zeros of ``shape`` (float64) starting on a 64-byte boundary, so that a pixel's
    ``LANES`` values are one cache line (numpy aligns to 16 bytes only: a line split in two
    made the cubic kernel up to 25 % slower, depending on where the allocation fell)."""
    size = int(np.prod(shape))
    memory = np.zeros(size + LANES)
    start = (-memory.ctypes.data % 64) // memory.itemsize
    return memory[start : start + size].reshape(shape)


def make_index_rule(method, invalid):
    """The :class:`IndexRule` of ``method`` ("bilinear", "cubic") and ``invalid``."""
    return IndexRule(method == "cubic", invalid == "propagate", invalid == "cover")


@numba.njit(nogil=True, cache=True, error_model="numpy")
def interpolate_strip(geometry, sources, rule, row_start, out, quality, row_offset, row_step):
    """Interpolate target rows ``row_start : row_start + out.shape[1]`` (those of them selected
    by ``row_offset`` and ``row_step``) into ``out``.

    Args:
        geometry, sources, rule: the bundles :class:`.grid_index.IndexGeometry`,
            :class:`IndexSources`, :class:`IndexRule`.
        row_start: first target row of the strip.
        out: (B, rows, width) float32, written.
        quality: (3, rows, width) float32, written when its rows and columns match ``out``'s
            (pass a (3, 1, 1) array otherwise): for the first band, the support positions
            that entered its value, the distance (metres) to the nearest of them and the sum
            of their weights; 0, NaN, 0 where the band has no value.
        row_offset, row_step: the strip rows this call writes, ``row_offset::row_step``.
    """
    with_quality = quality.shape[1] == out.shape[1] and quality.shape[2] == out.shape[2]
    # the bundles' arrays taken out once: a field read per pixel costs reference counts
    lonlat, values, near, xyz = sources.lonlat, sources.values, sources.near, sources.xyz
    point = np.empty((4, geometry.width))
    invalid_met = np.empty(geometry.width, dtype=np.int64)  # columns for the second loop
    # each row here, not in a function of its own (see .compiled)
    for strip_row in range(row_offset, out.shape[1], row_step):
        _row_index(geometry, lonlat, near, row_start + strip_row, 0.0, point)
        count = 0
        for col in range(geometry.width):
            r, c = point[2, col], point[3, col]
            if math.isnan(r):
                for b in range(out.shape[0]):
                    out[b, strip_row, col] = np.nan
                continue
            finite = True
            for g in range(values.shape[1]):  # every group: a rule only mends a NaN sum
                finite &= _store_sums(values, near.shape, r, c, rule.cubic, g, out, strip_row,
                                      col)  # fmt: skip
            if not finite:
                invalid_met[count] = col
                count += 1
        for n in range(count):
            col = invalid_met[n]
            _apply_rules(values, near.shape, point[2, col], point[3, col], rule, out, strip_row,
                         col)  # fmt: skip
        for col in range(geometry.width if with_quality else 0):
            pixel = (point[0, col], point[1, col], point[2, col], point[3, col])
            _store_quality(values, xyz, near.shape, rule, pixel, out, quality, strip_row, col)


@numba.njit(nogil=True, cache=True, error_model="numpy")
def assign_strip(geometry, lonlat, near, solid, centre_error, row_start, out, row_offset,
                 row_step):  # fmt: skip
    """The GOCI pixel each target pixel of rows ``row_start : row_start + out.shape[0]``
    (those selected by ``row_offset``, ``row_step``) belongs to (SPEC §8): the rounded
    fractional index, the grid extended half a pixel past its edge (−0.5 ≤ r < rows − 0.5),
    as a flat index row × cols + col into ``out`` ((rows, width) int64); −1 for none.
    ``lonlat``, ``near`` as in :class:`IndexSources`; ``solid`` (rows, cols) bool: the pixel
    and its 8 neighbours have geolocation; ``centre_error``: bound (GOCI pixels) on the error
    of the lattice's start index.

    Where the start index rounds to a ``solid`` pixel and lies farther than ``centre_error``
    from the rounding boundaries, the exact index rounds to the same pixel (it is within
    ``centre_error`` of the start, in a cell whose corners all have geolocation), and Newton is
    skipped: about two pixels in three with the refined lattice (``centre_error`` 0.1)."""
    weights, step = geometry.weights, geometry.step
    sure = 0.5 - centre_error
    for strip_row in range(row_offset, out.shape[0], row_step):
        along, centre_along = row_lattice(geometry.lonlat, geometry.centre, weights, step,
                                          row_start + strip_row)  # fmt: skip
        for q in range((geometry.width + step - 1) // step):  # lattice column q, then its pixels
            for col in range(q * step, min(geometry.width, (q + 1) * step)):
                lon, lat, ci, cj = _lonlat_position(
                    along, centre_along, weights, step, q, col - q * step
                )
                out[strip_row, col] = _assigned(lonlat, near, solid, sure, lon, lat, ci, cj)


@helper
def _assigned(lonlat, near, solid, sure, lon, lat, ci, cj):
    """The flat GOCI pixel of the point (lon, lat) with start index (ci, cj), or −1 (see
    :func:`assign_strip`; ``sure`` = 0.5 − the start's error bound)."""
    rows, cols = near.shape
    if math.isfinite(lon) and math.isfinite(ci) and math.isfinite(cj):
        i, j = int(math.floor(ci + 0.5)), int(math.floor(cj + 0.5))
        if (0 <= i < rows and 0 <= j < cols and abs(ci - i) <= sure and abs(cj - j) <= sure
                and solid[i, j]):  # fmt: skip
            return i * cols + j
    r, c = _index(lonlat, near, lon, lat, ci, cj, 0.5)
    if r < rows - 0.5 and c < cols - 0.5:  # False for NaN
        return int(math.floor(r + 0.5)) * cols + int(math.floor(c + 0.5))
    return -1


@helper
def _store_sums(values, shape, r, c, cubic, g, out, strip_row, col):
    """Write Σ w·v over the support at index (r, c) of the bands ``g * LANES ...`` (those
    below B) into ``out[:, strip_row, col]``; return whether every sum is a number. A NaN sum
    means a support pixel is invalid in that band (NaN · 0 is NaN too), and only then may a
    rule change a band's value: ``cover``'s nearest pixel is in the support."""
    rows, cols = shape
    i, fr = _cell(r, rows)
    j, fc = _cell(c, cols)
    zero = 0.0
    t = (zero, zero, zero, zero, zero, zero, zero, zero)
    if cubic:
        wr, wc = _keys(fr), _keys(fc)
        first, last = max(j - 1, 0), min(j + 2, cols - 1)
        for a in range(4):
            row = min(max(i + a - 1, 0), rows - 1) * cols
            t = _add_weighted(values, row + first, g, wr[a] * wc[0], t)
            t = _add_weighted(values, row + j, g, wr[a] * wc[1], t)
            t = _add_weighted(values, row + j + 1, g, wr[a] * wc[2], t)
            t = _add_weighted(values, row + last, g, wr[a] * wc[3], t)
    else:
        s = i * cols + j
        t = _add_weighted(values, s, g, (1.0 - fr) * (1.0 - fc), t)
        t = _add_weighted(values, s + 1, g, (1.0 - fr) * fc, t)
        t = _add_weighted(values, s + cols, g, fr * (1.0 - fc), t)
        t = _add_weighted(values, s + cols + 1, g, fr * fc, t)
    first_band = g * LANES
    for lane in range(min(LANES, out.shape[0] - first_band)):
        out[first_band + lane, strip_row, col] = t[lane]
    return not math.isnan(t[0] + t[1] + t[2] + t[3] + t[4] + t[5] + t[6] + t[7])


@helper
def _add_weighted(values, s, g, w, t):
    """t + w · values[s, g], lane by lane (``t`` a tuple of ``LANES`` sums): written out so
    that LLVM makes it vector multiplies and adds."""
    return (t[0] + w * values[s, g, 0], t[1] + w * values[s, g, 1],
            t[2] + w * values[s, g, 2], t[3] + w * values[s, g, 3],
            t[4] + w * values[s, g, 4], t[5] + w * values[s, g, 5],
            t[6] + w * values[s, g, 6], t[7] + w * values[s, g, 7])  # fmt: skip


@helper
def _apply_rules(values, shape, r, c, rule, out, strip_row, col):
    """Replace each NaN sum in ``out[:, strip_row, col]`` (a band whose support holds an
    invalid pixel) by the band's value under its rule; with ``cover``, NaN where the GOCI pixel
    nearest to (r, c) is invalid.

    With both fractions strictly inside the cell every support weight is ≠ 0, so a NaN sum is
    exactly "a support pixel with w ≠ 0 is invalid": the band is NaN with ``propagate`` and
    the bilinear ``skip`` value otherwise (:func:`_bilinear_band`'s, the same sums in the same
    order), ``LANES`` bands at a time; at a fraction of 0 or 1, band by band
    (:func:`_band_value`)."""
    rows, cols = shape
    i, fr = _cell(r, rows)
    j, fc = _cell(c, cols)
    nearest = int(math.floor(r + 0.5)) * cols + int(math.floor(c + 0.5))
    inside = 0.0 < fr < 1.0 and 0.0 < fc < 1.0
    zero = 0.0
    for g in range(values.shape[1]):
        first = g * LANES
        bands = min(LANES, out.shape[0] - first)
        total = norm = (zero, zero, zero, zero, zero, zero, zero, zero)
        if inside and not rule.propagate:
            total, norm = _valid_bilinear(values, i * cols + j, cols, fr, fc, g)
        for lane in range(bands):
            b = first + lane
            if math.isnan(out[b, strip_row, col]) and not (inside and rule.propagate):
                if inside:
                    out[b, strip_row, col] = (
                        total[lane] / norm[lane] if norm[lane] != 0.0 else np.nan
                    )
                else:
                    out[b, strip_row, col] = _band_value(values, shape, i, j, fr, fc, b, rule)
            if rule.cover and math.isnan(values[nearest, g, lane]):
                out[b, strip_row, col] = np.nan


@helper
def _valid_bilinear(values, s, cols, fr, fc, g):
    """Per lane of group ``g``, (Σ w·v, Σ w) over the valid pixels of the 2 × 2 support whose
    first pixel is ``s``, as two tuples, added in :func:`_bilinear_band`'s order."""
    zero = 0.0
    total = norm = (zero, zero, zero, zero, zero, zero, zero, zero)
    total, norm = _add_valid(values, s, g, (1.0 - fr) * (1.0 - fc), total, norm)
    total, norm = _add_valid(values, s + 1, g, (1.0 - fr) * fc, total, norm)
    total, norm = _add_valid(values, s + cols, g, fr * (1.0 - fc), total, norm)
    return _add_valid(values, s + cols + 1, g, fr * fc, total, norm)


@helper
def _add_valid(values, s, g, w, total, norm):
    """(total + w · values[s, g], norm + w), lane by lane, in the lanes where the value is
    valid (not NaN)."""
    v = (values[s, g, 0], values[s, g, 1], values[s, g, 2], values[s, g, 3],
         values[s, g, 4], values[s, g, 5], values[s, g, 6], values[s, g, 7])  # fmt: skip
    return ((total[0] + w * v[0] if v[0] == v[0] else total[0],
             total[1] + w * v[1] if v[1] == v[1] else total[1],
             total[2] + w * v[2] if v[2] == v[2] else total[2],
             total[3] + w * v[3] if v[3] == v[3] else total[3],
             total[4] + w * v[4] if v[4] == v[4] else total[4],
             total[5] + w * v[5] if v[5] == v[5] else total[5],
             total[6] + w * v[6] if v[6] == v[6] else total[6],
             total[7] + w * v[7] if v[7] == v[7] else total[7]),
            (norm[0] + w if v[0] == v[0] else norm[0], norm[1] + w if v[1] == v[1] else norm[1],
             norm[2] + w if v[2] == v[2] else norm[2], norm[3] + w if v[3] == v[3] else norm[3],
             norm[4] + w if v[4] == v[4] else norm[4], norm[5] + w if v[5] == v[5] else norm[5],
             norm[6] + w if v[6] == v[6] else norm[6], norm[7] + w if v[7] == v[7] else norm[7]))  # fmt: skip


@helper
def _band_value(values, shape, i, j, fr, fc, b, rule):
    """Band ``b``'s value in the cell (i, j) at fractions (fr, fc) when its support holds an
    invalid pixel: the cubic value when every support pixel with w ≠ 0 is valid, NaN with
    ``propagate`` when one is not, else the bilinear ``skip`` value."""
    full, value = _cubic_band(values, shape, i, j, fr, fc, b) if rule.cubic else (False, 0.0)
    if full:
        return value
    value, norm, tainted = _bilinear_band(values, shape[1], i, j, fr, fc, b)
    if rule.propagate and (tainted or rule.cubic):
        return np.nan
    return value / norm if norm != 0.0 else np.nan


@helper
def _cubic_band(values, shape, i, j, fr, fc, b):
    """(every support pixel with w ≠ 0 valid, Σ w·v over those) of band ``b``."""
    rows, cols = shape
    wr, wc = _keys(fr), _keys(fc)
    total = 0.0
    for a in range(4):
        row = min(max(i + a - 1, 0), rows - 1) * cols
        for d in range(4):
            w = wr[a] * wc[d]
            if w != 0.0:
                v = values[row + min(max(j + d - 1, 0), cols - 1), b // LANES, b % LANES]
                if math.isnan(v):
                    return False, 0.0
                total += w * v
    return True, total


@helper
def _bilinear_band(values, cols, i, j, fr, fc, b):
    """(Σ w·v, Σ w over the valid pixels of the 2 × 2 support, an invalid pixel with w ≠ 0
    among them) of band ``b``."""
    total = 0.0
    norm = 0.0
    tainted = False
    for di in range(2):
        wi = fr if di else 1.0 - fr
        for dj in range(2):
            w = wi * (fc if dj else 1.0 - fc)
            v = values[(i + di) * cols + j + dj, b // LANES, b % LANES]
            if math.isnan(v):
                tainted |= w != 0.0
            else:
                total += w * v
                norm += w
    return total, norm, tainted


@helper
def _store_quality(values, xyz, shape, rule, point, out, quality, strip_row, col):
    """The first band's quality at (strip_row, col): support positions that entered its value
    (the 4 × 4 where the cubic value was used, else the valid 2 × 2), the distance (metres)
    to the nearest of them, the sum of their weights; 0, NaN, 0 where it has no value.
    ``point`` = (lon, lat, r, c) of the pixel; ``values``, ``xyz`` as in :class:`IndexSources`
    on a GOCI grid of ``shape``."""
    if math.isnan(out[0, strip_row, col]):
        quality[0, strip_row, col] = 0.0
        quality[1, strip_row, col] = np.nan
        quality[2, strip_row, col] = 0.0
        return
    lon, lat, r, c = point
    rows, cols = shape
    i, fr = _cell(r, rows)
    j, fc = _cell(c, cols)
    cos_lat = math.cos(math.radians(lat))
    position = (EARTH_RADIUS_M * cos_lat * math.cos(math.radians(lon)),
                EARTH_RADIUS_M * cos_lat * math.sin(math.radians(lon)),
                EARTH_RADIUS_M * math.sin(math.radians(lat)))  # fmt: skip
    cubic = rule.cubic and _cubic_band(values, shape, i, j, fr, fc, 0)[0]
    wr = _keys(fr) if cubic else (0.0, 1.0 - fr, fr, 0.0)
    wc = _keys(fc) if cubic else (0.0, 1.0 - fc, fc, 0.0)
    count, nearest, weight_sum = 0, np.inf, 0.0
    for a in range(4):
        row = min(max(i + a - 1, 0), rows - 1) * cols
        for d in range(4):
            w = wr[a] * wc[d]
            s = row + min(max(j + d - 1, 0), cols - 1)
            if w != 0.0 and not math.isnan(values[s, 0, 0]):
                count += 1
                weight_sum += w
                nearest = min(nearest, _distance2(position, xyz, s))
    quality[0, strip_row, col] = count
    quality[1, strip_row, col] = math.sqrt(nearest)
    quality[2, strip_row, col] = weight_sum


@helper
def _distance2(point, xyz, s):
    """Squared chord distance (m²) from ``point`` to source ``s``."""
    dx, dy, dz = point[0] - xyz[s, 0], point[1] - xyz[s, 1], point[2] - xyz[s, 2]
    return dx * dx + dy * dy + dz * dz
