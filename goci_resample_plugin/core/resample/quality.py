"""Per-pixel quality of a resampled value, computed in the same pass as the value.

For each target pixel and the first output band: how many GOCI pixels entered its value, how
far (metres, 3-D chord as in :mod:`.geometry`) the nearest of them is, and the sum of their
weights exp(-d²/σ²) (1 per pixel for Nearest). Where the band has no value: 0, NaN, 0.
"""

QUALITY_BANDS = (
    ("GOCI_PIXELS", {"MEANING": "GOCI pixels in the first band's value"}, ""),
    ("NEAREST_DISTANCE_M", {"MEANING": "distance to the nearest of them"}, "m"),
    ("WEIGHT_SUM", {"MEANING": "sum of their weights (Nearest: 1)"}, ""),
)
"""(description, tags, units) of the quality raster's three bands, in order."""
