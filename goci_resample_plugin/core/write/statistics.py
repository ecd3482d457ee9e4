"""Per-band statistics of a raster accumulated block by block, in bounded memory."""

import numpy as np

from ..moments import Moments

MAX_SAMPLES = 1_000_000


class BandStatistics:
    """Count, min, max, mean, standard deviation and percentiles of one band's valid pixels.

    Mean and standard deviation come from :class:`~..moments.Moments` (exact to float64
    rounding); percentiles from a regular subsample of at most ~``MAX_SAMPLES`` pixels, taken
    deterministically, so memory stays bounded whatever the raster size.
    """

    def __init__(self, total_pixels):
        self.total_pixels = total_pixels
        self.stride = max(1, total_pixels // MAX_SAMPLES)
        self.moments = Moments()
        self.minimum = np.inf
        self.maximum = -np.inf
        self.samples = []
        self._percentiles = {}  # (lower, upper): (low, high) of the samples so far

    @property
    def count(self):
        """Valid pixels seen so far."""
        return self.moments.count

    def update(self, values, finite=None):
        """Add a block of values (any shape, NaN = no data); ``finite``: ``np.isfinite(values)``
        when the caller has it already."""
        valid = values[np.isfinite(values) if finite is None else finite]
        if valid.size:
            self.moments.add(valid)
            self.minimum = min(self.minimum, float(valid.min()))
            self.maximum = max(self.maximum, float(valid.max()))
            self.samples.append(valid[:: self.stride].copy())  # a view would keep all of valid
            self._percentiles.clear()

    def percentiles(self, lower=2.0, upper=98.0):
        """Return (lower, upper) percentiles of the valid values, or (nan, nan) if none; kept
        until more values are added (the style and the summary ask for the same ones: on a full
        band's million samples each asking took ~30 ms)."""
        if not self.count:
            return float("nan"), float("nan")
        if (lower, upper) not in self._percentiles:
            low, high = np.percentile(np.concatenate(self.samples), [lower, upper])
            self._percentiles[lower, upper] = (float(low), float(high))
        return self._percentiles[lower, upper]

    def as_dict(self):
        """JSON-ready summary; values are None where the band has no valid pixel."""
        if not self.count:
            return {
                "valid_fraction": 0.0,
                "valid_pixels": 0,
                "min": None,
                "max": None,
                "mean": None,
                "std": None,
                "p2": None,
                "p98": None,
            }
        p2, p98 = self.percentiles()
        return {
            "valid_fraction": self.count / self.total_pixels,
            "valid_pixels": self.count,
            "min": float(self.minimum),
            "max": float(self.maximum),
            "mean": float(self.moments.mean[0]),
            "std": float(np.sqrt(self.moments.covariance()[0, 0])),
            "p2": p2,
            "p98": p98,
        }
