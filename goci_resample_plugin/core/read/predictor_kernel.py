"""TIFF's floating-point predictor undone in one compiled pass (numba; imported only when
numba is available), for :mod:`.tiff_tiles`."""

import numba
import numpy as np


@numba.njit(nogil=True, cache=True)
def undo_float_predictor(raw, out, band0, spp, tile_width, col0, rows, cols):
    """Write one decompressed tile under the floating-point predictor into ``out``.

    TIFF Technical Note 3, per tile row of ``tile_width`` pixels of ``spp`` samples: the 4
    bytes of every sample were regrouped by significance (4 planes of ``tile_width · spp``
    bytes, most significant first), then each byte replaced by its difference, modulo 256,
    from the byte ``spp`` places before it. Each plane's running sums are kept per sample
    (the planes' totals give the sums they start from), so the four bytes of a sample are
    rebuilt in one step.

    Args:
        raw: (tile rows · 4 · tile_width · spp,) uint8, the tile as inflated.
        out: (bands, strip rows, width) uint32, the strip's float32 bits, written at bands
            ``band0 : band0 + spp``, rows ``0 : rows`` and columns ``col0 : col0 + cols``
            (``rows``, ``cols``: the tile's part inside the raster).
    """
    n = tile_width * spp
    for r in range(rows):
        base = r * 4 * n
        for s in range(spp):
            t0 = np.uint32(0)
            t1 = np.uint32(0)
            t2 = np.uint32(0)
            for i in range(s, n, spp):
                t0 += raw[base + i]
                t1 += raw[base + n + i]
                t2 += raw[base + 2 * n + i]
            a0, a1, a2, a3 = np.uint32(0), t0, t0 + t1, t0 + t1 + t2
            i = base + s
            for x in range(cols):
                a0 += raw[i]
                a1 += raw[i + n]
                a2 += raw[i + 2 * n]
                a3 += raw[i + 3 * n]
                out[band0 + s, r, col0 + x] = (
                    ((a0 & 255) << 24) | ((a1 & 255) << 16) | ((a2 & 255) << 8) | (a3 & 255)
                )
                i += spp


def tiny_call():
    """Compile :func:`undo_float_predictor` (or load it from numba's cache) for the argument
    types of :mod:`.tiff_tiles` by a call on no tile row: the compiling child's
    (:mod:`..resample.precompile`)."""
    strip = np.zeros((1, 1, 1), dtype=np.float32)
    undo_float_predictor(np.zeros(0, dtype=np.uint8), strip.view(np.uint32), 0, 1, 1, 0, 0, 0)
