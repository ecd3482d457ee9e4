"""The KD-tree engine: SPEC §3 semantics with pyresample ``kd_tree``'s own search.

Points and distances as in :mod:`.geometry`. For each block of target pixels the k nearest
sources within the radius are found once with a KD-tree (pykdtree, the tree pyresample itself
uses) and every band is then weighted from that one search.

Invalid sources (NaN in ``GociBand.values``) follow ``ResampleOptions.invalid``:

* ``skip``: invalid sources take no part; the k nearest are chosen among valid ones. Bands
  whose valid pixels differ get their own tree (bands that share a validity pattern, the usual
  case, share one search).
* ``propagate``: invalid sources stay in the search; a target pixel whose neighbours with
  non-zero weight include an invalid source is NaN (pyresample's masked-array behaviour).
* ``cover``: as ``skip``, then a band is NaN where the nearest located source (valid or not,
  one more search over all located sources) is invalid in it, or none is within the radius.

Sources without valid geolocation never take part, as in pyresample.
"""

from dataclasses import dataclass

import numpy as np

from .geometry import lonlat_to_xyz
from .interface import Resampler

ENGINE_NAME = "kdtree"


@dataclass
class _SourceGroup:
    """Bands that share one neighbour search.

    Attributes:
        band_indices: positions of the bands in the output stack.
        tree: pykdtree ``KDTree`` over the group's source points (None when there are none).
        values: (len(band_indices), n_sources) float64; NaN = invalid (propagate only).
    """

    band_indices: list
    tree: object
    values: np.ndarray


class KdTreeResampler(Resampler):
    """Resamples the bands of a ``GociSubset`` onto a ``TargetGrid`` (or any target points).

    Build once per pair (the trees), then call :meth:`resample_rows` block by block. This is
    the reference engine: pyresample's own search, used when the grid engine cannot run.
    """

    name = ENGINE_NAME
    label = "KD-tree"

    def __init__(self, subset, grid, options):
        self.grid = grid
        self.options = options
        self.band_count = len(subset.bands)
        self.groups = list(_source_groups(subset, options.invalid == "propagate"))
        self.cover = None
        if options.invalid == "cover":
            [self.cover] = _source_groups(subset, propagate=True)  # every located source

    def resample_rows(self, row_start, row_stop, quality=None, out=None):
        """Return (bands, row_stop - row_start, width) float32 for target rows; NaN = no value.

        ``quality``: None, or a (3, row_stop - row_start, width) float32 array that receives
        the per-pixel quality from the same neighbour search (:mod:`.quality`). ``out`` is
        not used: the engine returns arrays of its own."""
        lon, lat = self.grid.pixel_centres_lonlat(row_start, row_stop)
        if quality is None:
            return self.resample(lon, lat).reshape(self.band_count, row_stop - row_start, -1)
        out, found = self.resample(lon, lat, with_quality=True)
        quality[...] = found.reshape(quality.shape)
        return out.reshape(self.band_count, row_stop - row_start, -1)

    def settle(self):
        """Nothing runs in the background: nothing to wait for (see the grid engine's)."""

    def bytes_per_target_pixel(self):
        """Rough peak working memory (bytes) per target pixel of a block."""
        k = self.options.neighbours
        return 96 + 40 * k + 16 * self.band_count

    def resample(self, lon, lat, with_quality=False):
        """Resample every band at target points.

        Args:
            lon, lat: target point coordinates in degrees, any shape (n points in all).
            with_quality: also return the per-pixel quality (:mod:`.quality`).

        Returns:
            (bands, n) float32; NaN where no valid source lies within the radius (or, with
            ``propagate``, where an invalid source is among the weighted neighbours). With
            ``with_quality``, a tuple of that and the (3, n) float32 quality.
        """
        lon = np.asarray(lon, dtype=np.float64).ravel()
        lat = np.asarray(lat, dtype=np.float64).ravel()
        out = np.full((self.band_count, lon.size), np.nan, dtype=np.float32)
        quality = np.zeros((3, lon.size), dtype=np.float32) if with_quality else None
        with np.errstate(invalid="ignore"):
            located = (np.abs(lon) <= 180.0) & (np.abs(lat) <= 90.0)
        if located.any():
            xyz = lonlat_to_xyz(lon[located], lat[located])
            for group in self.groups:
                first = with_quality and group.band_indices[0] == 0
                values, used = self._resample_group(group, xyz, first)
                out[np.ix_(group.band_indices, np.flatnonzero(located))] = values
                if first:
                    quality[:, located] = used
            if self.cover is not None:
                out[:, located] = np.where(self._nearest_is_valid(xyz), out[:, located], np.nan)
        if not with_quality:
            return out
        no_value = np.isnan(out[0])
        quality[:, no_value] = 0.0
        quality[1, no_value] = np.nan
        return out, quality

    def _nearest_is_valid(self, xyz):
        """(bands, n) bool: the nearest located source within the radius is valid in the band."""
        group = self.cover
        n_sources = group.values.shape[1]
        if n_sources == 0:
            return np.zeros((self.band_count, len(xyz)), dtype=bool)
        _, index = group.tree.query(xyz, k=1, distance_upper_bound=self.options.radius_m)
        index = index.reshape(-1)
        found = index < n_sources
        valid = np.isfinite(group.values[:, np.where(found, index, 0)])
        return valid & found

    def _resample_group(self, group, xyz, with_quality):
        """(bands of the group, n) values and, when ``with_quality``, the (3, n) quality of
        the group's first band (else None)."""
        opts = self.options
        k = 1 if opts.method == "nearest" else opts.neighbours
        n_sources = group.values.shape[1]
        if n_sources == 0:  # a band with no valid pixel at all: nothing within any radius
            empty = np.full((len(group.band_indices), len(xyz)), np.nan)
            return empty, (0.0 if with_quality else None)
        distance, index = group.tree.query(xyz, k=k, distance_upper_bound=opts.radius_m)
        distance, index = distance.reshape(len(xyz), k), index.reshape(len(xyz), k)
        if k == 1:
            values = _nearest(group.values, distance, index, n_sources)
        else:
            values = _gaussian(group.values, distance, index, n_sources, opts.sigma_m)
        if not with_quality:
            return values, None
        weight = np.ones_like(distance) if k == 1 else _weights(distance, opts.sigma_m)
        return values, _used(group.values[0], distance, index, n_sources, weight)


def _source_groups(subset, propagate):
    """Yield a ``_SourceGroup`` per set of bands that share their valid source pixels."""
    from pykdtree.kdtree import KDTree

    located = subset.geolocation_valid.ravel()
    lon = subset.longitude.ravel()
    lat = subset.latitude.ravel()
    stack = np.stack([band.values.ravel() for band in subset.bands])
    if propagate:
        patterns = {b"all": (list(range(len(subset.bands))), located)}
    else:
        patterns = {}
        for position, values in enumerate(stack):
            keep = located & np.isfinite(values)
            patterns.setdefault(keep.tobytes(), ([], keep))[0].append(position)
    for band_indices, keep in patterns.values():
        tree = KDTree(lonlat_to_xyz(lon[keep], lat[keep])) if keep.any() else None
        values = stack[np.ix_(band_indices, np.flatnonzero(keep))]
        yield _SourceGroup(band_indices, tree, values)


def _gaussian(values, distance, index, n_sources, sigma):
    """Gaussian-weighted mean of the neighbours: Σ w·v / Σ w with w = exp(-d²/σ²).

    Args:
        values: (bands, n_sources) float64, NaN = invalid source (propagate policy).
        distance: (n, k) chord distances in metres, inf for empty neighbour slots.
        index: (n, k) source indices, ``n_sources`` for empty slots.
        sigma: Gaussian width in metres.

    Returns:
        (bands, n) float64; NaN where Σ w = 0 or an invalid source has w > 0.
    """
    found = index < n_sources
    safe_index = np.where(found, index, 0)
    weight = _weights(distance, sigma)
    weight[~found] = 0.0
    norm = weight.sum(axis=1)
    weighted = weight > 0
    empty = norm == 0
    out = np.empty((values.shape[0], len(distance)), dtype=np.float64)
    for position, band in enumerate(values):
        neighbours = band[safe_index]
        invalid = np.isnan(neighbours)
        if invalid.any():
            tainted = (invalid & weighted).any(axis=1)
            neighbours[invalid] = 0.0
        else:
            tainted = None
        total = np.einsum("nk,nk->n", weight, neighbours)
        with np.errstate(invalid="ignore", divide="ignore"):
            result = total / norm
        result[empty] = np.nan
        if tainted is not None:
            result[tainted] = np.nan
        out[position] = result
    return out


def _weights(distance, sigma):
    """Gaussian weights exp(-d²/σ²) of chord distances d (metres) for width σ (metres)."""
    return np.exp(-(distance**2) / float(sigma) ** 2)


def _used(first_band, distance, index, n_sources, weight):
    """(3, n) quality of the first band's values (:mod:`.quality`) from the search results
    (shapes as in :func:`_gaussian`), before pixels without a value are cleared."""
    found = index < n_sources
    used = found & np.isfinite(first_band[np.where(found, index, 0)])
    with np.errstate(invalid="ignore"):
        return np.stack(
            [
                used.sum(axis=1),
                np.where(used, distance, np.inf).min(axis=1),
                np.where(used, weight, 0.0).sum(axis=1),
            ]
        )


def _nearest(values, distance, index, n_sources):
    """Value of the nearest source within the radius; NaN where there is none.

    Shapes as in :func:`_gaussian` with k = 1.
    """
    found = index[:, 0] < n_sources
    safe_index = np.where(found, index[:, 0], 0)
    out = values[:, safe_index]
    out[:, ~found] = np.nan
    return out
