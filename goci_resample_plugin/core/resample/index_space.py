"""The interpolators of SPEC §3 (bilinear, cubic) in GOCI's own index space, vectorised (numpy).

A point's *fractional GOCI index* (r, c) is where the bilinear interpolation of the GOCI
latitude/longitude arrays (index (i, j) = the centre of GOCI pixel i, j) equals the point's
lon/lat. It is found by Newton's method on the bilinear patch of the cell the current estimate
lies in (:func:`patch_step`), from a start within a pixel or so, to ``NEWTON_TOLERANCE``; it is
defined on the grid only, 0 ≤ r ≤ rows − 1 and 0 ≤ c ≤ cols − 1 (no extrapolation).

* Bilinear: the 2 × 2 pixels of the cell, weights (1−fr)(1−fc), (1−fr)fc, fr(1−fc), fr·fc.
* Cubic: Keys cubic convolution with a = −0.5 (GDAL's ``cubic``, :func:`keys_weights`),
  separable over the 4 × 4 pixels around the cell; support indices past the edge are clamped.

Invalid sources (NaN, or no geolocation), ``invalid``:

* ``skip``: bilinear Σ w·v / Σ w over the valid pixels of the support (NaN when Σ w = 0);
  cubic where every support pixel with w ≠ 0 is valid, else the bilinear ``skip`` value.
* ``propagate``: NaN when a support pixel with w ≠ 0 is invalid.
* ``cover``: NaN where the GOCI pixel nearest to (r, c) (rounded index) is invalid, else
  ``skip``.

:func:`keys_weights` and :func:`patch_step` are plain arithmetic, so the compiled kernel
(:mod:`.grid_interpolate`) uses the very same formulas on scalars.
"""

import numpy as np

KEYS_A = -0.5
"""The Keys cubic convolution parameter (GDAL's ``cubic``, Catmull-Rom)."""

NEWTON_TOLERANCE = 1e-2
"""Newton stops after a step that moved the index by less than this (GOCI pixels) without
leaving its cell. It converges quadratically with a factor of the order of the cells'
departure from a parallelogram (≪ 1 on a geolocation grid): after a step of m pixels the
index is off by about that factor times m², far below SPEC's 1e-5 pixel (measured:
``bench/kernel.md``). From the grid engine's lattice (off by < 3e-3 pixel) one step is
enough."""

NEWTON_STEPS = 12
"""Most Newton steps per point; a point that has not converged by then has no index (NaN)."""

BILINEAR_SUPPORT = ((0, 0), (0, 1), (1, 0), (1, 1))
"""(row, col) offsets from the cell's first pixel of the bilinear support, in weight order."""


def keys_weights(f):
    """Keys (a = −0.5) weights of the support offsets −1, 0, 1, 2 at fraction ``f`` ∈ [0, 1].

    W(x) = (a+2)|x|³ − (a+3)|x|² + 1 for |x| ≤ 1, a(|x|−1)(|x|−2)² for 1 < |x| < 2; the four
    weights sum to 1 for every f. ``f`` may be a float or an array.
    """
    g = 1.0 - f
    return (
        KEYS_A * f * g * g,
        ((KEYS_A + 2.0) * f - (KEYS_A + 3.0)) * f * f + 1.0,
        ((KEYS_A + 2.0) * g - (KEYS_A + 3.0)) * g * g + 1.0,
        KEYS_A * g * f * f,
    )


def patch_step(lon4, lat4, fr, fc, lon, lat):
    """One Newton step (rows, cols) towards the point (lon, lat) on a cell's bilinear patch.

    Args:
        lon4, lat4: the cell's corner longitudes/latitudes (degrees) in the order of
            ``BILINEAR_SUPPORT``: (i, j), (i, j+1), (i+1, j), (i+1, j+1).
        fr, fc: the current estimate's fraction within the cell (may leave [0, 1]).
        lon, lat: the point (degrees).

    Returns:
        (dr, dc): the change of the index that zeroes the patch's linearised residual; NaN
        where a corner has no geolocation or the patch is degenerate. Floats or arrays alike.
    """
    a0, a1, a2, a3 = lon4
    b0, b1, b2, b3 = lat4
    gr, gc = 1.0 - fr, 1.0 - fc
    residual_lon = lon - (gr * (gc * a0 + fc * a1) + fr * (gc * a2 + fc * a3))
    residual_lat = lat - (gr * (gc * b0 + fc * b1) + fr * (gc * b2 + fc * b3))
    lon_r = gc * (a2 - a0) + fc * (a3 - a1)
    lon_c = gr * (a1 - a0) + fr * (a3 - a2)
    lat_r = gc * (b2 - b0) + fc * (b3 - b1)
    lat_c = gr * (b1 - b0) + fr * (b3 - b2)
    inverse = 1.0 / (lon_r * lat_c - lon_c * lat_r)
    return (
        (residual_lon * lat_c - residual_lat * lon_c) * inverse,
        (residual_lat * lon_r - residual_lon * lat_r) * inverse,
    )


def cell_of(index, size):
    """(first pixel, fraction) of the cell holding ``index`` (array) on an axis of ``size``
    pixels; indices past the edge take the edge cell (its patch extended)."""
    first = np.clip(np.floor(index), 0, size - 2).astype(np.int64)
    return first, index - first


def fractional_index(goci_lon, goci_lat, lon, lat, r, c, tolerance=NEWTON_TOLERANCE):
    """Return the fractional GOCI index (r, c) of points, by Newton from the start ``r, c``.

    Args:
        goci_lon, goci_lat: (rows, cols) float64 degrees, NaN = no geolocation.
        lon, lat: (n,) float64 degrees of the points.
        r, c: (n,) float64 start indices (e.g. of the nearest GOCI pixel centre).
        tolerance: stop after a step smaller than this (GOCI pixels).

    Returns:
        (r, c), each (n,) float64; NaN where Newton did not converge or met a cell with a
        corner without geolocation. Points outside the grid keep their (extrapolated) index:
        :func:`on_grid` tells them apart.
    """
    rows, cols = goci_lon.shape
    r, c = np.array(r, dtype=np.float64), np.array(c, dtype=np.float64)
    active = np.flatnonzero(np.isfinite(r) & np.isfinite(c))
    converged = np.zeros(r.shape, dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        for _ in range(NEWTON_STEPS):
            if not active.size:
                break
            i, fr = cell_of(r[active], rows)
            j, fc = cell_of(c[active], cols)
            corners = [(i + di, j + dj) for di, dj in BILINEAR_SUPPORT]
            dr, dc = patch_step([goci_lon[k] for k in corners], [goci_lat[k] for k in corners],
                                fr, fc, lon[active], lat[active])  # fmt: skip
            moving = np.isfinite(dr) & np.isfinite(dc)  # else a corner without geolocation
            active, i, j, dr, dc = active[moving], i[moving], j[moving], dr[moving], dc[moving]
            r[active] += dr
            c[active] += dc
            done = np.abs(dr) + np.abs(dc) < tolerance
            done &= (cell_of(r[active], rows)[0] == i) & (cell_of(c[active], cols)[0] == j)
            converged[active[done]] = True
            active = active[~done]
    r[~converged] = np.nan
    c[~converged] = np.nan
    return r, c


def on_grid(r, c, shape):
    """(n,) bool: the index lies on the grid, 0 ≤ r ≤ rows − 1 and 0 ≤ c ≤ cols − 1."""
    with np.errstate(invalid="ignore"):
        return (r >= 0) & (r <= shape[0] - 1) & (c >= 0) & (c <= shape[1] - 1)


def footprint_of(r, c, shape):
    """(n,) int64 flat index (row × cols + col) of the GOCI pixel whose footprint holds each
    fractional index (SPEC §8: the rounded index, the grid extended half a pixel past its
    edge, −0.5 ≤ r < rows − 0.5); −1 for none."""
    with np.errstate(invalid="ignore"):
        inside = (r >= -0.5) & (r < shape[0] - 0.5) & (c >= -0.5) & (c < shape[1] - 0.5)
    flat = np.full(np.shape(r), -1, dtype=np.int64)
    flat[inside] = (np.floor(r[inside] + 0.5).astype(np.int64) * shape[1]
                    + np.floor(c[inside] + 0.5).astype(np.int64))  # fmt: skip
    return flat


def support(r, c, shape, cubic):
    """Return (flat source indices (K, n) int64, weights (K, n) float64) of the points'
    support: K = 4 (bilinear, ``BILINEAR_SUPPORT`` order) or 16 (cubic, row offset −1..2
    outer, column offset inner, clamped to the grid). ``r, c`` must be on the grid."""
    rows, cols = shape
    i, fr = cell_of(r, rows)
    j, fc = cell_of(c, cols)
    if not cubic:
        index = [(i + di) * cols + j + dj for di, dj in BILINEAR_SUPPORT]
        gr, gc = 1.0 - fr, 1.0 - fc
        return np.stack(index), np.stack([gr * gc, gr * fc, fr * gc, fr * fc])
    weight_r, weight_c = keys_weights(fr), keys_weights(fc)
    index, weight = [], []
    for a in range(4):
        ii = np.clip(i + a - 1, 0, rows - 1)
        for b in range(4):
            index.append(ii * cols + np.clip(j + b - 1, 0, cols - 1))
            weight.append(weight_r[a] * weight_c[b])
    return np.stack(index), np.stack(weight)


def interpolate(values, r, c, shape, method, invalid, distance=None):
    """Interpolate every band at points with on-grid fractional indices (SPEC §3).

    Args:
        values: (bands, S) float64 source values, S = rows × cols; NaN = invalid (pixels
            without geolocation included).
        r, c: (n,) fractional GOCI indices, on the grid (:func:`on_grid`).
        shape: (rows, cols) of the GOCI grid.
        method: "bilinear" or "cubic".
        invalid: "skip", "propagate" or "cover".
        distance: None, or a callable giving (K, n) distances (metres) from the points to
            source pixels given by flat indices (K, n); then the first band's quality is
            returned too.

    Returns:
        (bands, n) float64, NaN = no value; with ``distance``, also (3, n) quality of the first
        band: support positions that entered its value, the distance to the nearest of them
        and the sum of their weights (0, NaN, 0 where there is no value).
    """
    supports = [support(r, c, shape, cubic=False)]
    if method == "cubic":
        supports.insert(0, support(r, c, shape, cubic=True))
    index, weight = supports[0]
    nonzero = weight != 0
    out = np.empty((values.shape[0], r.size))
    nearest = np.rint(r).astype(np.int64) * shape[1] + np.rint(c).astype(np.int64)
    for b, band in enumerate(values):
        value, used = _band_value(band, supports)
        if invalid == "propagate":
            value[(np.isnan(band[index]) & nonzero).any(axis=0)] = np.nan
        elif invalid == "cover":
            value[np.isnan(band[nearest])] = np.nan
        out[b] = value
        if b == 0:
            first_used = used
    if distance is None:
        return out
    used = np.concatenate(first_used)
    entries = np.concatenate([i for i, _ in supports])
    quality = np.stack(
        [
            used.sum(axis=0),
            np.where(used, distance(entries), np.inf).min(axis=0),
            np.where(used, np.concatenate([w for _, w in supports]), 0.0).sum(axis=0),
        ]
    )
    none = np.isnan(out[0])
    quality[:, none] = 0.0
    quality[1, none] = np.nan
    return out, quality


def _band_value(band, supports):
    """(value (n,), [used (K, n) per support]) of one band (S,) over ``supports`` = [bilinear]
    or [cubic, bilinear] (from :func:`support`): the cubic value where every support pixel
    with w ≠ 0 is valid, else the bilinear ``skip`` value; ``used`` marks the support positions
    that entered the value (valid, w ≠ 0)."""
    bilinear_index, bilinear_weight = supports[-1]
    value, used = _skip(band[bilinear_index], bilinear_weight)
    if len(supports) == 1:
        return value, [used]
    index, weight = supports[0]
    neighbours = band[index]
    nonzero = weight != 0
    full = (np.isfinite(neighbours) | ~nonzero).all(axis=0)
    cubic = np.where(nonzero, weight * neighbours, 0.0).sum(axis=0)
    return np.where(full, cubic, value), [nonzero & full, used & ~full]


def _skip(neighbours, weight):
    """(value, used): Σ w·v / Σ w over the valid support pixels (NaN when Σ w = 0), and the
    (K, n) support positions that entered it (valid, w ≠ 0)."""
    valid = np.isfinite(neighbours)
    norm = np.where(valid, weight, 0.0).sum(axis=0)
    total = np.where(valid, weight * neighbours, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(norm != 0, total / norm, np.nan)
    return value, valid & (weight != 0)
