"""goci-resample core: resample GOCI subsets onto Landsat grids without QGIS.

Plain Python (numpy, netCDF4, rasterio, pyproj, pykdtree); never imports ``qgis``, so a
notebook or script can use it directly::

    from goci_resample_plugin.core import ResampleOptions, resample_pair
    result = resample_pair("scene/x_subset_footprint.nc", "scene/x_TOA_RAD_B1-2-3-4-5.tif",
                           "out/GOCI_on_Landsat_x_GAUSS.tif", ResampleOptions(method="gauss"))
    print(result.valid_fraction, result.seconds)

The rooms follow the data: ``read`` (GOCI subset, Landsat grid) → ``resample`` (engines) →
``write`` (the product: names, ownership, atomic commit, GeoTIFF, sidecar, styles), joined by
``pair``; ``batch`` and ``compare`` sit on top.
"""

from .bands import parse_band_pairs, parse_wavelengths
from .batch import BatchResult, SceneFolder, SceneResult, discover_scenes, find_pair, run_batch
from .compare import (
    Registration,
    compare_pair,
    compare_rasters,
    make_product,
    resample_registered,
)
from .control import INFO, WARNING, RunControl
from .errors import GociResampleError, ResampleCancelled
from .options import ProductRequest, ResampleOptions
from .pair import PairResult, resample_pair
from .read import (
    GociBand,
    GociSubset,
    TargetGrid,
    available_bands,
    read_goci_subset,
    read_target_grid,
)
from .resample import QUALITY_BANDS
from .write import output_name, scene_name

__all__ = [
    "INFO",
    "QUALITY_BANDS",
    "WARNING",
    "BatchResult",
    "GociBand",
    "GociResampleError",
    "GociSubset",
    "PairResult",
    "ProductRequest",
    "Registration",
    "ResampleCancelled",
    "ResampleOptions",
    "RunControl",
    "SceneFolder",
    "SceneResult",
    "TargetGrid",
    "available_bands",
    "compare_pair",
    "compare_rasters",
    "discover_scenes",
    "find_pair",
    "make_product",
    "output_name",
    "parse_band_pairs",
    "parse_wavelengths",
    "read_goci_subset",
    "read_target_grid",
    "resample_pair",
    "resample_registered",
    "run_batch",
    "scene_name",
]
