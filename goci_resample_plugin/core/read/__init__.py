"""Reading the inputs: the GOCI subset NetCDF and the Landsat raster that defines the grid."""

from .goci import GociBand, GociSubset, available_bands, read_goci_subset
from .landsat import TargetGrid, landsat_strips, read_target_grid

__all__ = [
    "GociBand",
    "GociSubset",
    "TargetGrid",
    "available_bands",
    "landsat_strips",
    "read_goci_subset",
    "read_target_grid",
]
