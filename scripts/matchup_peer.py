"""The match-ups as a scripting user would write them: the peer ``make bench`` times
``gociresample:matchups`` against.

Each Landsat pixel centre goes to its nearest GOCI pixel centre (pykdtree on 3-D positions,
as pyresample does), then ``np.bincount`` sums count, sum and sum of squares per GOCI pixel and
Landsat band; the Landsat raster is read in strips. No screening, no files: the aggregation
alone, so the ratio is a lower bound of what the plugin's extra work costs. Used by
``scripts/bench.py``; not part of the plugin.
"""

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def aggregate(goci, landsat, rows_per_strip=512):
    """{"seconds": wall time} of the brute-force aggregation of ``landsat`` onto ``goci``."""
    import netCDF4
    import rasterio
    from pykdtree.kdtree import KDTree
    from pyproj import Transformer

    from goci_resample_plugin.core.resample.geometry import lonlat_to_xyz

    started = time.perf_counter()
    with netCDF4.Dataset(goci) as dataset:
        lat = np.ma.filled(dataset["navigation_data/latitude"][:].astype(np.float64), np.nan)
        lon = np.ma.filled(dataset["navigation_data/longitude"][:].astype(np.float64), np.nan)
    located = np.flatnonzero(np.isfinite(lat.ravel()) & np.isfinite(lon.ravel()))
    tree = KDTree(lonlat_to_xyz(lon.ravel()[located], lat.ravel()[located]))
    size = lat.size
    with rasterio.open(landsat) as dataset:
        to_lonlat = Transformer.from_crs(dataset.crs, "EPSG:4326", always_xy=True)
        sums = np.zeros((3, dataset.count, size))
        for row in range(0, dataset.height, rows_per_strip):
            window = rasterio.windows.Window(0, row, dataset.width,
                                             min(rows_per_strip, dataset.height - row))  # fmt: skip
            values = dataset.read(window=window).astype(np.float64)
            rows, cols = np.mgrid[row : row + window.height, 0 : dataset.width] + 0.5
            x, y = dataset.transform * (cols, rows)
            _, nearest = tree.query(lonlat_to_xyz(*to_lonlat.transform(x, y)), k=1)
            flat = located[nearest.ravel()]
            for b, band in enumerate(values.reshape(dataset.count, -1)):
                valid = np.isfinite(band) & (band != dataset.nodata)
                sums[0, b] += np.bincount(flat[valid], minlength=size)
                sums[1, b] += np.bincount(flat[valid], band[valid], minlength=size)
                sums[2, b] += np.bincount(flat[valid], band[valid] ** 2, minlength=size)
    return {"engine": "kdtree+bincount", "seconds": {"total": time.perf_counter() - started}}
