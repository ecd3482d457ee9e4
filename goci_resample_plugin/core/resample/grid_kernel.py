"""The compiled kernel of the grid engine (numba; imported only when numba is available).

For each target pixel it interpolates the pixel's 3-D position from a lattice of exactly
projected points (cubic Lagrange, separable) and the source pixel it falls on from a lattice of
fractional source indices (bilinear). The sources within ``reach`` index steps of it form the
pixel's window; the k nearest of them strictly within the radius count, as in pyresample's
``kd_tree``. Along a target row the window and the split "k nearest / the rest" change little
from pixel to pixel, so both are kept: the window gains and loses a row or column of sources
now and then, and the split is repaired by swapping the farthest of the k with the nearest of
the rest while they are out of order (about one swap every two pixels at 250 m) instead of
sorting every pixel's candidates. Nearest neighbour first tries the 2 × 2 sources around the
fractional index. Everything is decided from the window: when an invalid source or the radius
is among the k nearest, :func:`.grid_rules.band_from_window` applies the band's own rule (a
quarter of the pixels of a GOCI-II scene with scattered raw-invalid pixels), so no pixel needs
a search of its own.

Compiled without numba's ``parallel`` and without forced inlining: it compiles in about 4 s
instead of 35 s on bookworm's numba, and the engine runs one call per core on interleaved rows
(the kernel releases the GIL), which is as fast.
"""

import math

import numba
import numpy as np

from .grid_rules import band_from_window, exp_table, gaussian_weights

SLOT_MASK = 1023
"""Low bits of a split key that hold the entry's slot: windows have at most (2 · 12 + 1)² =
625 entries (``MAX_REACH`` 12)."""


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
            do (without geolocation, or invalid in every band with ``propagate`` False): they
            never enter the k.
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
    cap = max((2 * int(math.ceil(reach)) + 1) ** 2, 9)
    if cap > SLOT_MASK + 1:  # the split keys could not carry the slot
        raise ValueError("the grid kernel's window is larger than SLOT_MASK allows")
    table, per_step, unit = exp_table(radius2, sigma2)
    with_quality = quality.shape[1] == out.shape[1] and quality.shape[2] == out.shape[2]
    weight = np.empty(cap)
    total = np.empty(n_bands)
    for strip_row in range(row_offset, out.shape[1], row_step):
        row = row_start + strip_row
        along, centre_along = _row_lattice(lattice, centre, weights, step, row)
        # The sources of the current index window (struct of arrays, values band by band)
        # and their distances² to the pixel. A source's sort key is distance² + penalty (+inf
        # for sources that never count); the first k entries have the k smallest keys. Moving
        # along the row changes that split rarely. Keys are compared as the int64 bit patterns
        # of these non-negative doubles (same order), which the compiler vectorises.
        win_x = np.empty(cap)
        win_y = np.empty(cap)
        win_z = np.empty(cap)
        win_d2 = np.empty(cap)
        win_d2_bits = win_d2.view(np.int64)
        win_penalty = np.empty(cap)
        win_penalty_bits = win_penalty.view(np.int64)
        win_i = np.empty(cap, dtype=np.int64)
        win_j = np.empty(cap, dtype=np.int64)
        win_values = np.empty(n_bands * cap)  # band b of entry m at b * cap + m
        win_band_values = win_values.reshape((n_bands, cap))
        free = np.empty(cap, dtype=np.int64)
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
            x, y, z, ci, cj = _position(along, centre_along, weights, step, q, g)
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
                # The nearest of the 2 × 2 sources around the centre decides when it is closer
                # than any source outside them can be (``step_m`` metres per index step) and
                # counts in every band.
                i0 = int(math.floor(ci))
                j0 = int(math.floor(cj))
                steps_out = min(ci - i0 + 1.0, i0 + 2.0 - ci, cj - j0 + 1.0, j0 + 2.0 - cj)
                bound = step_m * (steps_out - centre_error)
                best = -1
                best_d2 = min(bound * bound, radius2) if bound > 0.0 else 0.0
                for i in range(max(i0, 0), min(i0 + 1, src_rows - 1) + 1):
                    for j in range(max(j0, 0), min(j0 + 1, src_cols - 1) + 1):
                        s = i * src_cols + j
                        dx = x - src_xyz[s, 0]
                        dy = y - src_xyz[s, 1]
                        dz = z - src_xyz[s, 2]
                        d2 = dx * dx + dy * dy + dz * dz
                        if d2 < best_d2:
                            best_d2 = d2
                            best = s
                counts = best >= 0
                if counts and not propagate:
                    for b in range(n_bands):
                        if math.isnan(values[best, b]):
                            counts = False
                if counts:
                    for b in range(n_bands):
                        out[b, strip_row, col] = values[best, b]
                    if with_quality and math.isnan(out[0, strip_row, col]):  # propagate
                        _write_quality(quality, strip_row, col, 0.0, np.nan, 0.0)
                    elif with_quality:
                        _write_quality(quality, strip_row, col, 1.0, best_d2, 1.0)
                    continue
            new_r0 = max(int(math.ceil(ci - reach)), 0)
            new_r1 = min(int(math.floor(ci + reach)), src_rows - 1)
            new_c0 = max(int(math.ceil(cj - reach)), 0)
            new_c1 = min(int(math.floor(cj + reach)), src_cols - 1)
            if new_r0 != r0 or new_r1 != r1 or new_c0 != c0 or new_c1 != c1:
                # the sources that left give their slots to those that entered (a row or a
                # column each, now and then); the others stay where they are
                n_free = 0
                for m in range(n_win):
                    if not (new_r0 <= win_i[m] <= new_r1 and new_c0 <= win_j[m] <= new_c1):
                        free[n_free] = m
                        n_free += 1
                filled = 0
                for i in range(new_r0, new_r1 + 1):
                    seen_row = r0 <= i <= r1
                    for j in range(new_c0, new_c1 + 1):
                        if seen_row and c0 <= j <= c1:
                            continue
                        if filled < n_free:
                            slot = free[filled]
                            filled += 1
                        else:
                            slot = n_win
                            n_win += 1
                        s = i * src_cols + j
                        win_i[slot] = i
                        win_j[slot] = j
                        win_x[slot] = src_xyz[s, 0]
                        win_y[slot] = src_xyz[s, 1]
                        win_z[slot] = src_xyz[s, 2]
                        win_penalty[slot] = src_penalty[s]
                        for b in range(n_bands):
                            win_values[b * cap + slot] = values[s, b]
                for t in range(n_free - 1, filled - 1, -1):  # slots left over, highest first:
                    slot = free[t]  # the last entry moves in
                    n_win -= 1
                    if slot != n_win:
                        win_i[slot] = win_i[n_win]
                        win_j[slot] = win_j[n_win]
                        win_x[slot] = win_x[n_win]
                        win_y[slot] = win_y[n_win]
                        win_z[slot] = win_z[n_win]
                        win_penalty[slot] = win_penalty[n_win]
                        for b in range(n_bands):
                            win_values[b * cap + slot] = win_values[b * cap + n_win]
                r0, r1, c0, c1 = new_r0, new_r1, new_c0, new_c1
            _distances(win_x, win_y, win_z, x, y, z, n_win, win_d2)
            # Split "k nearest / the rest": swap the farthest of the first k with the nearest of
            # the rest while they are out of order (from the previous pixel's split that is
            # rarely more than one swap).
            kk = min(k, n_win)
            closest = -1  # the slot of the smallest key after the first k
            while n_win > k:
                far_key, close_key = _far_close(win_d2_bits, win_penalty_bits, k, n_win)
                closest = close_key & SLOT_MASK
                if close_key >= far_key:
                    break
                far = far_key & SLOT_MASK
                close = close_key & SLOT_MASK
                win_d2[far], win_d2[close] = win_d2[close], win_d2[far]
                win_penalty[far], win_penalty[close] = win_penalty[close], win_penalty[far]
                win_i[far], win_i[close] = win_i[close], win_i[far]
                win_j[far], win_j[close] = win_j[close], win_j[far]
                win_x[far], win_x[close] = win_x[close], win_x[far]
                win_y[far], win_y[close] = win_y[close], win_y[far]
                win_z[far], win_z[close] = win_z[close], win_z[far]
                for b in range(n_bands):
                    tmp = win_values[b * cap + far]
                    win_values[b * cap + far] = win_values[b * cap + close]
                    win_values[b * cap + close] = tmp
            inside = 0
            for m in range(kk):
                if win_d2[m] + win_penalty[m] < radius2:
                    inside += 1
            # The common case: the k nearest all within the radius and valid in every band.
            norm = 0.0
            weighted = 0  # leading entries whose weights are in ``weight``
            if inside == kk and kk > 0:
                weighted = kk
                if nearest:
                    for m in range(kk):
                        weight[m] = 1.0
                else:
                    gaussian_weights(win_d2, kk, table, per_step, unit, weight)
                for m in range(kk):
                    norm += weight[m]
                for b in range(n_bands):
                    total[b] = _dot(weight, win_values, b * cap, kk)
            else:
                for b in range(n_bands):
                    total[b] = np.nan
            used, nearest_d2, weight_sum = kk, np.inf, norm  # the first band's quality
            if with_quality:
                for m in range(kk):
                    nearest_d2 = min(nearest_d2, win_d2[m])
            inverse = 1.0 / norm if norm > 0.0 else 0.0
            for b in range(n_bands):
                if not math.isnan(total[b]):
                    out[b, strip_row, col] = total[b] * inverse
                    continue
                # an invalid source or the radius among the k nearest: the band's own rule
                value, band_used, band_d2, band_norm = band_from_window(
                    win_d2, win_penalty, win_band_values, n_win, kk, b, radius2, propagate, nearest,
                    weight, weighted, closest, table, per_step, unit,
                )  # fmt: skip
                out[b, strip_row, col] = value
                if b == 0:
                    used, nearest_d2, weight_sum = band_used, band_d2, band_norm
            if cover and n_win > 0:  # no value where the nearest located source is invalid
                best = 0
                for m in range(1, n_win):
                    if win_d2[m] < win_d2[best]:
                        best = m
                if win_d2[best] < radius2:
                    for b in range(n_bands):
                        if math.isnan(win_values[b * cap + best]):
                            out[b, strip_row, col] = np.nan
            if with_quality:
                if math.isnan(out[0, strip_row, col]):
                    _write_quality(quality, strip_row, col, 0.0, np.nan, 0.0)
                else:
                    _write_quality(quality, strip_row, col, used, nearest_d2, weight_sum)


@numba.njit(error_model="numpy")
def _row_lattice(lattice, centre, weights, step, row):
    """(LC, 3) positions and (LC, 2) fractional source indices along target row ``row`` at the
    lattice columns: cubic Lagrange across lattice rows for the positions, linear for the
    indices."""
    p = row // step
    g = row - p * step
    fr = g / step
    n_lattice_cols = lattice.shape[1]
    along = np.empty((n_lattice_cols, 3))
    centre_along = np.empty((n_lattice_cols, 2))
    for q in range(n_lattice_cols):
        for d in range(3):
            along[q, d] = (
                weights[g, 0] * lattice[p, q, d]
                + weights[g, 1] * lattice[p + 1, q, d]
                + weights[g, 2] * lattice[p + 2, q, d]
                + weights[g, 3] * lattice[p + 3, q, d]
            )
        for d in range(2):
            centre_along[q, d] = (1.0 - fr) * centre[p + 1, q, d] + fr * centre[p + 2, q, d]
    return along, centre_along


@numba.njit(error_model="numpy")
def _position(along, centre_along, weights, step, q, g):
    """(x, y, z, centre row, centre col) of the pixel at column ``q * step + g`` of the row
    given by ``_row_lattice``: cubic Lagrange along the row, linear for the indices."""
    w0, w1, w2, w3 = weights[g, 0], weights[g, 1], weights[g, 2], weights[g, 3]
    fc = g / step
    x = w0 * along[q, 0] + w1 * along[q + 1, 0] + w2 * along[q + 2, 0] + w3 * along[q + 3, 0]
    y = w0 * along[q, 1] + w1 * along[q + 1, 1] + w2 * along[q + 2, 1] + w3 * along[q + 3, 1]
    z = w0 * along[q, 2] + w1 * along[q + 1, 2] + w2 * along[q + 2, 2] + w3 * along[q + 3, 2]
    ci = (1.0 - fc) * centre_along[q + 1, 0] + fc * centre_along[q + 2, 0]
    cj = (1.0 - fc) * centre_along[q + 1, 1] + fc * centre_along[q + 2, 1]
    return x, y, z, ci, cj


@numba.njit(error_model="numpy", fastmath={"contract"})
def _distances(xs, ys, zs, x, y, z, n, d2):
    """d2[m] = squared distance (m²) from (x, y, z) to source m < n. Unsigned indices: numba
    then skips negative-index handling and the loop is vectorised."""
    for m in range(numba.uint64(n)):
        dx = x - xs[m]
        dy = y - ys[m]
        dz = z - zs[m]
        d2[m] = dx * dx + dy * dy + dz * dz


@numba.njit(error_model="numpy")
def _far_close(d2_bits, penalty_bits, k, n):
    """(largest key among the first k, smallest among entries k to n). A key is the int64 bit
    pattern of distance² + penalty, max(bits of distance², bits of the penalty 0 or +inf), with
    its lowest 10 bits replaced by the entry's slot (``key & SLOT_MASK``): keys within 1024 ulp
    (2e-13 relative, a distance tie) rank by slot, so the first k win such ties."""
    far = 0
    for m in range(numba.uint64(k)):
        far = max(far, (max(d2_bits[m], penalty_bits[m]) & ~SLOT_MASK) | numba.int64(m))
    close = 0x7FFFFFFFFFFFFFFF
    for m in range(numba.uint64(k), numba.uint64(n)):
        close = min(close, (max(d2_bits[m], penalty_bits[m]) & ~SLOT_MASK) | numba.int64(m))
    return far, close


@numba.njit(error_model="numpy", fastmath={"reassoc", "contract"})
def _dot(weight, values, offset, n):
    """Σ weight[m] · values[offset + m] for m < n, vectorised (a NaN value gives NaN)."""
    total = 0.0
    start = numba.uint64(offset)
    for m in range(numba.uint64(n)):
        total += weight[m] * values[start + m]
    return total


@numba.njit(error_model="numpy")
def _write_quality(quality, strip_row, col, count, nearest_d2, weight_sum):
    """The quality bands of one pixel: pixels used, nearest distance (metres), weight sum."""
    quality[0, strip_row, col] = count
    quality[1, strip_row, col] = math.sqrt(nearest_d2)
    quality[2, strip_row, col] = weight_sum
