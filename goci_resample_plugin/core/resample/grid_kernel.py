"""The compiled kernel of the grid engine (numba; imported only when numba is available).

For each target pixel it interpolates the pixel's 3-D position from a lattice of exactly
projected points (cubic Lagrange, separable), finds the source pixel it falls on from a
lattice of fractional source indices (bilinear), scans the source pixels within ``reach``
index steps of it, keeps those strictly within the radius, and then for each band takes the
k nearest valid ones, as pyresample's ``kd_tree`` does. Nearest neighbour first looks at the
2 × 2 source pixels around the centre and scans the whole reach only when that cannot decide.
Sorting happens only when more candidates than k are found.
"""

import math

import numba
import numpy as np


@numba.njit(parallel=True, nogil=True, cache=True, error_model="numpy")
def resample_strip(
    lattice,
    weights,
    step,
    row_start,
    width,
    centre,
    src_xyz,
    usable_near,
    values,
    reach,
    step_m,
    centre_error,
    radius2,
    sigma2,
    k,
    propagate,
    cover,
    nearest,
    out,
):
    """Resample target rows ``row_start : row_start + out.shape[1]`` into ``out``.

    Args:
        lattice: (LR, LC, 3) float64 positions (metres) of target pixel centres at pixel rows
            and columns ``(p - 1) * step``, ``(q - 1) * step``.
        weights: (step, 4) cubic Lagrange weights for the fractions ``0, 1/step, ...``.
        step: lattice spacing in target pixels.
        row_start: first target row of the strip.
        width: target columns.
        centre: (LR, LC, 2) float64 fractional source (row, col) index at the lattice points.
        src_xyz: (S, 3) float64 source positions (metres), S = source rows × cols; sources
            without valid geolocation must be placed far away (e.g. 1e12 m).
        usable_near: (src_rows, src_cols) bool: some source that can count (valid in a band,
            or located with ``propagate``) lies within ``reach`` + 0.5 index steps; pixels
            whose rounded centre (clamped to the grid) is False are NaN without a scan.
        values: (S, B) float64 source values, NaN = invalid.
        reach: source rows/cols scanned on each side of the fractional centre: every source
            within the radius is at most this many index steps away.
        step_m: a lower bound (metres) on the distance covered by one source index step.
        centre_error: bound (source pixels) on the error of the interpolated centre.
        radius2, sigma2: radius and sigma squared (m²).
        k: neighbours per pixel (1 for nearest).
        propagate: True = an invalid source among the weighted neighbours makes NaN;
            False = invalid sources are skipped.
        cover: (with ``propagate`` False) a band is NaN where the nearest located source
            (valid or not) is invalid in it: no value past the edge of valid data.
        nearest: True = value of the nearest neighbour, False = Gaussian mean.
        out: (B, rows, width) float32, written.
    """
    n_bands = values.shape[1]
    src_rows, src_cols = usable_near.shape
    n_lattice_cols = lattice.shape[1]
    span = 2 * int(math.ceil(reach)) + 1
    for strip_row in numba.prange(out.shape[1]):
        row = row_start + strip_row
        p = row // step
        wr = weights[row - p * step]
        fr = (row - p * step) / step
        along = np.empty((n_lattice_cols, 3))
        centre_along = np.empty((n_lattice_cols, 2))
        for q in range(n_lattice_cols):
            for d in range(3):
                along[q, d] = (
                    wr[0] * lattice[p, q, d]
                    + wr[1] * lattice[p + 1, q, d]
                    + wr[2] * lattice[p + 2, q, d]
                    + wr[3] * lattice[p + 3, q, d]
                )
            for d in range(2):
                centre_along[q, d] = (1.0 - fr) * centre[p + 1, q, d] + fr * centre[p + 2, q, d]
        candidate_d2 = np.empty(max(span * span, 9))
        candidate_index = np.empty(max(span * span, 9), dtype=np.int64)
        weight = np.empty(max(span * span, 9))
        q = 0
        g = -1
        for col in range(width):
            g += 1  # col = q * step + g, without a division per pixel
            if g == step:
                g = 0
                q += 1
            # weights[g, :] read element by element: a row view per pixel costs reference counts
            w0, w1, w2, w3 = weights[g, 0], weights[g, 1], weights[g, 2], weights[g, 3]
            fc = g / step
            x = (
                w0 * along[q, 0]
                + w1 * along[q + 1, 0]
                + w2 * along[q + 2, 0]
                + w3 * along[q + 3, 0]
            )
            y = (
                w0 * along[q, 1]
                + w1 * along[q + 1, 1]
                + w2 * along[q + 2, 1]
                + w3 * along[q + 3, 1]
            )
            z = (
                w0 * along[q, 2]
                + w1 * along[q + 1, 2]
                + w2 * along[q + 2, 2]
                + w3 * along[q + 3, 2]
            )
            ci = (1.0 - fc) * centre_along[q + 1, 0] + fc * centre_along[q + 2, 0]
            cj = (1.0 - fc) * centre_along[q + 1, 1] + fc * centre_along[q + 2, 1]
            if (
                not (math.isfinite(x) and math.isfinite(ci) and math.isfinite(cj))
                or not (
                    usable_near[
                        min(max(int(math.floor(ci + 0.5)), 0), src_rows - 1),
                        min(max(int(math.floor(cj + 0.5)), 0), src_cols - 1),
                    ]
                )
            ):
                for b in range(n_bands):
                    out[b, strip_row, col] = np.nan
                continue
            if nearest and _nearest_in_cell(
                src_xyz, src_rows, src_cols, ci, cj, x, y, z, step_m, centre_error, radius2,
                values, propagate, candidate_d2, candidate_index, out, strip_row, col,
            ):  # fmt: skip
                continue
            n = _collect(
                src_xyz, src_rows, src_cols,
                int(math.ceil(ci - reach)), int(math.floor(ci + reach)),
                int(math.ceil(cj - reach)), int(math.floor(cj + reach)),
                x, y, z, radius2, candidate_d2, candidate_index,
            )  # fmt: skip
            if n > k:  # only then does the order matter: the k nearest (valid) ones count
                _sort(candidate_d2, candidate_index, n)
            _combine(
                candidate_d2, candidate_index, n, values, k, sigma2, propagate, nearest, weight,
                out, strip_row, col,
            )  # fmt: skip
            if cover and n > 0:
                _mask_past_cover(candidate_d2, candidate_index, n, values, out, strip_row, col)


@numba.njit(inline="always", error_model="numpy")
def _collect(
    src_xyz,
    src_rows,
    src_cols,
    row_first,
    row_last,
    col_first,
    col_last,
    x,
    y,
    z,
    radius2,
    candidate_d2,
    candidate_index,
):
    """Store the sources of the index rectangle strictly within the radius; return how many."""
    n = 0
    for i in range(max(row_first, 0), min(row_last, src_rows - 1) + 1):
        start = i * src_cols
        for s in range(start + max(col_first, 0), start + min(col_last, src_cols - 1) + 1):
            dx = x - src_xyz[s, 0]
            dy = y - src_xyz[s, 1]
            dz = z - src_xyz[s, 2]
            d2 = dx * dx + dy * dy + dz * dz
            if d2 < radius2:  # sources without geolocation lie far away
                candidate_d2[n] = d2
                candidate_index[n] = s
                n += 1
    return n


@numba.njit(inline="always", error_model="numpy")
def _sort(candidate_d2, candidate_index, n):
    """Insertion sort of the first n candidates by distance (n is small)."""
    for m in range(1, n):
        d2 = candidate_d2[m]
        s = candidate_index[m]
        while m > 0 and candidate_d2[m - 1] > d2:
            candidate_d2[m] = candidate_d2[m - 1]
            candidate_index[m] = candidate_index[m - 1]
            m -= 1
        candidate_d2[m] = d2
        candidate_index[m] = s


@numba.njit(inline="always", error_model="numpy")
def _nearest_in_cell(
    src_xyz,
    src_rows,
    src_cols,
    ci,
    cj,
    x,
    y,
    z,
    step_m,
    centre_error,
    radius2,
    values,
    propagate,
    candidate_d2,
    candidate_index,
    out,
    strip_row,
    col,
):
    """Nearest neighbour from the 2 × 2 sources around the fractional centre, when that
    decides: the nearest of them is closer than any source outside can be (those are at least
    ``step_m`` metres per index step away) and counts in every band. Writes the bands and
    returns True, else returns False."""
    i0 = int(math.floor(ci))
    j0 = int(math.floor(cj))
    steps_out = min(ci - i0 + 1.0, i0 + 2.0 - ci, cj - j0 + 1.0, j0 + 2.0 - cj) - centre_error
    bound = step_m * steps_out
    n = _collect(
        src_xyz, src_rows, src_cols, i0, i0 + 1, j0, j0 + 1, x, y, z,
        min(bound * bound, radius2), candidate_d2, candidate_index,
    )  # fmt: skip
    best = -1
    best_d2 = np.inf
    for m in range(n):
        if candidate_d2[m] < best_d2:
            best_d2 = candidate_d2[m]
            best = candidate_index[m]
    if best < 0:
        return False
    if not propagate:
        for b in range(values.shape[1]):
            if math.isnan(values[best, b]):
                return False
    for b in range(values.shape[1]):
        out[b, strip_row, col] = values[best, b]
    return True


@numba.njit(inline="always", error_model="numpy")
def _combine(
    candidate_d2,
    candidate_index,
    n,
    values,
    k,
    sigma2,
    propagate,
    nearest,
    weight,
    out,
    strip_row,
    col,
):
    """Write each band's value from the candidates (sorted whenever n > k): the Gaussian mean
    (or nearest value) of its first k counting sources; NaN when none, or when ``propagate``
    and an invalid one is among them with a weight above zero."""
    norm = 0.0
    for m in range(n):
        weight[m] = 1.0 if nearest else math.exp(-candidate_d2[m] / sigma2)
        norm += weight[m]
    for b in range(values.shape[1]):
        value = np.nan
        if n <= k:  # every candidate counts: one weighted sum, a NaN marks an invalid one
            total = 0.0
            for m in range(n):
                total += weight[m] * values[candidate_index[m], b]
            if not math.isnan(total):
                value = total / norm if norm > 0.0 else np.nan
            else:
                value = _band_value(candidate_index, n, values, b, k, propagate, weight)
        else:
            value = _band_value(candidate_index, n, values, b, k, propagate, weight)
        out[b, strip_row, col] = value


@numba.njit(inline="always", error_model="numpy")
def _mask_past_cover(candidate_d2, candidate_index, n, values, out, strip_row, col):
    """NaN in each band where the nearest candidate (any located source) is invalid."""
    best = candidate_index[0]
    best_d2 = candidate_d2[0]
    for m in range(1, n):
        if candidate_d2[m] < best_d2:
            best_d2 = candidate_d2[m]
            best = candidate_index[m]
    for b in range(values.shape[1]):
        if math.isnan(values[best, b]):
            out[b, strip_row, col] = np.nan


@numba.njit(inline="always", error_model="numpy")
def _band_value(candidate_index, n, values, b, k, propagate, weight):
    """One band's value from its first k counting candidates (see ``_combine``)."""
    total = 0.0
    norm = 0.0
    taken = 0
    for m in range(n):
        if taken == k:
            break
        v = values[candidate_index[m], b]
        taken += 1
        if math.isnan(v):
            if not propagate:
                taken -= 1
            elif weight[m] > 0.0:
                return np.nan
            continue
        total += weight[m] * v
        norm += weight[m]
    return total / norm if norm > 0.0 else np.nan
