"""The running sums of :class:`.footprints.FootprintSums` as one compiled pass over a strip
(numba): each Landsat pixel visited once for all bands, in the same order as numpy's
``bincount`` adds them, so the sums are the same to the bit. Imported only when numba is."""

import math

import numba
import numpy as np


@numba.njit(nogil=True, cache=True, error_model="numpy")
def accumulate(assigned, strip, nodata, has_nodata, shift, pixels, count, total, squares):
    """Add one strip of Landsat pixels to the per-GOCI-pixel sums, in place.

    Args:
        assigned: (rows, width) int64, the flat GOCI pixel of each Landsat pixel (−1 none).
        strip: (B, rows, width) the Landsat values of those pixels.
        nodata, has_nodata: the Landsat nodata value and whether there is one.
        shift: (B,) float64, the value subtracted from each band before summing; NaN until the
            first valid value of the band, which becomes it.
        pixels: (size,) int64 assigned pixels; count: (B, size) int64 valid ones; total,
            squares: (B, size) float64 sums of the shifted values and of their squares.
    """
    bands = strip.shape[0]
    for i in range(assigned.shape[0]):
        for j in range(assigned.shape[1]):
            g = assigned[i, j]
            if g < 0:
                continue
            pixels[g] += 1
            for b in range(bands):
                value = float(strip[b, i, j])
                if not math.isfinite(value) or (has_nodata and value == nodata):
                    continue
                if math.isnan(shift[b]):
                    shift[b] = value
                value -= shift[b]
                count[b, g] += 1
                total[b, g] += value
                squares[b, g] += value * value


def tiny_call():
    """Compile :func:`accumulate` (or load it from numba's cache) for the argument types of
    :class:`.footprints.FootprintSums` by a call that adds nothing: the compiling child's
    (:mod:`..resample.precompile`)."""
    empty = np.zeros((1, 1))
    accumulate(np.full((1, 1), -1, dtype=np.int64), np.zeros((1, 1, 1), dtype=np.float32), 0.0,
               True, np.full(1, np.nan), np.zeros(1, dtype=np.int64),
               np.zeros((1, 1), dtype=np.int64), empty, empty.copy())  # fmt: skip
