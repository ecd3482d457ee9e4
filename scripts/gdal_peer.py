"""The peer a user would otherwise reach for: GDAL's warper with geolocation arrays.

``warp_with_geolocation`` warps every ``L_TOA_*`` band of a GOCI subset onto a Landsat grid
with ``gdal.Warp`` (geolocation arrays from ``navigation_data``, at pixel centres), bilinear,
cubic or nearest, writing
the same tiled, compressed float32 GeoTIFF as the plugin. Used by ``scripts/bench.py``.
"""

import sys
from pathlib import Path

from osgeo import gdal, osr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from goci_resample_plugin.core import available_bands
from goci_resample_plugin.core.write import CODECS, GEOTIFF_PROFILE

gdal.UseExceptions()


def _source_vrt(goci, wavelengths, rows, cols, pixel_centre):
    """A VRT of the GOCI bands carrying the GEOLOCATION metadata domain (lat/lon at pixel
    centres, or GDAL's default convention, the top left corner)."""
    wgs84 = osr.SpatialReference()
    wgs84.ImportFromEPSG(4326)
    bands = "".join(
        f'<VRTRasterBand dataType="Float32" band="{number}"><NoDataValue>-999</NoDataValue>'
        f'<SimpleSource><SourceFilename relativeToVRT="0">NETCDF:"{goci}":'
        f"/geophysical_data/L_TOA_{wavelength}</SourceFilename><SourceBand>1</SourceBand>"
        "</SimpleSource></VRTRasterBand>"
        for number, wavelength in enumerate(wavelengths, start=1)
    )
    geolocation = {
        "SRS": wgs84.ExportToWkt(),
        "X_DATASET": f'NETCDF:"{goci}":/navigation_data/longitude',
        "X_BAND": "1",
        "Y_DATASET": f'NETCDF:"{goci}":/navigation_data/latitude',
        "Y_BAND": "1",
        "PIXEL_OFFSET": "0",
        "LINE_OFFSET": "0",
        "PIXEL_STEP": "1",
        "LINE_STEP": "1",
    }
    if pixel_centre:  # GOCI's lat/lon are pixel centres
        geolocation["GEOREFERENCING_CONVENTION"] = "PIXEL_CENTER"
    items = "".join(
        f'<MDI key="{k}">{v}</MDI>'.replace("&", "&amp;") for k, v in geolocation.items()
    )
    return (
        f'<VRTDataset rasterXSize="{cols}" rasterYSize="{rows}">'
        f'<Metadata domain="GEOLOCATION">{items}</Metadata>{bands}</VRTDataset>'
    )


def warp_with_geolocation(goci, landsat, output, method, pixel_centre=True):
    """Warp the GOCI bands onto the Landsat grid; return {"engine": "gdal", "method": ...}.
    ``pixel_centre`` False: GDAL's default convention, as a plain ``gdalwarp -geoloc`` does."""
    wavelengths = available_bands(goci)
    latitude = gdal.Open(f'NETCDF:"{goci}":/navigation_data/latitude')
    vrt = _source_vrt(goci, wavelengths, latitude.RasterYSize, latitude.RasterXSize, pixel_centre)
    target = gdal.Open(str(landsat))
    x0, dx, _, y0, _, dy = target.GetGeoTransform()
    width, height = target.RasterXSize, target.RasterYSize
    creation = [
        "TILED=YES",
        f"BLOCKXSIZE={GEOTIFF_PROFILE['blockxsize']}",
        f"BLOCKYSIZE={GEOTIFF_PROFILE['blockysize']}",
        "COMPRESS=DEFLATE",
        f"ZLEVEL={CODECS['deflate']['zlevel']}",
        "PREDICTOR=3",
        "INTERLEAVE=BAND",
        "NUM_THREADS=ALL_CPUS",
        "BIGTIFF=IF_SAFER",
    ]
    gdal.Warp(
        str(output),
        vrt,
        format="GTiff",
        geoloc=True,
        dstSRS=target.GetProjection(),
        outputBounds=(x0, y0 + dy * height, x0 + dx * width, y0),
        width=width,
        height=height,
        resampleAlg=method,
        outputType=gdal.GDT_Float32,
        dstNodata=float("nan"),
        multithread=True,
        warpOptions=["NUM_THREADS=ALL_CPUS"],
        creationOptions=creation,
    )
    return {"engine": "gdal", "method": method}
