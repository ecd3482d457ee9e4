"""The relative difference raster (GOCI − Landsat) / Landsat of compared band pairs."""

import math
from pathlib import Path

import numpy as np

from ..provenance import plugin_version
from ..write import (
    OUR_TAG,
    STRIP_ROWS,
    BandStatistics,
    atomic_outputs,
    difference_qml,
    geotiff_profile,
    style_path,
    write_geotiff,
)
from ..write.atomic import write_text


def write_difference(comparison, path, control):
    """Write the relative difference (GOCI − Landsat) / Landsat of every compared band pair as
    a float32 GeoTIFF on the same grid (NaN where either is invalid or Landsat is 0); one band
    per pair, described ``L_TOA_<nm>-B<band>``; atomic, in strips. Its style (``<stem>.qml``,
    landing with it) shows the pair nearest 660 nm in a diverging ramp, symmetric about 0 at
    the 98th percentile of its absolute value. Returns ``(path, style path)``."""
    import rasterio
    from rasterio.windows import Window

    path = Path(path)
    with rasterio.open(comparison.resampled) as ours, rasterio.open(comparison.landsat) as theirs:
        profile = geotiff_profile(ours.width, ours.height, len(comparison.pairs), ours.crs,
                                  ours.transform)  # fmt: skip
        nodata = theirs.nodata

        shown = min(range(len(comparison.pairs)),
                    key=lambda i: abs(comparison.pairs[i].goci_wavelength_nm - 660))  # fmt: skip
        spread = BandStatistics(ours.width * ours.height)

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
                spread.update(np.abs(strip[shown]))
                control.progress(window.row_off / ours.height)
                yield start, strip

        bands = [(f"{pair.goci_name}-B{pair.landsat_band}", {}, "") for pair in comparison.pairs]
        style = style_path(path)
        with atomic_outputs(path, style) as (temporary, style_temporary):
            write_geotiff(temporary, path, profile, strips(), {OUR_TAG: plugin_version()}, bands)
            qml = difference_qml(shown + 1, bands[shown][0], spread.percentiles(2.0, 98.0)[1])
            write_text(style_temporary, qml, shown_as=style)
    return path, style
