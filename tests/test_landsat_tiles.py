"""Landsat's tiles decoded by the plugin (``core/read/tiff_tiles.py``) for the match-ups'
strips: bit for bit what GDAL reads, for every layout it takes on; GDAL's own read for the
files it leaves alone; a damaged tile named as such."""

import shutil
import struct
import zlib

import numpy as np
import pytest
import rasterio
from rasterio.crs import CRS
from rasterio.transform import from_origin

from goci_resample_plugin.core.errors import GociResampleError
from goci_resample_plugin.core.read import landsat_strips, read_target_grid
from goci_resample_plugin.core.read.tiff_tiles import tile_reader

pytest.importorskip("numba")
tifffile = pytest.importorskip("tifffile")


def _landsat(path, height=600, width=700, count=5, dtype="float32", **options):
    """A Landsat-like raster: radiances with the clip's −9999 outside the scene, a NaN and
    an infinity, written by GDAL with ``options``; returns the values."""
    rows, cols = np.mgrid[0:height, 0:width]
    bands = [50 + 20 * b + np.sin(rows / 17.0 + b) * 9 + cols * 0.013 for b in range(count)]
    data = np.stack(bands).astype(dtype)
    if np.dtype(dtype).kind == "f":
        data[:, rows + cols < 150] = -9999.0
        data[0, 5, 400], data[-1, 6, 401] = np.nan, np.inf
    profile = {"driver": "GTiff", "height": height, "width": width, "count": count,
               "dtype": dtype, "crs": CRS.from_epsg(32651),
               "transform": from_origin(300000, 3500000, 30, 30), "nodata": -9999.0}  # fmt: skip
    with rasterio.open(path, "w", **(profile | options)) as dataset:
        dataset.write(data)
    return data


def _strips(path):
    grid = read_target_grid(path)
    parts = [(row, strip.copy()) for row, strip in landsat_strips(grid, 256, 64)]  # reused
    assert [row for row, _ in parts] == sorted(row for row, _ in parts)
    return np.concatenate([strip for _, strip in parts], axis=1)


TAKEN = {
    "clip-step": {"tiled": True, "blockxsize": 256, "blockysize": 256, "compress": "deflate",
                  "predictor": 3, "interleave": "pixel"},
    "band-planes": {"tiled": True, "blockxsize": 256, "blockysize": 256, "compress": "deflate",
                    "predictor": 3, "interleave": "band"},
    "no-predictor": {"tiled": True, "blockxsize": 256, "blockysize": 256, "compress": "deflate",
                     "interleave": "pixel"},
    "small-tiles-bigtiff": {"tiled": True, "blockxsize": 128, "blockysize": 64,
                            "compress": "deflate", "predictor": 3, "bigtiff": "yes"},
    "one-band": {"tiled": True, "blockxsize": 512, "blockysize": 512, "compress": "deflate",
                 "predictor": 3, "count": 1},
}  # fmt: skip


@pytest.mark.parametrize("layout", TAKEN, ids=list(TAKEN))
def test_tiles_decode_to_gdal_values_bit_for_bit(tmp_path, layout):
    options = dict(TAKEN[layout])
    count = options.pop("count", 5)
    path = tmp_path / "landsat.tif"
    data = _landsat(path, count=count, **options)
    assert tile_reader(read_target_grid(path)) is not None  # the plugin's decoder, not GDAL
    ours = _strips(path)
    with rasterio.open(path) as dataset:
        gdal = dataset.read()
    assert ours.dtype == np.float32 and ours.shape == gdal.shape == data.shape
    assert np.array_equal(ours.view(np.uint32), gdal.view(np.uint32))
    assert np.array_equal(ours, data, equal_nan=True)


LEFT_TO_GDAL = {
    "zstd": {"tiled": True, "compress": "zstd", "predictor": 3},
    "lzw": {"tiled": True, "compress": "lzw", "predictor": 3},
    "strips": {"compress": "deflate", "predictor": 3},
    "integer-predictor": {"tiled": True, "compress": "deflate", "predictor": 2},
    "int16": {"tiled": True, "compress": "deflate", "dtype": "int16"},
    "float64": {"tiled": True, "compress": "deflate", "predictor": 3, "dtype": "float64"},
}  # fmt: skip


@pytest.mark.parametrize("layout", LEFT_TO_GDAL, ids=list(LEFT_TO_GDAL))
def test_other_files_are_read_by_gdal(tmp_path, layout):
    path = tmp_path / "landsat.tif"
    data = _landsat(path, **LEFT_TO_GDAL[layout])
    assert tile_reader(read_target_grid(path)) is None
    assert np.array_equal(_strips(path), data, equal_nan=True)


def _tile_bytes(path, index):
    """(file offset, size, offset of the TileOffsets and TileByteCounts arrays) of tile
    ``index``, as tifffile's parser locates them."""
    with tifffile.TiffFile(path) as tif:
        page = tif.pages[0]
        tables = (page.tags["TileOffsets"].valueoffset, page.tags["TileByteCounts"].valueoffset)
        return (page.dataoffsets[index], page.databytecounts[index], *tables)


def test_a_damaged_tile_is_named_not_returned(tmp_path):
    """Bytes overwritten inside one tile (a disk error, another program writing the file):
    GDAL returns wrong numbers there without a word (libtiff does not check the stream's
    Adler-32 sum); the strips stop with the file's name instead."""
    folder = tmp_path / "场景 one"
    folder.mkdir()
    path, damaged = folder / "landsat.tif", folder / "damaged.tif"
    data = _landsat(path, **TAKEN["clip-step"])
    shutil.copy(path, damaged)
    offset, size, _, _ = _tile_bytes(damaged, 3)  # tile row 1 (3 tiles across)
    with open(damaged, "r+b") as handle:
        handle.seek(offset + size // 3)
        handle.write(bytes(range(7, 256, 3)) * 4)
    with rasterio.open(damaged) as dataset:
        assert not np.array_equal(dataset.read(), data, equal_nan=True)  # GDAL: silently wrong
    with pytest.raises(
        GociResampleError, match=r"damaged\.tif has a damaged tile in the rows from 256"
    ):
        _strips(damaged)


def test_a_stream_longer_than_its_tile_gives_its_first_tile_worth(tmp_path):
    """A sound DEFLATE stream that inflates to more than one tile (libtiff takes the first
    tile's worth of such files): the same values as GDAL's."""
    path = tmp_path / "landsat.tif"
    data = _landsat(path, **TAKEN["clip-step"])
    offset, size, offsets_at, counts_at = _tile_bytes(path, 4)
    with open(path, "r+b") as handle:
        handle.seek(offset)
        longer = zlib.compress(zlib.decompress(handle.read(size)) + bytes(range(256)) * 40)
        end = handle.seek(0, 2)
        handle.write(longer)
        handle.seek(offsets_at + 4 * 4)
        handle.write(struct.pack("<I", end))
        handle.seek(counts_at + 4 * 4)
        handle.write(struct.pack("<I", len(longer)))
    with rasterio.open(path) as dataset:
        gdal = dataset.read()
    assert np.array_equal(gdal, data, equal_nan=True)
    assert tile_reader(read_target_grid(path)) is not None
    assert np.array_equal(_strips(path).view(np.uint32), gdal.view(np.uint32))


@pytest.mark.parametrize(("tag", "becomes"), [(284, 266), (284, 317)],
                         ids=["fill-order", "repeated-predictor"])  # fmt: skip
def test_tags_whose_meaning_libtiff_decides_leave_the_file_to_gdal(tmp_path, tag, becomes):
    """A FillOrder tag (libtiff reverses the bits of order 2), or a tag given twice (libtiff
    keeps the first copy): GDAL reads the file."""
    path = tmp_path / "landsat.tif"
    _landsat(path, **TAKEN["clip-step"])
    with tifffile.TiffFile(path) as tif:
        entry = tif.pages[0].tags[tag].offset
    with open(path, "r+b") as handle:
        handle.seek(entry)
        handle.write(struct.pack("<H", becomes))
    assert tile_reader(read_target_grid(path)) is None
    with rasterio.open(path) as dataset:
        gdal = dataset.read()
    assert np.array_equal(_strips(path), gdal, equal_nan=True)
