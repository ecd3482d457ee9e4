"""The relative difference raster (GOCI − Landsat) / Landsat of compared band pairs."""

import math
from pathlib import Path

import numpy as np

from ..provenance import plugin_version
from ..write import OUR_TAG, STRIP_ROWS, atomic_output, geotiff_profile, write_geotiff


def write_difference(comparison, path, control):
    """Write the relative difference (GOCI − Landsat) / Landsat of every compared band pair as
    a float32 GeoTIFF on the same grid (NaN where either is invalid or Landsat is 0); one band
    per pair, described ``L_TOA_<nm>-B<band>``; atomic, in strips. Returns ``path``."""
    import rasterio
    from rasterio.windows import Window

    path = Path(path)
    with rasterio.open(comparison.resampled) as ours, rasterio.open(comparison.landsat) as theirs:
        profile = geotiff_profile(ours.width, ours.height, len(comparison.pairs), ours.crs,
                                  ours.transform)  # fmt: skip
        nodata = theirs.nodata

        def strips():
            for start in range(0, ours.height, STRIP_ROWS):
                control.stop_if_cancelled()
                window = Window(0, start, ours.width, min(STRIP_ROWS, ours.height - start))
                strip = np.empty((len(comparison.pairs), window.height, window.width), "float32")
                for position, pair in enumerate(comparison.pairs):
                    y = ours.read(pair.goci_band, window=window).astype(np.float64)
                    x = theirs.read(pair.landsat_band, window=window).astype(np.float64)
                    if nodata is not None and not math.isnan(nodata):
                        x[x == nodata] = np.nan
                    with np.errstate(invalid="ignore", divide="ignore"):
                        strip[position] = np.where(x != 0, (y - x) / x, np.nan)
                control.progress(window.row_off / ours.height)
                yield start, strip

        bands = [(f"{pair.goci_name}-B{pair.landsat_band}", {}, "") for pair in comparison.pairs]
        with atomic_output(path) as temporary:
            write_geotiff(temporary, path, profile, strips(), {OUR_TAG: plugin_version()}, bands)
    return path
