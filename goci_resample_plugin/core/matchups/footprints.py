"""Landsat aggregated onto GOCI's own pixels (SPEC §8): per GOCI pixel and Landsat band the
count, mean, std and coverage of the Landsat pixels whose centres fall in its footprint.

A Landsat pixel belongs to the GOCI pixel of its rounded fractional GOCI index (the engines'
``assign_rows``). The sums are kept per GOCI pixel, shifted by one value per band so that a
footprint's spread of ~0.1 on radiances of ~100 keeps its precision (float64).
"""

from dataclasses import dataclass

import numpy as np


@dataclass
class Footprints:
    """Landsat on the GOCI grid (rows, cols); B = Landsat bands.

    Attributes:
        pixels: (rows, cols) int64, Landsat pixels assigned to each GOCI pixel.
        count: (B, rows, cols) int64, those valid in each band (finite, not nodata).
        mean, std: (B, rows, cols) float64, their mean and population std (NaN where count is
            0).
        coverage: (B, rows, cols) float64, count / pixels; 0 where a Landsat pixel on the
            grid's outer row or column is assigned (the footprint may leave the grid) or none is.
    """

    pixels: np.ndarray
    count: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    coverage: np.ndarray


class FootprintSums:
    """The running sums behind :class:`Footprints`, fed strip by strip of Landsat rows.

    Args:
        goci_shape: (rows, cols) of the GOCI grid.
        band_count: Landsat bands.
        nodata: the Landsat nodata value (None: only non-finite values are invalid).
        grid_shape: (rows, cols) of the Landsat grid (its outer rows and columns).
        compiled: sum with numba's one pass (:mod:`.accumulate`) when numba can be imported;
            False: numpy's ``bincount`` per band (the same sums, about 7 × slower).
    """

    def __init__(self, goci_shape, band_count, nodata, grid_shape, compiled=True):
        size = goci_shape[0] * goci_shape[1]
        self.goci_shape, self.grid_shape, self.nodata = goci_shape, grid_shape, nodata
        self.pixels = np.zeros(size, dtype=np.int64)
        self.count = np.zeros((band_count, size), dtype=np.int64)
        self.total = np.zeros((band_count, size))
        self.squares = np.zeros((band_count, size))
        self.edge = np.zeros(size, dtype=bool)
        self.shift = np.full(band_count, np.nan)
        self._accumulate = _compiled_accumulate() if compiled else None

    def add(self, row_start, assigned, strip):
        """Add Landsat rows ``row_start ...``: ``assigned`` (rows, width) int64 flat GOCI
        pixel of each (−1 none), ``strip`` (B, rows, width) their values."""
        border = [assigned[:, 0], assigned[:, -1]]
        if row_start == 0:
            border.append(assigned[0])
        if row_start + len(assigned) == self.grid_shape[0]:
            border.append(assigned[-1])
        border = np.concatenate(border)
        self.edge[border[border >= 0]] = True
        if self._accumulate is not None:
            nodata = np.nan if self.nodata is None else float(self.nodata)
            self._accumulate(assigned, strip, nodata, self.nodata is not None, self.shift,
                             self.pixels, self.count, self.total, self.squares)  # fmt: skip
            return
        size = self.pixels.size
        inside = assigned >= 0
        flat = assigned[inside]
        self.pixels += np.bincount(flat, minlength=size)
        for b, band in enumerate(strip):
            values = band[inside].astype(np.float64)
            valid = np.isfinite(values)
            if self.nodata is not None:
                valid &= values != self.nodata
            values, where = values[valid], flat[valid]
            if not values.size:
                continue
            if np.isnan(self.shift[b]):
                self.shift[b] = values[0]
            values -= self.shift[b]
            self.count[b] += np.bincount(where, minlength=size)
            self.total[b] += np.bincount(where, values, minlength=size)
            self.squares[b] += np.bincount(where, values * values, minlength=size)

    def footprints(self):
        """The :class:`Footprints` of everything added."""
        shape = self.goci_shape
        with np.errstate(invalid="ignore", divide="ignore"):
            centred = self.total / self.count
            variance = np.maximum(self.squares / self.count - centred**2, 0.0)
            coverage = np.where(self.edge, 0.0, self.count / self.pixels)
        shift = np.where(np.isnan(self.shift), 0.0, self.shift)[:, np.newaxis]
        coverage[:, self.pixels == 0] = 0.0
        bands = len(self.count)
        return Footprints(
            self.pixels.reshape(shape),
            self.count.reshape(bands, *shape),
            (centred + shift).reshape(bands, *shape),
            np.sqrt(variance).reshape(bands, *shape),
            coverage.reshape(bands, *shape),
        )


def _compiled_accumulate():
    """:func:`.accumulate.accumulate`, or None when numba cannot be imported."""
    try:
        from .accumulate import accumulate
    except ImportError:
        return None
    return accumulate
