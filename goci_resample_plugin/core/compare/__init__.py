"""Comparing GOCI-on-Landsat with Landsat: statistics per band pair (SPEC §7), the image
offset, the CSV table, HTML report and difference raster; REGISTER, which corrects the offset
while resampling."""

from .register import Registration, make_product, resample_registered
from .registration import Shift, image_offset, true_east_north
from .run import compare_pair
from .statistics import Comparison, PairStatistics, compare_rasters

__all__ = [
    "Comparison",
    "PairStatistics",
    "Registration",
    "Shift",
    "compare_pair",
    "compare_rasters",
    "image_offset",
    "make_product",
    "resample_registered",
    "true_east_north",
]
