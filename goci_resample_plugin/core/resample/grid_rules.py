"""The per-pixel rules of the grid kernel (numba): pyresample's ``kd_tree`` semantics on a
pixel's candidate sources.

* :class:`Rule`: what decides a pixel's value (radius, k, invalid-source policy, method) and
  the table its Gaussian weights come from, built once per pair by :func:`make_rule`;
* Gaussian weights exp(-d²/σ²) (d in metres) from that table and a Taylor remainder;
* a band's value when an invalid source or the radius is among a pixel's k nearest
  (:func:`band_from_window`: per band the k nearest valid sources with ``skip``, NaN with
  ``propagate``).
"""

import math
from collections import namedtuple

import numba
import numpy as np

from .compiled import helper

X, Y, Z, D2, PENALTY, VALUES = range(6)
"""Rows of a window (float64, (VALUES + bands, capacity)): an entry's position (metres), its
distance² to the pixel (m²), its penalty (0, or +inf for a source that never counts; the sort
key is d2 + penalty) and from row ``VALUES`` its values band by band (NaN = invalid)."""

EXP_TABLE_PER_UNIT = 64
"""Entries of the exp table per unit of d²/σ²: the remainder r < 1/64 leaves a degree-4
Taylor error below 1e-11 relative."""

SUBNORMAL_EXPONENT = 700.0
"""d²/σ² beyond which exp(-d²/σ²) (< 1e-304) nears the subnormal range, where the table's
relative error grows without bound: the weights there come from exp itself, as pyresample's
(SIGMA of 10–20 m otherwise differed from pyresample by up to 2e-3 relative)."""

EXP_TABLE_MAX = 1 << 20
"""Largest exp table; beyond (RADIUS/SIGMA above ~128) the weights call exp directly."""

Rule = namedtuple(
    "Rule", "radius2 k propagate cover nearest per_step unit inverse_sigma2 exact_beyond"
)
Rule.__doc__ = """What decides a pixel's value (a numba-compatible bundle of scalars only, so
reading a field in the kernel costs nothing; see :func:`make_rule`).

Attributes:
    radius2: RADIUS squared (m²); a source counts strictly within it.
    k: neighbours per pixel (1 for Nearest).
    propagate: an invalid source among the weighted neighbours makes NaN (else: skipped).
    cover: a band is NaN where the nearest located source is invalid in it.
    nearest: value of the nearest source instead of the Gaussian mean.
    per_step, unit: of the exp table (:func:`exp_table`), which travels beside the rule.
    inverse_sigma2: 1 / σ² (m⁻²).
    exact_beyond: d² · per_step beyond which a weight comes from exp itself (no table, or
        d²/σ² above ``SUBNORMAL_EXPONENT``).
"""


def make_rule(radius_m, sigma_m, neighbours, invalid, nearest):
    """(:class:`Rule`, exp table) of ``ResampleOptions``-like values: RADIUS and SIGMA in
    metres, NEIGHBOURS, INVALID (``skip``/``propagate``/``cover``), Nearest or not. Every field
    has one type whatever the caller passes (an integer RADIUS from a notebook too), so the
    kernel compiles one variant."""
    radius2, sigma2 = float(radius_m) ** 2, float(sigma_m) ** 2
    table, per_step, unit = exp_table(radius2, sigma2)
    exact_beyond = SUBNORMAL_EXPONENT / unit if table.size else -1.0
    rule = Rule(radius2, 1 if nearest else int(neighbours), invalid == "propagate",
                invalid == "cover", bool(nearest), float(per_step), float(unit), 1.0 / sigma2,
                float(exact_beyond))  # fmt: skip
    return rule, table


def exp_table(radius2, sigma2):
    """(table, per_step, unit) for :func:`gaussian_weight`: table[i] = exp(-i step / σ²) for
    d² = i step (m²) up to the radius², per_step = 1 / step, unit = step / σ²; an empty table
    and unit = 1 / σ² when it would be larger than ``EXP_TABLE_MAX``."""
    size = int(math.ceil(EXP_TABLE_PER_UNIT * radius2 / sigma2)) + 2
    if size > EXP_TABLE_MAX:
        return np.empty(0), 0.0, 1.0 / sigma2
    step = radius2 / (size - 2)
    table = np.exp(-np.arange(size) * step / sigma2)
    return table, 1.0 / step, step / sigma2


@helper(fastmath={"contract"})
def gaussian_weight(d2, rule, table):
    """exp(-d2 / σ²) for d2 (m²) below the radius², from the exp ``table`` (:func:`exp_table`)
    and a degree-4 Taylor polynomial of the remainder: relative error below 1e-11; exp itself
    where the result nears the subnormal range (``SUBNORMAL_EXPONENT``).
    Multiplications only: a division per weight costs a third of the kernel's time for
    weights."""
    u = d2 * rule.per_step
    if u > rule.exact_beyond:  # no table, or a weight near the subnormal range
        return math.exp(-d2 * rule.inverse_sigma2)
    i = int(u)
    r = (u - i) * rule.unit
    return table[i] * (1.0 - r * (1.0 - r * (0.5 - r * (1.0 / 6 - r * (1.0 / 24)))))


@helper
def source_weight(d2, rule, table):
    """A source's weight at distance² ``d2`` (m²): 1 for Nearest, else the Gaussian one."""
    return 1.0 if rule.nearest else gaussian_weight(d2, rule, table)


@helper(fastmath={"contract"})
def gaussian_weights(window, n, rule, table, weight):
    """weight[m] = exp(-d²/σ²) for the window's entries m < n (row ``D2``, below the radius²;
    see ``gaussian_weight``). Unsigned indices and fused multiply-adds: a fifth faster."""
    for m in range(numba.uint64(n)):
        weight[m] = gaussian_weight(window[D2, m], rule, table)


@helper
def band_from_window(window, n, kk, b, rule, table, weight, weighted, closest):
    """(value, pixels used, nearest distance² (m²), weight sum) of band ``b`` from a pixel's
    window (rows ``D2`` (m²), ``PENALTY`` and ``VALUES + band`` of n sources, see
    :mod:`.grid_kernel`) whose first kk have the k smallest keys d2 + penalty (+inf for sources that
    never count), when an invalid source or the radius is among those k.
    ``weight[:weighted]`` already holds the weights of the first ``weighted`` entries;
    ``closest`` is the slot of the smallest key after the first kk (-1 if none): the first
    replacement when it is valid in the band.

    Sources count strictly within the radius. With ``rule.propagate`` an invalid one with a
    weight above zero makes NaN; else (skip) each invalid one gives its place to the next
    nearest source valid in the band, taken from the rest of the window (which holds every
    source within the radius). The value is the Gaussian mean (or, with ``rule.nearest``, the
    value of the only source), NaN when no source counts.
    """
    total = 0.0
    norm = 0.0
    used = 0
    nearest_d2 = np.inf
    inside = 0
    invalid = 0
    band = VALUES + b
    for m in range(kk):
        d2 = window[D2, m]
        if d2 + window[PENALTY, m] >= rule.radius2:
            continue
        inside += 1
        w = weight[m] if m < weighted else source_weight(d2, rule, table)
        v = window[band, m]
        if math.isnan(v):
            if rule.propagate and w > 0.0:
                return np.nan, 0, np.nan, 0.0
            invalid += 1
            continue
        total += w * v
        norm += w
        used += 1
        nearest_d2 = min(nearest_d2, d2)
    if not rule.propagate and inside == kk:
        # the invalid ones' places, nearest first (ties in window order)
        last = -1
        for _ in range(invalid):
            best = _next_valid(window, n, kk, band, closest, last)
            if best < 0 or window[D2, best] + window[PENALTY, best] >= rule.radius2:
                break
            d2 = window[D2, best]
            w = source_weight(d2, rule, table)
            total += w * window[band, best]
            norm += w
            used += 1
            nearest_d2 = min(nearest_d2, d2)
            last = best
    return (total / norm if norm > 0.0 else np.nan), used, nearest_d2, norm


@helper
def _next_valid(window, n, kk, band, closest, last):
    """The slot after the first kk with the smallest key d2 + penalty that is valid in window
    row ``band`` and comes after ``last`` (the previous replacement, -1 for the first) in the
    order (key, slot); -1 when there is none. The first is ``closest`` without a scan when it
    is valid in the band."""
    if last < 0 and closest >= 0 and not math.isnan(window[band, closest]):
        return closest
    last_key = window[D2, last] + window[PENALTY, last] if last >= 0 else -1.0
    best = -1
    best_key = np.inf
    for m in range(kk, n):
        km = window[D2, m] + window[PENALTY, m]
        if (
            not math.isnan(window[band, m])
            and (km > last_key or (km == last_key and m > last))
            and (best < 0 or km < best_key)
        ):
            best = m
            best_key = km
    return best
