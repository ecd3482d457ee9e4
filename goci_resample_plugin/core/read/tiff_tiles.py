"""Landsat's pixels decoded here rather than by GDAL, where the file is the plain kind the
calibrate-and-clip step writes: a little-endian tiled TIFF of float32 samples, DEFLATE, with
no predictor or the floating-point one, every tile present.

GDAL reads such a file through libtiff, which undoes the floating-point predictor a byte at a
time on one thread: 3.7–4.3 s of one core for a full scene's 1.2 GB (5 bands of 7700 × 7800).
Here libdeflate (the library GDAL links) inflates each tile and one compiled pass
(:mod:`.predictor_kernel`) undoes the predictor, the tiles of a row on every core: the same
scene in 1.7 s on 2 cores (2.9–3.1 s of CPU; measured alone, warm, 2026-12-06), 0.4–0.7 s
off a full scene's match-ups. The values are GDAL's to the bit (the tests compare them).
Any other file — another codec or sample type, strips, big-endian, a missing tile, a tag
whose meaning libtiff decides (:data:`DECLINED`, a repeated tag) — or a machine without
numba, libdeflate or ``os.pread`` (Windows) is read by GDAL as before (:func:`tile_reader`
answers None); so is a row of tiles with a tile whose stream inflates to more than
``LONGER_FACTOR`` tiles.
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

MAX_STRIP_BYTES = 64 << 20
"""Largest row of tiles decoded here (a strip is one; the match-ups hold three at a time): a
full scene's 5 bands of 256-row tiles take 39 MB, taller tiles are left to GDAL's strips."""

DECODED, DAMAGED, LONGER = "decoded", "damaged", "longer"
"""What became of a tile: decoded (a sound stream longer than a tile too: its first tile's
worth, as libtiff takes from such "odd files in the wild"); damaged: unreadable, failing its
checks (libtiff does not check the Adler-32 sum: GDAL returns whatever zlib made of such a
stream) or inflating to less than a tile; longer than ``LONGER_FACTOR`` tiles: GDAL reads the
rows."""

LONGER_FACTOR = 4
"""Tiles' worth of room a stream longer than one tile is inflated into, to check it whole."""

INSUFFICIENT_SPACE = 3
"""``LIBDEFLATE_INSUFFICIENT_SPACE``: the stream inflates to more than the buffer."""

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
        descriptor = os.open(grid.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    reader = None
    try:
        layout = _layout(_first_directory(descriptor), grid)
        if layout is not None:
            reader = TileReader(grid, descriptor, layout, library,
                                predictor_kernel.undo_float_predictor)  # fmt: skip
    except (AttributeError, OSError, struct.error, ValueError, OverflowError, MemoryError):
        reader = None  # a damaged directory (GDAL says what), a libdeflate without these calls
    finally:
        if reader is None:
            os.close(descriptor)
    return reader


NEEDED = (WIDTH, HEIGHT, BITS, COMPRESSION, SAMPLES, PLANAR, PREDICTOR, TILE_WIDTH, TILE_HEIGHT,
          TILE_OFFSETS, TILE_BYTE_COUNTS, SAMPLE_FORMAT)  # fmt: skip
"""The tags whose values the gate reads."""

DECLINED = (266, 273, 279)
"""Tags that make GDAL read the file: FillOrder (libtiff reverses the bits where it is 2),
StripOffsets and StripByteCounts (which of them and the tile tags libtiff uses is its own)."""


def directory_entries(read_at):
    """(BigTIFF?, entries) of the first image directory of a little-endian TIFF, or None for
    any other file: each entry (tag, field type, count, its value field's bytes, the file
    position of the entry). ``read_at(offset, size)`` returns the file's bytes there.

    Raises:
        struct.error: the file is shorter than its structure says.
    """
    header = read_at(0, 16)
    if len(header) < 16:
        raise struct.error("short header")
    big = header[:4] == b"II+\0"
    if not big and header[:4] != b"II*\0":
        return None
    position = struct.unpack_from("<Q" if big else "<I", header, 8 if big else 4)[0]
    count_format, entry_format = ("<Q", "<HHQ8s") if big else ("<H", "<HHI4s")
    head = struct.calcsize(count_format)
    (count,) = struct.unpack(count_format, read_at(position, head))
    width = struct.calcsize(entry_format)
    table = read_at(position + head, count * width)
    first = position + head
    return big, [(*struct.unpack_from(entry_format, table, i * width), first + i * width)
                 for i in range(count)]  # fmt: skip


def _first_directory(descriptor):
    """{tag: (n,) int64 values} of the tags :data:`NEEDED` of the first image directory of a
    little-endian TIFF open at ``descriptor`` (read with ``os.pread``: the very file the
    tiles are read from), or {} for any other file, a repeated tag (libtiff keeps the first
    copy) or one of :data:`DECLINED`.

    Raises:
        struct.error: the file is shorter than its structure says (no read past its end).
    """
    size = os.fstat(descriptor).st_size

    def read_at(offset, length):
        if offset + length > size:
            raise struct.error("past the end of the file")
        return os.pread(descriptor, length, offset)

    directory = directory_entries(read_at)
    if directory is None:
        return {}
    big, entries = directory
    tags, seen = {}, set()
    for tag, kind, count, inline, _ in entries:
        if tag in seen or tag in DECLINED:
            return {}
        seen.add(tag)
        if tag not in NEEDED:
            continue
        if kind not in _TYPES:
            return {}
        dtype = np.dtype(_TYPES[kind])
        length = count * dtype.itemsize
        if length <= len(inline):
            data = inline[:length]
        else:
            data = read_at(struct.unpack("<Q" if big else "<I", inline)[0], length)
        tags[tag] = np.frombuffer(data, dtype=dtype, count=count).astype(np.int64)
    return tags


def _layout(tags, grid):
    """The tile layout (a dict) the reader needs, or None unless the directory is one it
    decodes to GDAL's values."""
    need = (WIDTH, HEIGHT, BITS, COMPRESSION, TILE_WIDTH, TILE_HEIGHT, TILE_OFFSETS,
            TILE_BYTE_COUNTS, SAMPLE_FORMAT)  # fmt: skip
    if not all(tag in tags and tags[tag].size for tag in need):  # a count of 0: GDAL's
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
        and planar in (1, 2) and tile_height > 0 and tile_width > 0
        and tile_height * tile_width * spp * 4 <= MAX_STRIP_BYTES
        and tile_height * grid.width * spp * 4 <= MAX_STRIP_BYTES
        and offsets.size == counts.size == tiles and (offsets > 0).all() and (counts > 0).all()
    )  # fmt: skip
    if not plain:
        return None
    return {"spp": spp, "planar": planar, "tile": (tile_height, tile_width), "grid": (down, across),
            "offsets": offsets, "counts": counts, "predictor": first.get(PREDICTOR, 1)}  # fmt: skip


def unreadable_rows(path, row, error):
    """The message for Landsat raster ``path`` failing to read from ``row`` with ``error``."""
    return (f"Landsat raster {path} cannot be read from row {row} ({error}): the file is "
            "damaged or changed while it was read. Check it with gdalinfo -checksum; if another "
            "program is writing it, run again when it is done.")  # fmt: skip


class TileReader:
    """The rows of tiles of one Landsat raster, each decoded on ``compute_threads()`` threads
    (libdeflate and the compiled predictor release the GIL).

    Args:
        grid: its ``TargetGrid``; descriptor: the file, open (closed by :meth:`close`);
        layout: from :func:`_layout`; library: libdeflate;
        undo: :func:`.predictor_kernel.undo_float_predictor`.
    """

    def __init__(self, grid, descriptor, layout, library, undo):
        self.grid, self.layout, self._undo = grid, layout, undo
        self.tile_height, self.tile_width = layout["tile"]
        self._alloc = c_function(library, "libdeflate_alloc_decompressor", ctypes.c_void_p)
        self._free = c_function(library, "libdeflate_free_decompressor", None, ctypes.c_void_p)
        self._inflate = c_function(library, "libdeflate_zlib_decompress", ctypes.c_int,
                                   ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t,
                                   ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p)  # fmt: skip
        self._file = descriptor
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

    def tile_row(self, down, out=None):
        """(bands, rows, width) float32: the raster rows of tile row ``down``, decoded into
        ``out`` when given (an array of that shape); where a tile does not decode as expected
        (libtiff accepts some odd streams), GDAL reads the rows.

        Raises:
            GociResampleError: the rows cannot be read (the file is damaged, or changed while
                it was read).
        """
        first = down * self.tile_height
        height = min(self.tile_height, self.grid.height - first)
        if out is None:
            out = np.empty((self.grid.band_count, height, self.grid.width), dtype=np.float32)
        planes = self.layout["spp"] if self.layout["planar"] == 2 else 1
        across = self.layout["grid"][1]
        jobs = [(band, column) for band in range(planes) for column in range(across)]
        calls = [self._pool.submit(self._decode, down, band, column, out) for band, column in jobs]
        decoded = [call.result() for call in calls]  # every tile done before ``out`` is let go
        if DAMAGED in decoded:
            raise GociResampleError(
                f"Landsat raster {self.grid.path} has a damaged tile in the rows from {first} "
                "(its data fail their checksum, or are cut short): it is corrupt or changed "
                "while it was read (GDAL would return wrong numbers there without a word). "
                "Check it with gdalinfo -checksum; if another program is writing it, run again "
                "when it is done."
            )
        if LONGER in decoded:
            return self._read_by_gdal(first, height)
        return out

    def _read_by_gdal(self, first, height):
        import rasterio

        try:
            with rasterio.open(self.grid.path) as dataset:
                window = rasterio.windows.Window(0, first, self.grid.width, height)
                return dataset.read(window=window, out_dtype=np.float32)
        except (rasterio.errors.RasterioError, OSError) as error:
            raise GociResampleError(unreadable_rows(self.grid.path, first, error)) from None

    def _decode(self, down, band, column, out):
        """Decode the tile (``down``, ``column``) of plane ``band`` into ``out``: ``DECODED``,
        or ``DAMAGED`` or ``LONGER`` (nothing written)."""
        spp, planar = self.layout["spp"], self.layout["planar"]
        samples = 1 if planar == 2 else spp
        down_count, across = self.layout["grid"]
        k = (band * down_count + down) * across + column
        offset, count = int(self.layout["offsets"][k]), int(self.layout["counts"][k])
        expected = self.tile_height * self.tile_width * samples * 4
        raw = self._buffer(expected)
        try:
            compressed = os.pread(self._file, count, offset)
        except OSError:
            return DAMAGED
        if len(compressed) != count:  # the file was cut short
            return DAMAGED
        written = ctypes.c_size_t(0)
        status = self._inflate(self._decompressor(), compressed, count, raw.ctypes.data,
                               expected, ctypes.byref(written))  # fmt: skip
        if status == INSUFFICIENT_SPACE:  # damaged, or a whole stream longer than a tile
            longer = np.empty(LONGER_FACTOR * expected, dtype=np.uint8)
            room = (longer.ctypes.data, longer.size, ctypes.byref(written))
            status = self._inflate(self._decompressor(), compressed, count, *room)
            if status == INSUFFICIENT_SPACE:
                return LONGER
            if status == 0 and written.value >= expected:  # as libtiff: the first tile's worth
                raw[:] = longer[:expected]
                written.value = expected
        if status != 0 or written.value != expected:
            return DAMAGED
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
        return DECODED

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
