"""The output GeoTIFF: one profile, written strip by strip by a background thread, checked.
GDAL makes the file; its tiles are encoded on every core by :mod:`.tiles` (GDAL's own path
where the codec's library is missing).

Float32, NaN nodata, tiled, lossless with the floating-point predictor: DEFLATE level 1 by
default (a full scene in about half the time of the default level 6 for a file 4 % larger;
every GIS reads it), or, on request, ZSTD level 1 (the same size, its compression about 40 %
cheaper; read by GDAL-based software, not by every TIFF reader).
"""

import concurrent.futures
import contextlib
import time
from pathlib import Path

import numpy as np

from ..errors import GociResampleError
from ..system import compute_threads
from .codecs import tile_codec
from .tiles import TileFile, needs_bigtiff, write_failed

GEOTIFF_PROFILE = {
    "driver": "GTiff",
    "dtype": "float32",
    "nodata": float("nan"),
    "tiled": True,
    "blockxsize": 256,
    "blockysize": 256,
    "predictor": 3,
    "interleave": "band",
    "bigtiff": "if_safer",
    "num_threads": "all_cpus",
}
"""What every output shares; the codec comes from :data:`CODECS`."""

CODECS = {
    "deflate": {"compress": "deflate", "zlevel": 1},
    "zstd": {"compress": "zstd", "zstd_level": 1},
}
"""The lossless codec of each ``options.COMPRESSIONS`` (``ResampleOptions.compression``), as
rasterio creation options; each is used with the floating-point predictor. Measured on a
quarter-size GOCI-II output (5 bands of 1925 × 1950, in memory, 2 threads): DEFLATE 0.37 s,
ZSTD 0.22 s, both 25 MB."""

STRIP_ROWS = GEOTIFF_PROFILE["blockysize"]
"""Rows written at once: one row of tiles, so each tile is compressed once."""

GDAL_CACHE_MB = 128
"""GDAL block cache while writing (its default, 5 % of RAM, would dominate peak memory)."""


def geotiff_profile(width, height, count, crs, transform, compression="deflate"):
    """The rasterio profile of an output on a grid of ``width`` × ``height`` pixels, compressed
    with ``compression`` (a key of :data:`CODECS`)."""
    return GEOTIFF_PROFILE | CODECS[compression] | {"width": width, "height": height,
                                                    "count": count, "crs": crs,
                                                    "transform": transform}  # fmt: skip


def write_geotiff(path, shown_as, profile, strips, tags=None, bands=(), on_strip=None):
    """Write a GeoTIFF from an iterator of ``(row_start, strip)``; return the seconds spent
    writing. See :class:`GeoTiffWriter` for the arguments and the checks."""
    with GeoTiffWriter(path, shown_as, profile, tags, bands, on_strip) as writer:
        for row_start, strip in strips:
            writer.write(row_start, strip)
    return writer.seconds


class GeoTiffWriter:
    """Writes a GeoTIFF strip by strip: a background thread compresses and writes one strip
    while the caller produces the next (at most two strips in memory). GDAL creates the file
    with its metadata and :class:`~.tiles.TileFile` adds the tiles (where the codec's library
    is missing, GDAL writes them and the metadata is set on a clean exit). Then the file is
    closed and the last strip read back: GDAL writes its final tiles and the TIFF directory
    when the file is closed and does not report a failure there (a full disk) as an error.

    Args:
        path: the file to write (usually a temporary name).
        shown_as: the name to give in messages (the final output).
        profile: from :func:`geotiff_profile`.
        tags: dataset metadata ``{name: value}``.
        bands: per band ``(description, {tag: value}, units)``.
        on_strip: called as ``on_strip(strip)`` in the writer thread before each write.

    Attributes:
        seconds: time spent writing so far.

    Raises:
        GociResampleError: the file cannot be created or written.
    """

    def __init__(self, path, shown_as, profile, tags=None, bands=(), on_strip=None):
        self.path, self.shown_as, self.profile = path, shown_as, profile
        self.tags, self.bands, self.on_strip = tags or {}, bands, on_strip
        self.seconds = 0.0
        self._last = None
        self._pending = None

    def __enter__(self):
        import rasterio

        self._env = rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB)
        self._env.__enter__()
        self._tiles, self._dataset = None, None
        codec = tile_codec(self.profile)
        try:
            if codec is None:  # GDAL encodes and writes the tiles
                self._dataset = rasterio.open(self.path, "w", **self.profile)
            else:  # GDAL writes the structure, the tiles are encoded here (see .tiles)
                profile = self.profile | {
                    "sparse_ok": True,
                    "endianness": "little",
                    "bigtiff": "yes" if needs_bigtiff(codec, self.profile) else "no",
                }
                with rasterio.open(self.path, "w", **profile) as dataset:
                    _describe(dataset, self.tags, self.bands)
                self._tiles = TileFile(self.path, self.shown_as, profile, codec,
                                       compute_threads())  # fmt: skip
        except rasterio.errors.RasterioIOError as error:
            self._env.__exit__(None, None, None)
            raise GociResampleError(
                f"Cannot write {self.shown_as} ({error}). Choose a folder you can write to."
            ) from None
        except BaseException:
            self._env.__exit__(None, None, None)
            raise
        self._thread = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        return self

    def write(self, row_start, strip):
        """Queue ``strip`` (count, rows, width) float32 for rows from ``row_start``."""
        if self._pending is not None:
            self._pending.result()
        self._pending = self._thread.submit(self._write, strip, row_start)
        self._last = (row_start, strip)

    def _write(self, strip, row_start):
        import rasterio

        tick = time.perf_counter()
        if self._tiles is not None:
            self._tiles.write(row_start, strip, meanwhile=self.on_strip)
            self.seconds += time.perf_counter() - tick
            return
        if self.on_strip is not None:
            self.on_strip(strip)
        window = rasterio.windows.Window(0, row_start, strip.shape[2], strip.shape[1])
        try:
            self._dataset.write(strip, window=window)
        except Exception as error:  # GDAL reports a full disk or a lost folder generically
            raise write_failed(self.shown_as, error) from None
        self.seconds += time.perf_counter() - tick

    def __exit__(self, kind, error, trace):
        try:
            with contextlib.ExitStack() as closing:
                if self._dataset is not None:
                    closing.enter_context(self._dataset)
                if self._tiles is not None:
                    closing.callback(self._tiles.close, giving_up=kind is not None)
                try:
                    if self._pending is not None and kind is None:
                        self._pending.result()
                finally:
                    self._thread.shutdown(wait=True)
                if kind is None and self._tiles is not None:
                    self._tiles.finish()
                elif kind is None:
                    _describe(self._dataset, self.tags, self.bands)
            if kind is None and self._last is not None:
                _check_written(self.path, self.shown_as, *self._last)
        finally:
            self._env.__exit__(None, None, None)
        return False


def _describe(dataset, tags, bands):
    dataset.update_tags(**tags)
    for number, (description, band_tags, units) in enumerate(bands, start=1):
        dataset.set_band_description(number, description)
        dataset.update_tags(number, **band_tags)
        if units:
            dataset.set_band_unit(number, units)


def _check_written(path, shown_as, row_start, last_strip):
    import rasterio
    from rasterio.windows import Window

    window = Window(0, row_start, last_strip.shape[2], last_strip.shape[1])
    try:
        with rasterio.open(path) as written:
            intact = np.array_equal(written.read(window=window), last_strip, equal_nan=True)
    except (rasterio.errors.RasterioError, OSError) as error:
        intact, reason = False, str(error)
    else:
        reason = "the last rows read back differ"
    if not intact:
        raise GociResampleError(
            f"Writing {shown_as} failed at the end ({reason}). Check the free space and "
            "that the folder is still writable."
        )


def export_npy(raster, targets):
    """Write bands of the GeoTIFF ``raster`` as ``.npy`` files (float32, NaN = no data), one
    band in memory at a time.

    Args:
        raster: the GeoTIFF to read.
        targets: ``(band number, path to write, name to show in messages)`` per band.

    Raises:
        GociResampleError: a file cannot be written.
    """
    import rasterio

    with rasterio.open(raster) as dataset:
        for number, path, shown_as in targets:
            try:
                with open(path, "wb") as handle:
                    np.save(handle, dataset.read(number))
            except OSError as error:
                raise write_failed(Path(shown_as), error) from None
