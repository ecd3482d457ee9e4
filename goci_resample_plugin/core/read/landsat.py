"""The target grid: size, affine transform and CRS of the Landsat GeoTIFF (SPEC §2)."""

import concurrent.futures
import functools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import GociResampleError
from .tiff_tiles import tile_reader, unreadable_rows


@dataclass(frozen=True)
class TargetGrid:
    """The Landsat raster's grid, onto which every GOCI band is resampled.

    Attributes:
        path: the Landsat GeoTIFF.
        width, height: size in pixels (columns, rows).
        transform: ``affine.Affine`` from (col, row) to CRS coordinates (usually metres);
            rotated transforms are allowed.
        crs: ``rasterio.crs.CRS`` of the grid.
        nodata: the Landsat nodata value (pixels outside the scene), or None.
        area_or_point: the ``AREA_OR_POINT`` metadata item ("Area", "Point" or None).
        band_count: number of Landsat bands.
    """

    path: Path
    width: int
    height: int
    transform: object
    crs: object
    nodata: object
    area_or_point: object
    band_count: int

    @property
    def size(self):
        """Number of target pixels."""
        return self.width * self.height

    @functools.cached_property
    def _to_lonlat(self):
        from pyproj import Transformer

        return Transformer.from_crs(self.crs.to_wkt(), "EPSG:4326", always_xy=True)

    def pixel_lonlat(self, rows, cols):
        """Return lon, lat (degrees, float64) of the centres of pixels (rows, cols).

        ``rows`` and ``cols`` are broadcastable arrays of pixel indices (may lie outside the
        grid); the centre is the affine transform at (col + 0.5, row + 0.5).
        """
        rows = np.asarray(rows, dtype=np.float64) + 0.5
        cols = np.asarray(cols, dtype=np.float64) + 0.5
        t = self.transform
        x = t.c + t.a * cols + t.b * rows
        y = t.f + t.d * cols + t.e * rows
        lon, lat = self._to_lonlat.transform(x, y)
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)

    def pixel_centres_lonlat(self, row_start, row_stop):
        """Return lon, lat (degrees, float64, shape (row_stop - row_start, width)) of the
        centres of pixel rows ``row_start:row_stop``."""
        return self.pixel_lonlat(
            np.arange(row_start, row_stop)[:, np.newaxis], np.arange(self.width)
        )

    def outline_lonlat(self, samples_per_edge=64):
        """Return lon, lat (degrees, 1-D float64) of pixel centres along the grid's four edges."""
        parts = []
        for rows in ((0, 1), (self.height - 1, self.height)):
            lon, lat = self.pixel_centres_lonlat(*rows)
            step = max(1, self.width // samples_per_edge)
            parts.append((lon[0, ::step], lat[0, ::step]))
        step = max(1, self.height // samples_per_edge)
        for row in range(0, self.height, step):
            lon, lat = self.pixel_centres_lonlat(row, row + 1)
            parts.append((lon[0, [0, -1]], lat[0, [0, -1]]))
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def read_target_grid(path):
    """Read the target grid from a Landsat GeoTIFF (any GDAL-readable georeferenced raster).

    Raises:
        GociResampleError: the raster cannot be opened or has no CRS or no geotransform.
    """
    import rasterio

    path = Path(path)
    if not path.is_file():
        raise GociResampleError(
            f"Landsat raster {path} does not exist. Choose the _TOA_RAD_B*.tif of the scene."
        )
    try:
        with rasterio.open(path) as dataset:
            grid = TargetGrid(
                path=path,
                width=dataset.width,
                height=dataset.height,
                transform=dataset.transform,
                crs=dataset.crs,
                nodata=dataset.nodata,
                area_or_point=dataset.tags().get("AREA_OR_POINT"),
                band_count=dataset.count,
            )
    except (rasterio.errors.RasterioError, ValueError, OSError) as error:
        raise GociResampleError(
            f"Landsat raster {path} cannot be read ({error}). Check that it is a complete GeoTIFF."
        ) from None
    if grid.transform.is_identity:
        raise GociResampleError(
            f"Landsat raster {path} has no geotransform (pixel/line coordinates only). Use the "
            "georeferenced GeoTIFF from the calibrate-and-clip step."
        )
    if grid.crs is None:
        raise GociResampleError(
            f"Landsat raster {path} has no coordinate reference system, so its pixels cannot be "
            "located. Assign its CRS (e.g. with gdal_edit.py -a_srs EPSG:326NN) and run again."
        )
    return grid


def landsat_strips(grid, strip_rows, cache_mb):
    """Yield ``(first row, (bands, rows, width) values)`` of the Landsat raster of ``grid``
    (a :class:`TargetGrid`), top to bottom, the next strip read in a thread while the caller
    works on this one: a row of tiles at a time where :mod:`.tiff_tiles` decodes the file,
    else ``strip_rows`` rows at a time through GDAL, its block cache bounded to ``cache_mb``
    MB (its default of 5 % of the RAM grew past 1 GB).

    The strips are ``STRIP_BUFFERS`` arrays used in turn (fresh pages for each of a full
    scene's 1.2 GB cost the kernel's page zeroing): a strip is overwritten while the strip
    after next is read, so the caller must be done with it (or copy it) by the time it asks
    for that one.

    Raises:
        GociResampleError: a tile cannot be decoded (the file is damaged or changed).
    """
    reader = tile_reader(grid)
    if reader is not None:
        strip = _ring(grid, reader.tile_height, np.float32)
        try:
            yield from _prefetched(range(0, grid.height, reader.tile_height),
                                   lambda row: reader.tile_row(row // reader.tile_height,
                                                               strip(row)))  # fmt: skip
        finally:
            reader.close()
        return
    import rasterio

    with rasterio.Env(GDAL_CACHEMAX=cache_mb), rasterio.open(grid.path) as dataset:
        strip = _ring(grid, strip_rows, np.result_type(*dataset.dtypes))

        def read(row):
            out = strip(row)
            window = rasterio.windows.Window(0, row, grid.width, out.shape[1])
            try:
                return dataset.read(window=window, out=out)
            except (rasterio.errors.RasterioError, OSError) as error:
                raise GociResampleError(unreadable_rows(grid.path, row, error)) from None

        yield from _prefetched(range(0, grid.height, strip_rows), read)


def _ring(grid, height, dtype):
    """``strip(row)``: the C-contiguous (bands, rows, width) ``dtype`` array for the strip of
    ``height`` rows from ``row`` of ``grid``, one of ``STRIP_BUFFERS`` used in turn."""
    size = grid.band_count * height * grid.width
    buffers = [np.empty(size, dtype=dtype)
               for _ in range(min(STRIP_BUFFERS, -(-grid.height // height)))]  # fmt: skip

    def strip(row):
        shape = (grid.band_count, min(height, grid.height - row), grid.width)
        return buffers[(row // height) % len(buffers)][: math.prod(shape)].reshape(shape)

    return strip


STRIP_BUFFERS = 3
"""Strips :func:`landsat_strips` uses in turn: the one the caller works on, the one before it
(still being summed by the match-ups) and the one being read."""


def _prefetched(rows, read):
    """Yield ``(row, read(row))`` for ``rows``, each next one read in a thread meanwhile."""
    with concurrent.futures.ThreadPoolExecutor(1) as reader:
        pending = reader.submit(read, rows[0])
        for position, row in enumerate(rows):
            strip = pending.result()
            if position + 1 < len(rows):
                pending = reader.submit(read, rows[position + 1])
            yield row, strip
