"""A grid-kernel pixel's window of GOCI sources (numba): which sources it holds, how it
slides along a target row, and the split "k nearest / the rest" kept from pixel to pixel.

A window is a pair of plain arrays: float64 rows ``grid_rules.X`` … ``VALUES + bands`` and an
int64 index array (``WINDOW_I``, ``WINDOW_J``, ``WINDOW_FREE``), each of ``capacity`` slots.
Not a bundle: the per-pixel steps would pay a reference count for every field they read.
"""

import math

import numba

from .compiled import helper
from .grid_rules import D2, PENALTY, VALUES, X, Y, Z

SLOT_MASK = 1023
"""Low bits of a split key that hold the entry's slot: windows have at most (2 · 12 + 1)² =
625 entries (``MAX_REACH`` 12)."""

WINDOW_I, WINDOW_J, WINDOW_FREE = range(3)
"""Rows of a window's int64 index array (3, capacity): an entry's source row and column, and
scratch for the slots freed when the window slides."""


@helper
def window_capacity(reach):
    """Slots of a window scanning ``reach`` index steps on each side (at least 3 × 3)."""
    return max((2 * int(math.ceil(reach)) + 1) ** 2, 9)


@helper
def window_bounds(ci, cj, reach, shape):
    """(first row, last row, first col, last col) of the sources within ``reach`` index steps
    of (ci, cj), clipped to a source grid of ``shape``."""
    return (
        max(int(math.ceil(ci - reach)), 0),
        min(int(math.floor(ci + reach)), shape[0] - 1),
        max(int(math.ceil(cj - reach)), 0),
        min(int(math.floor(cj + reach)), shape[1] - 1),
    )


@helper
def slide_window(window, index, xyz, penalty, values, src_cols, n_win, old, new):
    """Move the window (float rows ``window``, index rows ``index``) of ``n_win`` entries from
    the source box ``old`` to ``new`` (bounds as ``_window_bounds``) on a source grid of
    ``src_cols`` columns (``xyz``, ``penalty``, ``values`` as in :class:`Sources`; arrays, not
    the bundle: reading a bundle's field costs a reference count): the sources that left
    give their slots to those that entered (a row or a column each, now and then); the others
    stay where they are. Returns the new count."""
    r0, r1, c0, c1 = old
    new_r0, new_r1, new_c0, new_c1 = new
    n_free = 0
    for m in range(n_win):
        i, j = index[WINDOW_I, m], index[WINDOW_J, m]
        if not (new_r0 <= i <= new_r1 and new_c0 <= j <= new_c1):
            index[WINDOW_FREE, n_free] = m
            n_free += 1
    filled = 0
    for i in range(new_r0, new_r1 + 1):
        seen_row = r0 <= i <= r1
        for j in range(new_c0, new_c1 + 1):
            if seen_row and c0 <= j <= c1:
                continue
            if filled < n_free:
                slot = index[WINDOW_FREE, filled]
                filled += 1
            else:
                slot = n_win
                n_win += 1
            s = i * src_cols + j
            index[WINDOW_I, slot] = i
            index[WINDOW_J, slot] = j
            window[X, slot] = xyz[s, 0]
            window[Y, slot] = xyz[s, 1]
            window[Z, slot] = xyz[s, 2]
            window[PENALTY, slot] = penalty[s]
            for b in range(values.shape[1]):
                window[VALUES + b, slot] = values[s, b]
    for t in range(n_free - 1, filled - 1, -1):  # slots left over, highest first:
        slot = index[WINDOW_FREE, t]  # the last entry moves in
        n_win -= 1
        if slot != n_win:
            index[WINDOW_I, slot] = index[WINDOW_I, n_win]
            index[WINDOW_J, slot] = index[WINDOW_J, n_win]
            for row in range(window.shape[0]):
                window[row, slot] = window[row, n_win]
    return n_win


@helper(fastmath={"contract"})
def distances(window, x, y, z, n):
    """Row ``D2`` of the window: squared distance (m²) from (x, y, z) to entry m < n. Unsigned
    indices: numba then skips negative-index handling and the loop is vectorised."""
    for m in range(numba.uint64(n)):
        dx = x - window[X, m]
        dy = y - window[Y, m]
        dz = z - window[Z, m]
        window[D2, m] = dx * dx + dy * dy + dz * dz


@helper
def split_k_nearest(window, index, d2_bits, penalty_bits, k, n_win):
    """Make the first k of the ``n_win`` entries those with the k smallest keys: swap the
    farthest of the first k with the nearest of the rest while they are out of order (from the
    previous pixel's split that is rarely more than one swap). ``d2_bits`` and
    ``penalty_bits`` are the int64 views of rows ``D2`` and ``PENALTY``. Returns the slot of
    the smallest key after the first k (-1 when there are at most k entries)."""
    closest = -1
    while n_win > k:
        far_key, close_key = far_close(d2_bits, penalty_bits, k, n_win)
        closest = close_key & SLOT_MASK
        if close_key >= far_key:
            break
        far = far_key & SLOT_MASK
        for row in range(window.shape[0]):
            window[row, far], window[row, closest] = window[row, closest], window[row, far]
        for row in (WINDOW_I, WINDOW_J):
            index[row, far], index[row, closest] = index[row, closest], index[row, far]
    return closest


@helper
def far_close(d2_bits, penalty_bits, k, n):
    """(largest key among the first k, smallest among entries k to n) from the int64 views of
    a window's rows ``D2`` and ``PENALTY``. A key is the int64 bit pattern of distance² +
    penalty, max(bits of distance², bits of the penalty 0 or +inf), with its lowest 10 bits
    replaced by the entry's slot (``key & SLOT_MASK``): keys within 1024 ulp (2e-13 relative,
    a distance tie) rank by slot, so the first k win such ties."""
    far = 0
    for m in range(numba.uint64(k)):
        far = max(far, (max(d2_bits[m], penalty_bits[m]) & ~SLOT_MASK) | numba.int64(m))
    close = 0x7FFFFFFFFFFFFFFF
    for m in range(numba.uint64(k), numba.uint64(n)):
        close = min(close, (max(d2_bits[m], penalty_bits[m]) & ~SLOT_MASK) | numba.int64(m))
    return far, close
