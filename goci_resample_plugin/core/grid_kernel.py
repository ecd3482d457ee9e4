"""The compiled kernel of the grid engine (numba; imported only when numba is available).

For each target pixel it interpolates the pixel's 3-D position from a lattice of exactly
projected points (cubic Lagrange, separable), finds the source pixel it falls on from a
lattice of fractional source indices (bilinear), scans the source pixels within ``reach``
index steps of it, keeps those strictly within the radius sorted by distance, and then for
each band takes the k nearest valid ones, as pyresample's ``kd_tree`` does.
"""

import math

import numba
import numpy as np


@numba.njit(parallel=True, nogil=True, cache=True)
def resample_strip(lattice, weights, step, row_start, width, centre, src_xyz, src_shape, values,
                   reach, radius2, sigma2, k, propagate, nearest, out):
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
        src_shape: (src_rows, src_cols).
        values: (S, B) float64 source values, NaN = invalid.
        reach: source rows/cols scanned on each side of the fractional centre: every source
            within the radius is at most this many index steps away.
        radius2, sigma2: radius and sigma squared (m²).
        k: neighbours per pixel (1 for nearest).
        propagate: True = an invalid source among the weighted neighbours makes NaN;
            False = invalid sources are skipped.
        nearest: True = value of the nearest neighbour, False = Gaussian mean.
        out: (B, rows, width) float32, written.
    """
    n_bands = values.shape[1]
    src_rows, src_cols = src_shape
    n_lattice_cols = lattice.shape[1]
    span = 2 * int(math.ceil(reach)) + 1
    window = span * span
    for strip_row in numba.prange(out.shape[1]):
        row = row_start + strip_row
        p = row // step
        wr = weights[row - p * step]
        fr = (row - p * step) / step
        along = np.empty((n_lattice_cols, 3))
        centre_along = np.empty((n_lattice_cols, 2))
        for q in range(n_lattice_cols):
            for d in range(3):
                along[q, d] = (wr[0] * lattice[p, q, d] + wr[1] * lattice[p + 1, q, d]
                               + wr[2] * lattice[p + 2, q, d] + wr[3] * lattice[p + 3, q, d])
            for d in range(2):
                centre_along[q, d] = (1.0 - fr) * centre[p + 1, q, d] + fr * centre[p + 2, q, d]
        candidate_d2 = np.empty(window)
        candidate_index = np.empty(window, dtype=np.int64)
        total = np.empty(n_bands)
        norm = np.empty(n_bands)
        taken = np.empty(n_bands, dtype=np.int64)
        tainted = np.empty(n_bands, dtype=np.bool_)
        for col in range(width):
            q = col // step
            g = col - q * step
            wc = weights[g]
            fc = g / step
            x = wc[0] * along[q, 0] + wc[1] * along[q + 1, 0] + wc[2] * along[q + 2, 0] + wc[3] * along[q + 3, 0]
            y = wc[0] * along[q, 1] + wc[1] * along[q + 1, 1] + wc[2] * along[q + 2, 1] + wc[3] * along[q + 3, 1]
            z = wc[0] * along[q, 2] + wc[1] * along[q + 1, 2] + wc[2] * along[q + 2, 2] + wc[3] * along[q + 3, 2]
            ci = (1.0 - fc) * centre_along[q + 1, 0] + fc * centre_along[q + 2, 0]
            cj = (1.0 - fc) * centre_along[q + 1, 1] + fc * centre_along[q + 2, 1]
            n = 0
            if math.isfinite(x) and math.isfinite(ci) and math.isfinite(cj):
                row_first = max(int(math.ceil(ci - reach)), 0)
                row_last = min(int(math.floor(ci + reach)), src_rows - 1)
                col_first = max(int(math.ceil(cj - reach)), 0)
                col_last = min(int(math.floor(cj + reach)), src_cols - 1)
                for i in range(row_first, row_last + 1):
                    for s in range(i * src_cols + col_first, i * src_cols + col_last + 1):
                        dx = x - src_xyz[s, 0]
                        dy = y - src_xyz[s, 1]
                        dz = z - src_xyz[s, 2]
                        d2 = dx * dx + dy * dy + dz * dz
                        if d2 < radius2:  # sources without geolocation lie far away
                            candidate_d2[n] = d2
                            candidate_index[n] = s
                            n += 1
            if n > k:  # only then does the order matter: the k nearest (valid) ones count
                for m in range(1, n):
                    d2 = candidate_d2[m]
                    s = candidate_index[m]
                    while m > 0 and candidate_d2[m - 1] > d2:
                        candidate_d2[m] = candidate_d2[m - 1]
                        candidate_index[m] = candidate_index[m - 1]
                        m -= 1
                    candidate_d2[m] = d2
                    candidate_index[m] = s
            for b in range(n_bands):
                total[b] = 0.0
                norm[b] = 0.0
                taken[b] = 0
                tainted[b] = False
            for m in range(n):
                weight = 1.0 if nearest else math.exp(-candidate_d2[m] / sigma2)
                s = candidate_index[m]
                for b in range(n_bands):
                    if taken[b] == k:
                        continue
                    v = values[s, b]
                    taken[b] += 1
                    if math.isnan(v):
                        if propagate:
                            tainted[b] = tainted[b] or weight > 0.0
                        else:
                            taken[b] -= 1
                        continue
                    total[b] += weight * v
                    norm[b] += weight
            for b in range(n_bands):
                if tainted[b] or norm[b] == 0.0:
                    out[b, strip_row, col] = np.nan
                else:
                    out[b, strip_row, col] = total[b] / norm[b]
