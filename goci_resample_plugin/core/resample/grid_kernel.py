"""The compiled kernel of the grid engine (numba; imported only when numba is available).

For each target pixel it interpolates the pixel's 3-D position from a lattice of exactly
projected points (cubic Lagrange, separable) and the source pixel it falls on from a lattice of
fractional source indices (bilinear). The sources within ``reach`` index steps of it form the
pixel's window; the k nearest of them strictly within the radius count, as in pyresample's
``kd_tree``. Along a target row the window and the split "k nearest / the rest" change little
from pixel to pixel, so both are kept: the window gains and loses a row or column of sources
now and then, and the split is repaired by swapping the farthest of the k with the nearest of
the rest while they are out of order (about one swap every two pixels at 250 m) instead of
sorting every pixel's candidates. The rules applied to a pixel's candidates (weights, means,
the exact ordered path when an invalid source is among the k nearest, the nearest-neighbour
shortcut) live in :mod:`.grid_rules`.

Compiled without numba's ``parallel`` and without forced inlining: it compiles in about 4 s
instead of 35 s on bookworm's numba, and the engine runs one call per core on interleaved rows
(the kernel releases the GIL), which is as fast.
"""

import math

import numba
import numpy as np

from .grid_rules import (
    exp_table,
    gaussian_weights,
    nearest_in_cell,
    ordered_means,
    sort_by_distance,
    weighted_means,
)


@numba.njit(nogil=True, cache=True, error_model="numpy")
def resample_strip(
    lattice,
    weights,
    step,
    row_start,
    width,
    centre,
    src_xyz,
    src_penalty,
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
    quality,
    row_offset,
    row_step,
):
    """Resample target rows ``row_start : row_start + out.shape[1]`` (those of them selected
    by ``row_offset`` and ``row_step``) into ``out``.

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
        src_penalty: (S,) float64, 0 for sources that can count, +inf for those that never
            do (invalid in every band with ``propagate`` False): they never enter the k.
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
        quality: (3, rows, width) float32, written when its rows and columns match ``out``'s
            (pass a (3, 1, 1) array otherwise): for the first band, the number of GOCI pixels
            that entered its value, the distance (metres) to the nearest of them and the sum
            of their weights; 0, NaN, 0 where the band has no value.
        row_offset, row_step: the strip rows this call writes, ``row_offset::row_step`` (one
            call per thread, each on its own rows; the kernel releases the GIL).
    """
    n_bands = values.shape[1]
    src_rows, src_cols = usable_near.shape
    n_lattice_cols = lattice.shape[1]
    cap = max((2 * int(math.ceil(reach)) + 1) ** 2, 9)
    table, table_step = exp_table(radius2, sigma2)
    with_quality = quality.shape[1] == out.shape[1] and quality.shape[2] == out.shape[2]
    for strip_row in range(row_offset, out.shape[1], row_step):
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
        candidate_d2 = np.empty(cap)
        candidate_index = np.empty(cap, dtype=np.int64)
        weight = np.empty(cap)
        total = np.empty(n_bands)
        entered = np.empty(3)  # first band: pixels used, nearest distance², weight sum
        # The sources of the current index window (struct of arrays), their distances to the
        # pixel and their sort keys (distance², +inf for sources that never count); the first
        # k entries are the k smallest keys. Moving along the row changes that split rarely.
        win_x = np.empty(cap)
        win_y = np.empty(cap)
        win_z = np.empty(cap)
        win_d2 = np.empty(cap)
        win_key = np.empty(cap)
        win_penalty = np.empty(cap)
        win_index = np.empty(cap, dtype=np.int64)
        win_i = np.empty(cap, dtype=np.int64)
        win_j = np.empty(cap, dtype=np.int64)
        n_win = 0
        r0 = c0 = 0
        r1 = c1 = -1
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
                if with_quality:
                    _write_quality(quality, strip_row, col, 0.0, np.nan, 0.0)
                continue
            if nearest:
                nearest_d2 = nearest_in_cell(
                    src_xyz, src_rows, src_cols, ci, cj, x, y, z, step_m, centre_error,
                    radius2, values, propagate, candidate_d2, candidate_index, out, strip_row,
                    col,
                )  # fmt: skip
                if nearest_d2 >= 0.0:
                    if with_quality and math.isnan(out[0, strip_row, col]):  # propagate
                        _write_quality(quality, strip_row, col, 0.0, np.nan, 0.0)
                    elif with_quality:
                        _write_quality(quality, strip_row, col, 1.0, nearest_d2, 1.0)
                    continue
            new_r0 = max(int(math.ceil(ci - reach)), 0)
            new_r1 = min(int(math.floor(ci + reach)), src_rows - 1)
            new_c0 = max(int(math.ceil(cj - reach)), 0)
            new_c1 = min(int(math.floor(cj + reach)), src_cols - 1)
            if new_r0 != r0 or new_r1 != r1 or new_c0 != c0 or new_c1 != c1:
                # keep the sources still inside (in their order), add the new ones at the end
                kept = 0
                for m in range(n_win):
                    i = win_i[m]
                    j = win_j[m]
                    if new_r0 <= i <= new_r1 and new_c0 <= j <= new_c1:
                        win_index[kept] = win_index[m]
                        win_i[kept] = i
                        win_j[kept] = j
                        win_x[kept] = win_x[m]
                        win_y[kept] = win_y[m]
                        win_z[kept] = win_z[m]
                        win_penalty[kept] = win_penalty[m]
                        kept += 1
                for i in range(new_r0, new_r1 + 1):
                    seen_row = r0 <= i <= r1
                    for j in range(new_c0, new_c1 + 1):
                        if seen_row and c0 <= j <= c1:
                            continue
                        s = i * src_cols + j
                        win_index[kept] = s
                        win_i[kept] = i
                        win_j[kept] = j
                        win_x[kept] = src_xyz[s, 0]
                        win_y[kept] = src_xyz[s, 1]
                        win_z[kept] = src_xyz[s, 2]
                        win_penalty[kept] = src_penalty[s]
                        kept += 1
                n_win = kept
                r0, r1, c0, c1 = new_r0, new_r1, new_c0, new_c1
            for m in range(n_win):
                dx = x - win_x[m]
                dy = y - win_y[m]
                dz = z - win_z[m]
                d2 = dx * dx + dy * dy + dz * dz
                win_d2[m] = d2
                win_key[m] = d2 + win_penalty[m]
            _split_k_nearest(
                win_key, win_d2, win_penalty, win_index, win_i, win_j, win_x, win_y, win_z,
                n_win, k,
            )  # fmt: skip
            n = 0
            for m in range(min(k, n_win)):
                if win_key[m] < radius2:
                    candidate_d2[n] = win_d2[m]
                    candidate_index[n] = win_index[m]
                    n += 1
            if nearest:
                for m in range(n):
                    weight[m] = 1.0
            else:
                gaussian_weights(candidate_d2, n, table, table_step, sigma2, weight)
            if weighted_means(candidate_index, n, values, weight, total, out, strip_row, col):
                if with_quality:
                    entered[0] = n
                    entered[1] = np.inf
                    entered[2] = 0.0
                    for m in range(n):
                        entered[1] = min(entered[1], candidate_d2[m])
                        entered[2] += weight[m]
            else:
                # an invalid source among them: every candidate in the radius, nearest first
                n = 0
                for m in range(n_win):
                    if win_key[m] < radius2:
                        candidate_d2[n] = win_d2[m]
                        candidate_index[n] = win_index[m]
                        n += 1
                sort_by_distance(candidate_d2, candidate_index, n)
                ordered_means(
                    candidate_d2, candidate_index, n, values, k, sigma2, propagate, nearest,
                    weight, out, strip_row, col, entered,
                )  # fmt: skip
            if cover:
                best = 0
                for m in range(1, n_win):
                    if win_d2[m] < win_d2[best]:
                        best = m
                if n_win > 0 and win_d2[best] < radius2:
                    for b in range(n_bands):
                        if math.isnan(values[win_index[best], b]):
                            out[b, strip_row, col] = np.nan
            if with_quality:
                if math.isnan(out[0, strip_row, col]):
                    _write_quality(quality, strip_row, col, 0.0, np.nan, 0.0)
                else:
                    _write_quality(quality, strip_row, col, entered[0], entered[1], entered[2])


@numba.njit(error_model="numpy")
def _write_quality(quality, strip_row, col, count, nearest_d2, weight_sum):
    """The quality bands of one pixel: pixels used, nearest distance (metres), weight sum."""
    quality[0, strip_row, col] = count
    quality[1, strip_row, col] = math.sqrt(nearest_d2)
    quality[2, strip_row, col] = weight_sum


@numba.njit(error_model="numpy")
def _split_k_nearest(key, d2, penalty, index, ii, jj, xx, yy, zz, n, k):
    """Reorder the window's n entries so that the first k have the k smallest keys, by
    swapping the largest of the first k with the smallest of the rest while they are out of
    order (from the previous pixel's split that is rarely more than one swap)."""
    if n <= k:
        return
    while True:
        far_key = key[0]
        for m in range(1, k):
            far_key = max(far_key, key[m])
        close_key = key[k]
        for m in range(k + 1, n):
            close_key = min(close_key, key[m])
        if close_key >= far_key:
            return
        far = 0
        while key[far] != far_key:
            far += 1
        close = k
        while key[close] != close_key:
            close += 1
        key[far], key[close] = key[close], key[far]
        d2[far], d2[close] = d2[close], d2[far]
        penalty[far], penalty[close] = penalty[close], penalty[far]
        index[far], index[close] = index[close], index[far]
        ii[far], ii[close] = ii[close], ii[far]
        jj[far], jj[close] = jj[close], jj[far]
        xx[far], xx[close] = xx[close], xx[far]
        yy[far], yy[close] = yy[close], yy[far]
        zz[far], zz[close] = zz[close], zz[far]
