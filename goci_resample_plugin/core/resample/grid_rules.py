"""The per-pixel rules of the grid kernel (numba): pyresample's ``kd_tree`` semantics on a
pixel's candidate sources.

* Gaussian weights exp(-d²/σ²) (d in metres) from a table and a Taylor remainder;
* a band's value when an invalid source or the radius is among a pixel's k nearest
  (``band_from_window``: per band the k nearest valid sources with ``skip``, NaN with
  ``propagate``).
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
    """(table, per_step, unit) for ``gaussian_weight``: table[i] = exp(-i step / σ²) for
    d² = i step (m²) up to the radius², per_step = 1 / step, unit = step / σ²; an empty table
    and unit = 1 / σ² when it would be larger than ``EXP_TABLE_MAX``."""
    size = int(math.ceil(EXP_TABLE_PER_UNIT * radius2 / sigma2)) + 2
    if size > EXP_TABLE_MAX:
        return np.empty(0), 0.0, 1.0 / sigma2
    step = radius2 / (size - 2)
    table = np.empty(size)
    for i in range(size):
        table[i] = math.exp(-i * step / sigma2)
    return table, 1.0 / step, step / sigma2


@numba.njit(error_model="numpy", fastmath={"contract"})
def gaussian_weight(d2, table, per_step, unit):
    """exp(-d2 / σ²) for d2 (m²) below the radius², from the table of ``exp_table`` and a
    degree-4 Taylor polynomial of the remainder: relative error below 1e-11. Multiplications
    only: a division per weight costs a third of the kernel's time for weights."""
    if table.size == 0:
        return math.exp(-d2 * unit)
    u = d2 * per_step
    i = int(u)
    r = (u - i) * unit
    return table[i] * (1.0 - r * (1.0 - r * (0.5 - r * (1.0 / 6 - r * (1.0 / 24)))))


@numba.njit(error_model="numpy", fastmath={"contract"})
def gaussian_weights(d2, n, table, per_step, unit, weight):
    """weight[m] = exp(-d2[m] / σ²) for m < n (d2 below the radius²; see ``gaussian_weight``).
    Unsigned indices and fused multiply-adds: a fifth faster."""
    for m in range(numba.uint64(n)):
        weight[m] = gaussian_weight(d2[m], table, per_step, unit)


@numba.njit(error_model="numpy")
def band_from_window(
    d2,
    penalty,
    values,
    n,
    kk,
    b,
    radius2,
    propagate,
    nearest,
    weight,
    weighted,
    closest,
    table,
    per_step,
    unit,
):
    """(value, pixels used, nearest distance² (m²), weight sum) of band ``b`` from a pixel's
    window of n sources (distances² d2, m², and values (bands, ≥ n)) whose first kk have the k
    smallest keys d2 + penalty (+inf for sources that never count), when an invalid source or
    the radius is among those k. ``weight[:weighted]`` already holds the weights of the first
    ``weighted`` entries; ``closest`` is the slot of the smallest key after the first kk (-1
    if none): the first replacement when it is valid in the band.

    Sources count strictly within the radius. With ``propagate`` an invalid one with a weight
    above zero makes NaN; else (skip) each invalid one gives its place to the next nearest
    source valid in the band, taken from the rest of the window (which holds every source
    within the radius). The value is the Gaussian mean (or, with ``nearest``, the value of the
    only source), NaN when no source counts.
    """
    total = 0.0
    norm = 0.0
    used = 0
    nearest_d2 = np.inf
    inside = 0
    invalid = 0
    for m in range(kk):
        if d2[m] + penalty[m] >= radius2:
            continue
        inside += 1
        if m < weighted:
            w = weight[m]
        else:
            w = 1.0 if nearest else gaussian_weight(d2[m], table, per_step, unit)
        v = values[b, m]
        if math.isnan(v):
            if propagate and w > 0.0:
                return np.nan, 0, np.nan, 0.0
            invalid += 1
            continue
        total += w * v
        norm += w
        used += 1
        nearest_d2 = min(nearest_d2, d2[m])
    if not propagate and inside == kk:
        # the invalid ones' places, nearest first (ties in window order)
        last_key = -1.0
        last = -1
        for _ in range(invalid):
            if last < 0 and closest >= 0 and not math.isnan(values[b, closest]):
                best = closest  # no scan: the nearest of the rest, valid in the band
            else:
                best = -1
                for m in range(kk, n):
                    km = d2[m] + penalty[m]
                    if (
                        not math.isnan(values[b, m])
                        and (km > last_key or (km == last_key and m > last))
                        and (best < 0 or km < d2[best] + penalty[best])
                    ):
                        best = m
            if best < 0 or d2[best] + penalty[best] >= radius2:
                break
            w = 1.0 if nearest else gaussian_weight(d2[best], table, per_step, unit)
            total += w * values[b, best]
            norm += w
            used += 1
            nearest_d2 = min(nearest_d2, d2[best])
            last_key = d2[best] + penalty[best]
            last = best
    return (total / norm if norm > 0.0 else np.nan), used, nearest_d2, norm
