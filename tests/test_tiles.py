"""The output GeoTIFF's tiles, encoded by the plugin into the file GDAL structured
(``core/write/tiles.py``): read back by GDAL and, independently of GDAL and libtiff, by
tifffile's TIFF parser with Python's zlib and the floating-point predictor of TIFF Technical
Note 3 undone here in numpy, with either DEFLATE library (ISA-L, libdeflate); tile for tile the
bytes GDAL writes itself with libdeflate; odd sizes; and GDAL's own path where the codec's
library is missing."""

import zlib

import numpy as np
import pytest
import rasterio
from rasterio.crs import CRS
from rasterio.transform import from_origin

from goci_resample_plugin.core.write import codecs, geotiff
from goci_resample_plugin.core.write.codecs import tile_codec
from goci_resample_plugin.core.write.geotiff import STRIP_ROWS, GeoTiffWriter, geotiff_profile

tifffile = pytest.importorskip("tifffile")

UTM_51N = CRS.from_epsg(32651)


def _field(count, height, width):
    """(count, height, width) float32 radiances with a NaN corner (the scene's footprint)."""
    rows, cols = np.mgrid[0:height, 0:width]
    bands = [40 + 10 * b + np.sin(rows / 37.0 + b) * 5 + cols * 0.01 for b in range(count)]
    data = np.stack(bands).astype(np.float32)
    data[:, rows + cols < (height + width) // 4] = np.nan
    return data


def _write(path, data, codec):
    count, height, width = data.shape
    profile = geotiff_profile(width, height, count, UTM_51N,
                              from_origin(300000, 3500000, 30, 30), codec)  # fmt: skip
    bands = [(f"L_TOA_{412 + 10 * b}", {"wavelength_nm": str(412 + 10 * b)}, "W m-2 sr-1 um-1")
             for b in range(count)]  # fmt: skip
    with GeoTiffWriter(path, path, profile, {"GENERATOR": "test"}, bands) as writer:
        for row in range(0, height, STRIP_ROWS):
            writer.write(row, data[:, row : row + STRIP_ROWS])
    return profile


def _undo_predictor(raw, tile):
    """The float32 (tile, tile) of one decompressed tile (TN3: per row, a running byte sum,
    then the 4 byte planes, most significant first, back into little-endian floats)."""
    planes = np.cumsum(np.frombuffer(raw, np.uint8).reshape(tile, 4 * tile), axis=1,
                       dtype=np.uint8)  # fmt: skip
    return planes.reshape(tile, 4, tile)[:, ::-1].transpose(0, 2, 1).copy().view("<f4")[..., 0]


def _tiles_by_tifffile(path):
    """Each tile's stored bytes, in tag order, as tifffile's parser locates them."""
    with tifffile.TiffFile(path) as tif, open(path, "rb") as handle:
        page = tif.pages[0]
        assert page.is_tiled and page.predictor == 3 and page.planarconfig == 2
        stored = []
        for offset, size in zip(page.dataoffsets, page.databytecounts):
            handle.seek(offset)
            stored.append(handle.read(size))
        return page, stored


@pytest.mark.parametrize(("codec", "library"), [("deflate", "Isal"), ("zstd", "Zstd")])
def test_this_machine_encodes_the_tiles_itself(codec, library):
    """The set-up installs ISA-L (DEFLATE) and Debian's GDAL brings libzstd: the fast path is
    the one tested here."""
    found = tile_codec(geotiff_profile(10, 10, 1, UTM_51N, from_origin(0, 0, 30, 30), codec))
    assert library in type(found).__name__


@pytest.fixture(params=["isal", "libdeflate"])
def deflate_library(request, monkeypatch):
    """Each DEFLATE library in turn as the one the writer finds first."""
    kinds = codecs._CODECS["deflate"]
    chosen = [kind for kind in kinds if ("Isal" in kind.__name__) == (request.param == "isal")]
    monkeypatch.setitem(codecs._CODECS, "deflate", tuple(chosen))
    found = tile_codec(geotiff_profile(10, 10, 1, UTM_51N, from_origin(0, 0, 30, 30), "deflate"))
    assert type(found) is chosen[0]
    return request.param


@pytest.mark.parametrize(
    ("count", "height", "width"),
    [(5, 600, 700), (1, 1, 1), (2, 256, 512), (3, 257, 255)],
    ids=["scene-like", "one-pixel", "whole-tiles", "just-past-a-tile"],
)
def test_deflate_tiles_decode_to_the_data_without_gdal(
    tmp_path, count, height, width, deflate_library
):
    data = _field(count, height, width)
    path = tmp_path / "out.tif"
    _write(path, data, "deflate")
    page, stored = _tiles_by_tifffile(path)
    assert page.compression == 8 and page.samplesperpixel == count
    assert (page.imagelength, page.imagewidth) == (height, width)
    tile = 256
    across, down = -(-width // tile), -(-height // tile)
    assert len(stored) == count * across * down
    decoded = np.empty((count, down * tile, across * tile), np.float32)
    for index, payload in enumerate(stored):
        band, rest = divmod(index, across * down)
        row, col = divmod(rest, across)
        block = _undo_predictor(zlib.decompress(payload), tile)
        decoded[band, row * tile : (row + 1) * tile, col * tile : (col + 1) * tile] = block
    assert np.array_equal(decoded[:, :height, :width], data, equal_nan=True)
    assert not decoded[:, height:].any() and not decoded[:, :, width:].any()  # padded with 0


@pytest.mark.parametrize("codec", ["deflate", "zstd"])
def test_gdal_reads_the_file_with_its_metadata(tmp_path, codec):
    data = _field(5, 600, 700)
    path = tmp_path / "out.tif"
    _write(path, data, codec)
    with rasterio.open(path) as written:
        assert np.array_equal(written.read(), data, equal_nan=True)
        structure = written.tags(ns="IMAGE_STRUCTURE")
        assert structure["COMPRESSION"] == codec.upper() and structure["PREDICTOR"] == "3"
        assert written.crs == UTM_51N and written.transform == from_origin(300000, 3500000, 30, 30)
        assert np.isnan(written.nodata) and written.block_shapes[0] == (256, 256)
        assert written.descriptions[4] == "L_TOA_452" and written.units[0] == "W m-2 sr-1 um-1"
        assert written.tags()["GENERATOR"] == "test"
        assert written.tags(2)["wavelength_nm"] == "422"
        # every overview-free read path: a window across tile edges, one band at a time
        window = rasterio.windows.Window(250, 250, 20, 20)
        assert np.array_equal(written.read(3, window=window), data[2, 250:270, 250:270],
                              equal_nan=True)  # fmt: skip


def test_incompressible_tiles_fit_and_decode(tmp_path, deflate_library):
    """Random bits (NaN payloads included) do not compress: the encoder falls back to stored
    blocks within the bound the writer allows, and the tiles still decode to the data."""
    bits = np.random.default_rng(5).integers(0, 2**32, size=(2, 300, 520), dtype=np.uint32)
    data = bits.view(np.float32)
    path = tmp_path / "noise.tif"
    _write(path, data, "deflate")
    page, stored = _tiles_by_tifffile(path)
    assert page.compression == 8 and len(stored) == 2 * 3 * 2
    first = _undo_predictor(zlib.decompress(stored[0]), 256)
    assert np.array_equal(first.view(np.uint32), bits[0, :256, :256])
    with rasterio.open(path) as written:
        assert np.array_equal(written.read().view(np.uint32), bits)


def test_deflate_tiles_are_the_bytes_gdal_writes_itself(tmp_path, monkeypatch):
    """Same predictor, same library (libdeflate) and level, same zero padding: GDAL's own
    encoding of the same array (its GTiff driver, nothing of ours) stores identical tiles.
    (ZSTD tiles decode the same but differ in their frame header: libtiff streams each tile
    without recording its size.)"""
    libdeflate = tuple(kind for kind in codecs._CODECS["deflate"] if "Isal" not in kind.__name__)
    monkeypatch.setitem(codecs._CODECS, "deflate", libdeflate)
    data = _field(3, 600, 700)
    ours = tmp_path / "ours.tif"
    profile = _write(ours, data, "deflate")
    gdal = tmp_path / "gdal.tif"
    with rasterio.open(gdal, "w", **profile) as dataset:
        dataset.write(data)
    assert _tiles_by_tifffile(ours)[1] == _tiles_by_tifffile(gdal)[1]


def test_without_the_codec_library_gdal_writes_the_tiles(tmp_path, monkeypatch):
    data = _field(2, 300, 300)
    monkeypatch.setattr(geotiff, "tile_codec", lambda profile: None)
    path = tmp_path / "out.tif"
    _write(path, data, "deflate")
    with rasterio.open(path) as written:
        assert np.array_equal(written.read(), data, equal_nan=True)
        assert written.descriptions[1] == "L_TOA_422"


def test_a_bigtiff_keeps_its_tile_tags_pointing_at_the_tiles(tmp_path, monkeypatch):
    """A raster that could pass 4 GiB is made a BigTIFF (64-bit tile offsets); forced here on a
    small one by lowering the classic limit."""
    from goci_resample_plugin.core.write import tiles

    monkeypatch.setattr(tiles, "CLASSIC_LIMIT", 1 << 20)
    data = _field(2, 600, 700)
    path = tmp_path / "big.tif"
    _write(path, data, "deflate")
    assert path.read_bytes()[:4] == b"II+\0"
    with tifffile.TiffFile(path) as tif:
        assert tif.is_bigtiff
    with rasterio.open(path) as written:
        assert np.array_equal(written.read(), data, equal_nan=True)


@pytest.mark.parametrize("strip_rows", [64, 100, 600], ids=["quarter-tiles", "odd", "whole"])
def test_strips_of_any_height_give_the_same_file(tmp_path, strip_rows):
    """The writer takes strips of any height, in order (the engines' tests write 64-row
    strips); rows are gathered into rows of tiles, each row counted once by the callback."""
    data = _field(3, 600, 700)
    reference = tmp_path / "reference.tif"
    _write(reference, data, "deflate")
    path = tmp_path / "out.tif"
    profile = geotiff_profile(700, 600, 3, UTM_51N, from_origin(300000, 3500000, 30, 30))
    seen = []
    with GeoTiffWriter(path, path, profile, on_strip=lambda s: seen.append(s.shape[1])) as w:
        for row in range(0, 600, strip_rows):
            w.write(row, data[:, row : row + strip_rows].copy())
    assert sum(seen) == 600
    assert _tiles_by_tifffile(path)[1] == _tiles_by_tifffile(reference)[1]
    with rasterio.open(path) as written:
        assert np.array_equal(written.read(), data, equal_nan=True)


def test_a_strip_out_of_order_is_refused(tmp_path):
    data = _field(1, 600, 300)
    path = tmp_path / "out.tif"
    profile = geotiff_profile(300, 600, 1, UTM_51N, from_origin(0, 0, 30, 30))
    with pytest.raises(ValueError, match="do not follow"), GeoTiffWriter(path, path, profile) as w:
        w.write(256, data[:, 256:512])


def test_tiles_of_one_value_keep_their_exact_bits(tmp_path):
    """Tiles of one value are encoded once and reused: NaN with another payload, a negative
    NaN, 0, a constant and partial edge tiles of each must still come back bit for bit."""
    data = np.full((2, 600, 700), np.nan, np.float32)
    bits = data.view(np.uint32)
    bits[0, :256, 256:512] = 0xFFC00000  # -NaN
    bits[0, 256:512, :256] = 0x7FC00001  # a NaN with a payload
    data[1, :256, :256] = 0.0
    data[1, 256:512, 256:512] = 5.5
    data[1, 512:, 512:] = 7.25  # the corner edge tile
    data[0, 300, 300] = 1.0  # one pixel in an otherwise NaN tile
    path = tmp_path / "out.tif"
    _write(path, data, "deflate")
    with rasterio.open(path) as written:
        back = written.read()
    assert np.array_equal(back.view(np.uint32), bits)


def test_a_strip_past_the_last_row_is_refused_not_hung(tmp_path):
    """A strip reaching past the raster's height once made the row loop spin for ever (the
    writer thread never returned, so the run never ended)."""
    import threading

    path = tmp_path / "out.tif"
    profile = geotiff_profile(300, 300, 1, UTM_51N, from_origin(0, 0, 30, 30))
    outcome = []

    def write():
        try:
            with GeoTiffWriter(path, path, profile) as writer:
                writer.write(0, np.zeros((1, 320, 300), np.float32))
        except ValueError as error:
            outcome.append(str(error))

    worker = threading.Thread(target=write, daemon=True)
    worker.start()
    worker.join(30)
    assert not worker.is_alive(), "the writer hung"
    assert outcome and "300 × 300 raster" in outcome[0]


FULL_DISK_WRITE = """
import os, resource, signal, sys
sys.path.insert(0, {repo!r})
import numpy as np
import rasterio
from pathlib import Path
from rasterio.crs import CRS
from rasterio.transform import from_origin
from goci_resample_plugin.core.errors import GociResampleError
from goci_resample_plugin.core.write.geotiff import GeoTiffWriter, geotiff_profile
count, height, width = {shape}
profile = geotiff_profile(width, height, count, CRS.from_epsg(32651), from_origin(0, 0, 30, 30))
probe = Path({folder!r}) / "probe.tif"  # the structure GDAL makes, without any tile
with rasterio.open(probe, "w", **(profile | dict(sparse_ok=True, endianness="little",
                                                 bigtiff="no"))):
    pass
limit = {limit} if {limit} else os.path.getsize(probe)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail, as on a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
path = Path({folder!r}) / "out.tif"


class Stopped(Exception):
    pass


try:
    with GeoTiffWriter(path, path, profile) as writer:
        writer.write(0, np.full((count, min(256, height), width), np.nan, np.float32))
        if {stop}:
            raise Stopped
except GociResampleError as error:
    print("MESSAGE", error)
except Stopped:
    print("STOPPED")
"""


@pytest.mark.parametrize(
    ("shape", "limit", "stop", "expected"),
    [
        ((5, 7800, 7700), 4096, False, "MESSAGE Writing"),
        ((1, 600, 256), 0, True, "STOPPED"),
    ],
    ids=["structure-cut-short", "cancel-on-a-full-disk"],
)
def test_a_full_disk_around_the_tiles_says_so(tmp_path, shape, limit, stop, expected):
    """A disk full while GDAL makes the file (GDAL does not report it when closing) ends with
    the full-disk message, not a traceback of the parser; a run stopped (a cancel) when the
    disk is full stops as such, its last buffered tile failing to land unheard."""
    import subprocess
    import sys
    from pathlib import Path

    code = FULL_DISK_WRITE.format(repo=str(Path(__file__).resolve().parents[1]),
                                  shape=shape, folder=str(tmp_path), limit=limit,
                                  stop=stop)  # fmt: skip
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               timeout=120)  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.startswith(expected), completed.stdout + completed.stderr[-800:]
    if expected.startswith("MESSAGE"):
        assert "Check the free space" in completed.stdout and "out.tif" in completed.stdout
