"""The index-space engine: the interpolators of SPEC §3 (bilinear, cubic) in numpy.

Each target pixel starts from the GOCI pixel centre nearest to it (a KD-tree over the located
GOCI pixels, 3-D positions as in :mod:`.geometry`), Newton's method finds its fractional GOCI
index and the band values follow from :func:`.index_space.interpolate`. It runs where numba is
missing and is the grid engine's reference for the interpolators (its spot checks and its
fallback), as the KD-tree engine is for Gaussian and Nearest.
"""

import numpy as np

from .geometry import lonlat_to_xyz
from .index_space import footprint_of, fractional_index, interpolate, on_grid
from .interface import Resampler

RETRY_STARTS = ((-0.25, -0.25), (-0.25, 0.25), (0.25, -0.25), (0.25, 0.25))
"""Offsets (GOCI pixels) from the nearest pixel centre of the starts tried again when Newton
from the centre fails: one inside each cell around it (the first step from a centre takes the
cell below and right of it, which may have a corner without geolocation)."""


class IndexResampler(Resampler):
    """Interpolates the bands of a ``GociSubset`` onto a ``TargetGrid`` (or any target points)."""

    name = "index"
    label = "numpy index-space"

    def __init__(self, subset, grid, options):
        from pykdtree.kdtree import KDTree

        self.grid, self.options = grid, options
        self.shape = subset.shape
        located = subset.geolocation_valid
        self.lon = np.where(located, subset.longitude, np.nan)
        self.lat = np.where(located, subset.latitude, np.nan)
        self.values = np.stack([np.where(located, b.values, np.nan).ravel() for b in subset.bands])
        self.xyz = lonlat_to_xyz(self.lon, self.lat)
        self.located = np.flatnonzero(located.ravel())
        self.tree = KDTree(self.xyz[self.located]) if self.located.size else None

    def bytes_per_target_pixel(self):
        """Rough peak working memory (bytes) per target pixel of a block: the 4 × 4 support's
        indices, weights and gathered values, the bilinear one and the quality's distances."""
        return 1200 + 16 * len(self.values)

    def resample_rows(self, row_start, row_stop, quality=None, out=None):
        """Return (bands, row_stop - row_start, width) float32 for target rows; NaN = no value.

        ``quality``: None, or a (3, row_stop - row_start, width) float32 array receiving the
        first band's quality (support pixels used, distance to the nearest of them, their
        weight sum) from the same pass. ``out`` is not used: the engine returns arrays of
        its own."""
        lon, lat = self.grid.pixel_centres_lonlat(row_start, row_stop)
        shape = (len(self.values), row_stop - row_start, -1)
        if quality is None:
            return self.resample(lon, lat).reshape(shape)
        out, found = self.resample(lon, lat, with_quality=True)
        quality[...] = found.reshape(quality.shape)
        return out.reshape(shape)

    def resample(self, lon, lat, with_quality=False):
        """Interpolate every band at target points.

        Args:
            lon, lat: target point coordinates in degrees, any shape (n points in all).
            with_quality: also return the per-pixel quality.

        Returns:
            (bands, n) float32, NaN where the point is off the GOCI grid or the invalid policy
            leaves no value; with ``with_quality``, a tuple of that and the (3, n) float32
            quality (0, NaN, 0 where there is no value).
        """
        lon = np.asarray(lon, dtype=np.float64).ravel()
        lat = np.asarray(lat, dtype=np.float64).ravel()
        out = np.full((len(self.values), lon.size), np.nan, dtype=np.float32)
        quality = np.zeros((3, lon.size), dtype=np.float32)
        quality[1] = np.nan
        with np.errstate(invalid="ignore"):
            points = np.flatnonzero((np.abs(lon) <= 180.0) & (np.abs(lat) <= 90.0))
        if points.size and self.tree is not None:
            xyz = lonlat_to_xyz(lon[points], lat[points])
            _, nearest = self.tree.query(xyz, k=1)
            i, j = np.divmod(self.located[nearest.ravel()], self.shape[1])
            r, c = self._index(lon[points], lat[points], i, j)
            inside = on_grid(r, c, self.shape)
            points, xyz = points[inside], xyz[inside]

            def distance(index):
                return np.linalg.norm(self.xyz[index] - xyz, axis=-1)

            found = interpolate(self.values, r[inside], c[inside], self.shape,
                                self.options.method, self.options.invalid,
                                distance if with_quality else None)  # fmt: skip
            if with_quality:
                found, quality[:, points] = found
            out[:, points] = found
        return (out, quality) if with_quality else out

    def assign_rows(self, row_start, row_stop):
        """(rows, width) int64: the GOCI pixel (flat index) each target pixel of the rows
        belongs to (:func:`.index_space.footprint_of`), −1 for none."""
        lon, lat = self.grid.pixel_centres_lonlat(row_start, row_stop)
        return self.assign(lon, lat).reshape(row_stop - row_start, -1)

    def assign(self, lon, lat):
        """(n,) int64: :meth:`assign_rows` at any target points (lon, lat in degrees)."""
        lon = np.asarray(lon, dtype=np.float64).ravel()
        lat = np.asarray(lat, dtype=np.float64).ravel()
        flat = np.full(lon.size, -1, dtype=np.int64)
        with np.errstate(invalid="ignore"):
            points = np.flatnonzero((np.abs(lon) <= 180.0) & (np.abs(lat) <= 90.0))
        if points.size and self.tree is not None:
            _, nearest = self.tree.query(lonlat_to_xyz(lon[points], lat[points]), k=1)
            i, j = np.divmod(self.located[nearest.ravel()], self.shape[1])
            flat[points] = footprint_of(*self._index(lon[points], lat[points], i, j), self.shape)
        return flat

    def _index(self, lon, lat, i, j):
        """(r, c) fractional GOCI index of points (n,) from the nearest pixel centres (i, j),
        tried again from each cell around the centre where Newton fails."""
        r, c = fractional_index(self.lon, self.lat, lon, lat, i, j)
        for row_offset, col_offset in RETRY_STARTS:
            again = np.flatnonzero(np.isnan(r))
            if not again.size:
                break
            r[again], c[again] = fractional_index(
                self.lon,
                self.lat,
                lon[again],
                lat[again],
                i[again] + row_offset,
                j[again] + col_offset,
            )
        return r, c
