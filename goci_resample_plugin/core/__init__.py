"""goci-resample core: resample GOCI subsets onto Landsat grids without QGIS.

Plain Python (numpy, netCDF4, rasterio, pyproj, pykdtree); never imports ``qgis``, so a
notebook or script can use it directly::

    from goci_resample_plugin.core import ResampleOptions, resample_pair
    result = resample_pair("scene/x_subset_footprint.nc", "scene/x_TOA_RAD_B1-2-3-4-5.tif",
                           "out/GOCI_on_Landsat_x_GAUSS.tif", ResampleOptions(method="gauss"))
    print(result.valid_fraction, result.seconds)
"""

from .batch import BatchResult, SceneResult, run_batch
from .errors import GociResampleError, ResampleCancelled
from .goci import GociBand, GociSubset, available_bands, read_goci_subset
from .grid import TargetGrid, read_target_grid
from .options import ResampleOptions, parse_wavelengths
from .pair import PairResult, output_name, resample_pair, scene_name
from .scenes import SceneFolder, discover_scenes, find_pair

__all__ = [
    "BatchResult",
    "GociBand",
    "GociResampleError",
    "GociSubset",
    "PairResult",
    "ResampleCancelled",
    "ResampleOptions",
    "SceneFolder",
    "SceneResult",
    "TargetGrid",
    "available_bands",
    "discover_scenes",
    "find_pair",
    "output_name",
    "parse_wavelengths",
    "read_goci_subset",
    "read_target_grid",
    "resample_pair",
    "run_batch",
    "scene_name",
]
