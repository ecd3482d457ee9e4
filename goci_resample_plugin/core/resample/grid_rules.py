"""The per-pixel rules of the grid kernel (numba): pyresample's ``kd_tree`` semantics on a
pixel's candidate sources.

* Gaussian weights exp(-d²/σ²) (d in metres) from a table and a Taylor remainder;
* the weighted means of all bands over the k nearest when none of them is invalid
  (``weighted_means``), else the exact ordered path (``sort_by_distance`` + ``ordered_means``:
  per band the k nearest valid sources with ``skip``, NaN with ``propagate``);
* the nearest-neighbour shortcut from the 2 × 2 sources around a pixel's fractional index.
"""

import math

import numba
import numpy as np

EXP_TABLE_PER_UNIT = 64
"""Entries of the exp table per unit of d²/σ²: the remainder r < 1/64 leaves a degree-4
Taylor error below 1e-11 relative."""

EXP_TABLE_MAX = 1 << 20
"""Largest exp table; beyond (RADIUS/SIGMA above ~128) the weights call exp directly."""


@numba.njit(error_model="numpy")
def exp_table(radius2, sigma2):
    """(table, step): table[i] = exp(-i step / σ²) for d² = i step up to the radius², or an
    empty table when it would be larger than ``EXP_TABLE_MAX``."""
    size = int(math.ceil(EXP_TABLE_PER_UNIT * radius2 / sigma2)) + 2
    if size > EXP_TABLE_MAX:
        return np.empty(0), 0.0
    step = radius2 / (size - 2)
    table = np.empty(size)
    for i in range(size):
        table[i] = math.exp(-i * step / sigma2)
    return table, step


@numba.njit(error_model="numpy")
def gaussian_weights(d2, n, table, step, sigma2, weight):
    """weight[m] = exp(-d2[m] / σ²) for m < n (d2 below the radius²), from the table and a
    degree-4 Taylor polynomial of the remainder: relative error below 1e-11."""
    if table.size == 0:
        for m in range(n):
            weight[m] = math.exp(-d2[m] / sigma2)
        return
    per_step = 1.0 / step
    per_sigma2 = 1.0 / sigma2
    for m in range(n):
        i = int(d2[m] * per_step)
        r = (d2[m] - i * step) * per_sigma2
        weight[m] = table[i] * (1.0 - r * (1.0 - r * (0.5 - r * (1.0 / 6 - r * (1.0 / 24)))))


@numba.njit(error_model="numpy")
def weighted_means(candidate_index, n, values, weight, total, out, strip_row, col):
    """Write every band's weighted mean over the n candidates (NaN when n is 0) and return
    True; return False, writing nothing, when some band meets an invalid source among them.
    Four partial sums per band keep the additions independent of each other."""
    norm = 0.0
    for m in range(n):
        norm += weight[m]
    for b in range(values.shape[1]):
        t0 = 0.0
        t1 = 0.0
        t2 = 0.0
        t3 = 0.0
        m = 0
        while m + 3 < n:
            t0 += weight[m] * values[candidate_index[m], b]
            t1 += weight[m + 1] * values[candidate_index[m + 1], b]
            t2 += weight[m + 2] * values[candidate_index[m + 2], b]
            t3 += weight[m + 3] * values[candidate_index[m + 3], b]
            m += 4
        while m < n:
            t0 += weight[m] * values[candidate_index[m], b]
            m += 1
        t = (t0 + t1) + (t2 + t3)
        if math.isnan(t):
            return False
        total[b] = t
    for b in range(values.shape[1]):
        out[b, strip_row, col] = total[b] / norm if norm > 0.0 else np.nan
    return True


@numba.njit(error_model="numpy")
def collect_within(
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


@numba.njit(error_model="numpy")
def sort_by_distance(candidate_d2, candidate_index, n):
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


@numba.njit(error_model="numpy")
def nearest_in_cell(
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
    returns its distance² (m²), else returns -1."""
    i0 = int(math.floor(ci))
    j0 = int(math.floor(cj))
    steps_out = min(ci - i0 + 1.0, i0 + 2.0 - ci, cj - j0 + 1.0, j0 + 2.0 - cj) - centre_error
    bound = step_m * steps_out
    n = collect_within(
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
        return -1.0
    if not propagate:
        for b in range(values.shape[1]):
            if math.isnan(values[best, b]):
                return -1.0
    for b in range(values.shape[1]):
        out[b, strip_row, col] = values[best, b]
    return best_d2


@numba.njit(error_model="numpy")
def ordered_means(
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
    entered,
):
    """Write each band's value from the candidates (sorted by distance): the Gaussian mean
    (or nearest value) of its first k counting sources; NaN when none, or when ``propagate``
    and an invalid one is among them with a weight above zero. ``entered`` receives the first
    band's pixels used, nearest distance² (m²) and weight sum."""
    for m in range(n):
        weight[m] = 1.0 if nearest else math.exp(-candidate_d2[m] / sigma2)
    for b in range(out.shape[0]):
        value, used, nearest_d2, norm = _band_value(
            candidate_index, candidate_d2, n, values, b, k, propagate, weight
        )
        out[b, strip_row, col] = value
        if b == 0:
            entered[0] = used
            entered[1] = nearest_d2
            entered[2] = norm


@numba.njit(error_model="numpy")
def _band_value(candidate_index, candidate_d2, n, values, b, k, propagate, weight):
    """(value, pixels used, nearest distance² of them, weight sum) of one band from its first
    k counting candidates (see ``ordered_means``)."""
    total = 0.0
    norm = 0.0
    taken = 0
    used = 0
    nearest_d2 = np.inf
    for m in range(n):
        if taken == k:
            break
        v = values[candidate_index[m], b]
        taken += 1
        if math.isnan(v):
            if not propagate:
                taken -= 1
            elif weight[m] > 0.0:
                return np.nan, 0, np.nan, 0.0
            continue
        total += weight[m] * v
        norm += weight[m]
        used += 1
        nearest_d2 = min(nearest_d2, candidate_d2[m])
    return (total / norm if norm > 0.0 else np.nan), used, nearest_d2, norm
