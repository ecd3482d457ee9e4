"""Landsat's pixels decoded here rather than by GDAL, where the file is the plain kind the
calibrate-and-clip step writes: a little-endian tiled TIFF of float32 samples, DEFLATE, with
no predictor or the floating-point one, every tile present.

GDAL reads such a file through libtiff, which undoes the floating-point predictor a byte at a
time on one thread: 3.7–4.3 s of one core for a full scene's 1.2 GB (5 bands of 7700 × 7800).
Here libdeflate (the library GDAL links) inflates each tile and one compiled pass
(:mod:`.predictor_kernel`) undoes the predictor, the tiles of a row on every core: the same
scene in 1.7 s on 2 cores (2.9–3.1 s of CPU; measured alone, warm, 2026-12-06), 0.4–0.7 s
off a full scene's match-ups. The values are GDAL's to the bit (the tests compare them). Any other file — another codec or sample
type, strips, big-endian, a missing tile — or a machine without numba, libdeflate or
``os.pread`` (Windows) is read by GDAL as before (:func:`tile_reader` answers None).
"""

import concurrent.futures
import ctypes
import os
import struct
import threading

import numpy as np

from ..errors import GociResampleError
from ..system import LIBDEFLATE, c_function, compute_threads, shared_library

(WIDTH, HEIGHT, BITS, COMPRESSION, SAMPLES, PLANAR, PREDICTOR, TILE_WIDTH, TILE_HEIGHT,
 TILE_OFFSETS, TILE_BYTE_COUNTS, SAMPLE_FORMAT) = (256, 257, 258, 259, 277, 284, 317, 322, 323,
                                                   324, 325, 339)  # fmt: skip
"""The TIFF tags read here."""

DEFLATE_CODES = (8, 32946)
"""TIFF compression codes of DEFLATE (Adobe's and the old one), both zlib streams."""

MAX_TILE_ROWS = 1024
"""Tallest tile decoded here: a strip is a row of tiles (a 1024-row strip of a full scene is
160 MB)."""

_TYPES = {1: "<u1", 3: "<u2", 4: "<u4", 16: "<u8"}
"""TIFF field types of the tags read here (BYTE, SHORT, LONG, LONG8) as numpy types."""


def tile_reader(grid):
    """A :class:`TileReader` of the Landsat raster of ``grid`` (a ``TargetGrid``), or None
    where GDAL reads it (see the module)."""
    library = shared_library(LIBDEFLATE)
    if library is None or not hasattr(os, "pread"):  # Windows has no pread: GDAL reads there
        return None
    try:
        from . import predictor_kernel
    except ImportError:  # no numba: libtiff's predictor beats one in numpy
        return None
    try:
        with open(grid.path, "rb") as handle:
            tags = _first_directory(handle)
    except (OSError, struct.error, ValueError):
        return None
    layout = _layout(tags, grid)
    if layout is None:
        return None
    try:
        return TileReader(grid, layout, library, predictor_kernel.undo_float_predictor)
    except (AttributeError, OSError):  # a libdeflate without these calls; the file is gone
        return None


def _first_directory(handle):
    """{tag: (n,) numpy array} of the first image directory of a little-endian TIFF (the tags
    of :data:`_TYPES`' types), or {} for any other file."""
    header = handle.read(16)
    big = header[:4] == b"II+\0"
    if not big and header[:4] != b"II*\0":
        return {}
    position = struct.unpack_from("<Q" if big else "<I", header, 8 if big else 4)[0]
    handle.seek(position)
    count_format, entry_format = ("<Q", "<HHQ8s") if big else ("<H", "<HHI4s")
    (entries,) = struct.unpack(count_format, handle.read(struct.calcsize(count_format)))
    size = struct.calcsize(entry_format)
    table = handle.read(entries * size)
    tags = {}
    for i in range(entries):
        tag, kind, count, inline = struct.unpack_from(entry_format, table, i * size)
        if kind not in _TYPES:
            continue
        dtype = np.dtype(_TYPES[kind])
        if count * dtype.itemsize <= len(inline):
            data = inline[: count * dtype.itemsize]
        else:
            handle.seek(struct.unpack("<Q" if big else "<I", inline)[0])
            data = handle.read(count * dtype.itemsize)
        tags[tag] = np.frombuffer(data, dtype=dtype, count=count).astype(np.int64)
    return tags


def _layout(tags, grid):
    """The tile layout (a dict) the reader needs, or None unless the directory is one it
    decodes to GDAL's values."""
    need = (WIDTH, HEIGHT, BITS, COMPRESSION, TILE_WIDTH, TILE_HEIGHT, TILE_OFFSETS,
            TILE_BYTE_COUNTS, SAMPLE_FORMAT)  # fmt: skip
    if not all(tag in tags for tag in need):
        return None
    first = {tag: int(values[0]) for tag, values in tags.items() if values.size}
    spp = first.get(SAMPLES, 1)
    planar = first.get(PLANAR, 1)
    tile_width, tile_height = first[TILE_WIDTH], first[TILE_HEIGHT]
    across = -(-grid.width // tile_width) if tile_width else 0
    down = -(-grid.height // tile_height) if tile_height else 0
    offsets, counts = tags[TILE_OFFSETS], tags[TILE_BYTE_COUNTS]
    tiles = across * down * (spp if planar == 2 else 1)
    plain = (
        (first[WIDTH], first[HEIGHT], spp) == (grid.width, grid.height, grid.band_count)
        and (tags[BITS] == 32).all() and (tags[SAMPLE_FORMAT] == 3).all()
        and first[COMPRESSION] in DEFLATE_CODES and first.get(PREDICTOR, 1) in (1, 3)
        and planar in (1, 2) and 0 < tile_height <= MAX_TILE_ROWS and tile_width > 0
        and offsets.size == counts.size == tiles and (offsets > 0).all() and (counts > 0).all()
    )  # fmt: skip
    if not plain:
        return None
    return {"spp": spp, "planar": planar, "tile": (tile_height, tile_width), "grid": (down, across),
            "offsets": offsets, "counts": counts, "predictor": first.get(PREDICTOR, 1)}  # fmt: skip


class TileReader:
    """The rows of tiles of one Landsat raster, each decoded on ``compute_threads()`` threads
    (libdeflate and the compiled predictor release the GIL).

    Args:
        grid: its ``TargetGrid``; layout: from :func:`_layout`; library: libdeflate;
        undo: :func:`.predictor_kernel.undo_float_predictor`.
    """

    def __init__(self, grid, layout, library, undo):
        self.grid, self.layout, self._undo = grid, layout, undo
        self.tile_height, self.tile_width = layout["tile"]
        self._alloc = c_function(library, "libdeflate_alloc_decompressor", ctypes.c_void_p)
        self._free = c_function(library, "libdeflate_free_decompressor", None, ctypes.c_void_p)
        self._inflate = c_function(library, "libdeflate_zlib_decompress", ctypes.c_int,
                                   ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t,
                                   ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p)  # fmt: skip
        self._file = os.open(grid.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        self._local, self._decompressors = threading.local(), []
        self._lock = threading.Lock()
        self._pool = concurrent.futures.ThreadPoolExecutor(compute_threads())

    def close(self):
        """Stop the threads, free the decompressors and close the file."""
        self._pool.shutdown(wait=True)
        for decompressor in self._decompressors:
            self._free(decompressor)
        self._decompressors = []
        os.close(self._file)

    def tile_row(self, down):
        """(bands, rows, width) float32: the raster rows of tile row ``down``.

        Raises:
            GociResampleError: a tile cannot be read or decoded (the file is damaged, or
                changed while it was read).
        """
        height = min(self.tile_height, self.grid.height - down * self.tile_height)
        out = np.empty((self.grid.band_count, height, self.grid.width), dtype=np.float32)
        planes = self.layout["spp"] if self.layout["planar"] == 2 else 1
        across = self.layout["grid"][1]
        jobs = [(band, column) for band in range(planes) for column in range(across)]
        calls = [self._pool.submit(self._decode, down, band, column, out) for band, column in jobs]
        for call in calls:
            call.result()
        return out

    def _decode(self, down, band, column, out):
        """Decode the tile (``down``, ``column``) of plane ``band`` into ``out``."""
        spp, planar = self.layout["spp"], self.layout["planar"]
        samples = 1 if planar == 2 else spp
        down_count, across = self.layout["grid"]
        k = (band * down_count + down) * across + column
        offset, count = int(self.layout["offsets"][k]), int(self.layout["counts"][k])
        expected = self.tile_height * self.tile_width * samples * 4
        raw = self._buffer(expected)
        compressed = os.pread(self._file, count, offset)
        written = ctypes.c_size_t(0)
        status = (
            self._inflate(self._decompressor(), compressed, len(compressed), raw.ctypes.data,
                          expected, ctypes.byref(written))
            if len(compressed) == count else -1
        )  # fmt: skip
        if status != 0 or written.value != expected:
            raise GociResampleError(
                f"Landsat raster {self.grid.path} has a tile that cannot be decoded (tile {k}, "
                f"from row {down * self.tile_height}): the file is damaged or changed while it "
                "was read. Check it with gdalinfo -checksum; if another program is writing it, "
                "run again when it is done."
            )
        col0 = column * self.tile_width
        rows, cols = out.shape[1], min(self.tile_width, self.grid.width - col0)
        first_band = band if planar == 2 else 0
        if self.layout["predictor"] == 3:
            self._undo(raw, out.view(np.uint32), first_band, samples, self.tile_width, col0,
                       rows, cols)  # fmt: skip
        else:
            tile = raw.view("<f4").reshape(self.tile_height, self.tile_width, samples)
            out[first_band : first_band + samples, :, col0 : col0 + cols] = tile[
                :rows, :cols
            ].transpose(2, 0, 1)

    def _buffer(self, size):
        buffer = getattr(self._local, "buffer", None)
        if buffer is None or buffer.size != size:
            buffer = self._local.buffer = np.empty(size, dtype=np.uint8)
        return buffer

    def _decompressor(self):
        decompressor = getattr(self._local, "decompressor", None)
        if decompressor is None:
            decompressor = self._local.decompressor = self._alloc()
            if not decompressor:
                raise MemoryError("libdeflate could not allocate a decompressor")
            with self._lock:
                self._decompressors.append(decompressor)
        return decompressor
