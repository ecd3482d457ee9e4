"""GeoTIFF tiles encoded here, on every core, into a file whose structure GDAL wrote.

GDAL encodes a tile through libtiff, whose floating-point predictor (TIFF Technical Note 3)
goes a byte at a time: of the ~14.8 CPU seconds GDAL spent writing a full GOCI-II output
(5 bands of 7700 × 7800), ~7 were that predictor (an all-NaN raster of the same size cost
10.4 s with it, 3.3 s without). Here the predictor is a few numpy passes per tile and the
codec (:mod:`.codecs`: ISA-L or libdeflate, libzstd) is called on every core, and a tile of
one value is encoded once: the same output cost 7.3 CPU seconds with libdeflate
(``scripts/bench.py`` measures it as *write only*).

The file stays GDAL's own: GDAL creates it (header, tags, georeferencing, band metadata) with
``SPARSE_OK`` and no tile, :class:`TileFile` appends the encoded tiles and points the
``TileOffsets`` and ``TileByteCounts`` tags at them. Every tile is written, so the result is
an ordinary tiled GeoTIFF; with libdeflate or libzstd its tile bytes are what libtiff
writes for the same codec level.
Without the codec's library (or on a big-endian machine) :func:`.codecs.tile_codec` returns
None and GDAL writes the tiles.
"""

import concurrent.futures
import functools
import os
import struct

import numpy as np

from ..errors import GociResampleError
from ..read.tiff_tiles import TILE_BYTE_COUNTS, TILE_OFFSETS, directory_entries

LONG, LONG8 = 4, 16
"""TIFF field types: unsigned 32-bit (classic TIFF), unsigned 64-bit (BigTIFF)."""

CLASSIC_LIMIT = 1 << 32
"""Bytes a classic TIFF can address."""


def predicted(block, tile):
    """Return (tile, 4 · tile) uint8: a tile under TIFF's floating-point predictor.

    ``block`` is the tile's part of the raster, (rows, cols) float32 with rows, cols ≤ tile;
    the rest of the tile is 0, as GDAL pads it. Per tile row (Technical Note 3,
    little-endian): the 4 bytes of each float regrouped by significance, most significant
    first (4 planes of ``tile`` bytes), then every byte replaced by its difference, modulo
    256, from the byte before it.
    """
    rows, cols = block.shape
    if (rows, cols) != (tile, tile):
        full = np.zeros((tile, tile), dtype=np.float32)  # GDAL pads with 0 too
        full[:rows, :cols] = block
        block = full
    try:
        as_bytes = block.view(np.uint8)
    except ValueError:  # numpy < 1.23 views only contiguous arrays as bytes
        as_bytes = np.ascontiguousarray(block).view(np.uint8)
    grouped = np.empty((tile, 4, tile), dtype=np.uint8)
    grouped[...] = as_bytes.reshape(tile, tile, 4).transpose(0, 2, 1)[:, ::-1]
    flat = grouped.reshape(tile, 4 * tile)
    out = np.empty_like(flat)
    out[:, 0] = flat[:, 0]
    np.subtract(flat[:, 1:], flat[:, :-1], out=out[:, 1:])
    return out


def _constant_bits(block):
    """The 32-bit pattern every pixel of ``block`` ((rows, cols) float32) holds, or None: a
    tile of one value (NaN outside the footprint, a third of a scene's tiles) encodes to the
    same bytes each time, so it is encoded once."""
    bits = block.view(np.uint32)  # same item size: a view of any strides
    first = bits[0, 0]
    if bits[-1, -1] != first or bits[0, -1] != first or bits[-1, 0] != first:
        return None
    return int(first) if (bits == first).all() else None


def needs_bigtiff(codec, profile):
    """Whether ``profile``'s raster could pass the 4 GiB a classic TIFF addresses, every tile
    at the codec's worst case."""
    tile = profile["blockxsize"]
    tiles = _tiles_per_band(profile) * profile["count"]
    context = codec.new()
    try:
        worst = codec.bound(context, tile * tile * 4)
    finally:
        codec.free(context)
    return tiles * (worst + 16) + (64 << 20) >= CLASSIC_LIMIT


def _tiles_per_band(profile):
    tile = profile["blockxsize"]
    return -(-profile["width"] // tile) * -(-profile["height"] // tile)


class TileFile:
    """The tiles of a GeoTIFF that GDAL created with ``SPARSE_OK`` and no tile, written row
    of tiles by row of tiles as strips arrive, each row's tiles encoded on ``threads`` threads.

    Args:
        path: the file GDAL created (opened here without following a symlink).
        shown_as: the name to give in messages.
        profile: its rasterio profile (``width``, ``height``, ``count``, ``blockxsize``).
        codec: from :func:`.codecs.tile_codec`.
        threads: encoding threads.

    Raises:
        GociResampleError: the file cannot be opened or is not the structure expected.
    """

    def __init__(self, path, shown_as, profile, codec, threads):
        self.shown_as, self.codec = shown_as, codec
        self.tile, self.count = profile["blockxsize"], profile["count"]
        self.width, self.height = profile["width"], profile["height"]
        self.across = -(-self.width // self.tile)
        tiles = _tiles_per_band(profile) * self.count
        self.offsets = np.zeros(tiles, dtype=np.uint64)
        self.byte_counts = np.zeros(tiles, dtype=np.uint64)
        flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        try:
            self._file = os.fdopen(os.open(path, flags), "r+b")
        except OSError as error:
            raise write_failed(shown_as, error) from None
        self._pool, self._contexts = None, []
        self._next_row, self._gathered = 0, None
        try:
            self._big, self._entries = _tile_entries(self._file, tiles, shown_as)
            self._end = self._file.seek(0, os.SEEK_END)
            self._contexts = [codec.new() for _ in range(max(1, threads))]
            if not all(self._contexts):
                raise MemoryError("no memory for the tile encoder")
            capacity = codec.bound(self._contexts[0], self.tile * self.tile * 4)
            self._buffers = [np.empty(capacity, dtype=np.uint8) for _ in self._contexts]
            self._constant_tiles = [{} for _ in self._contexts]  # (bits, shape): its bytes
            self._pool = concurrent.futures.ThreadPoolExecutor(len(self._contexts))
        except BaseException:
            self.close(giving_up=True)
            raise

    def write(self, row_start, strip, meanwhile=None):
        """Add the rows of ``strip`` ((count, rows, width) float32) from ``row_start``; strips
        come in order, each row once, of any height. Each row of tiles is encoded and appended
        once complete: straight from ``strip`` when it holds the whole row of tiles (strips of
        the tile size), else from rows gathered here. ``meanwhile(strip)`` runs while they
        encode (or, when none completes, before returning)."""
        count, rows, width = strip.shape
        if (row_start != self._next_row or row_start + rows > self.height
                or (count, width) != (self.count, self.width)):  # fmt: skip
            raise ValueError(f"rows {row_start}+{rows} of {count} × {width} do not follow row "
                             f"{self._next_row} of the {self.count}-band {self.height} × "
                             f"{self.width} raster")  # fmt: skip
        self._next_row += rows
        done = 0
        while done < rows:
            top = row_start + done
            first = top - top % self.tile  # the row of tiles the next rows belong to
            tile_rows = min(self.tile, self.height - first)
            take = min(rows - done, first + tile_rows - top)
            if top == first and take == tile_rows:
                block = strip[:, done : done + take]
            else:
                if self._gathered is None or self._gathered.shape[1] != tile_rows:
                    self._gathered = np.empty((count, tile_rows, width), dtype=np.float32)
                self._gathered[:, top - first : top - first + take] = strip[:, done : done + take]
                block = self._gathered if top + take == first + tile_rows else None
            if block is not None:
                self._append(first // self.tile, block,
                             meanwhile and functools.partial(meanwhile, strip))  # fmt: skip
                meanwhile = None
            done += take
        if meanwhile is not None:
            meanwhile(strip)

    def _append(self, tile_row, block, meanwhile):
        """Encode row of tiles ``tile_row`` from ``block`` ((count, rows, width)) on the
        threads, ``meanwhile()`` running here meanwhile, and append its tiles in tag order."""
        items = [(band, column) for band in range(self.count) for column in range(self.across)]
        share = len(self._contexts)
        parts = [items[k::share] for k in range(share)]
        futures = [self._pool.submit(self._encode, k, block, part) for k, part in enumerate(parts)]
        if meanwhile is not None:
            meanwhile()
        encoded = {}
        for future in futures:
            encoded.update(future.result())
        per_band = self.offsets.size // self.count
        try:
            for band, column in items:
                payload = encoded[band, column]
                index = band * per_band + tile_row * self.across + column
                self.offsets[index], self.byte_counts[index] = self._end, len(payload)
                self._file.write(payload)
                self._end += len(payload)
        except OSError as error:
            raise write_failed(self.shown_as, error) from None

    def _encode(self, k, strip, part):
        context, buffer, tile = self._contexts[k], self._buffers[k], self.tile
        encoded = {}
        for band, column in part:
            block = strip[band, :, column * tile : (column + 1) * tile]
            constant = _constant_bits(block)  # outside the scene's footprint: all NaN
            key = (constant, block.shape)
            if constant is not None and key in self._constant_tiles[k]:
                encoded[band, column] = self._constant_tiles[k][key]
                continue
            tile_bytes = predicted(block, tile)
            size = self.codec.compress(context, tile_bytes.ctypes.data, tile_bytes.nbytes,
                                       buffer.ctypes.data, buffer.nbytes)  # fmt: skip
            if not size:
                raise GociResampleError(f"Encoding a tile of {self.shown_as} failed.")
            encoded[band, column] = buffer[:size].tobytes()
            if constant is not None:
                self._constant_tiles[k][key] = encoded[band, column]
        return encoded

    def finish(self):
        """Write the tiles' offsets and byte counts and point the two tags at them.

        Raises:
            GociResampleError: a tile was never written, the file passed what a classic TIFF
                addresses, or writing failed (a full disk).
        """
        if not self.byte_counts.all():
            raise GociResampleError(f"Not every tile of {self.shown_as} was written.")
        kind, value_size = (LONG8, 8) if self._big else (LONG, 4)
        dtype = "<u8" if self._big else "<u4"
        position = self._end + (-self._end % 8)
        tables = []
        for values in (self.offsets, self.byte_counts):
            data = values.astype(dtype).tobytes()
            if len(data) <= value_size:  # small enough to sit in the tag itself
                tables.append((None, data.ljust(value_size, b"\0")))
            else:
                tables.append((position, data))
                position += len(data) + (-len(data) % 8)
        if not self._big and position >= CLASSIC_LIMIT:
            raise GociResampleError(
                f"{self.shown_as} would pass the 4 GiB a classic TIFF can hold; choose "
                "fewer bands or a smaller Landsat scene."
            )
        try:
            for (where, data), entry in zip(tables, self._entries):
                if where is not None:
                    self._file.seek(where)
                    self._file.write(data)
                self._file.seek(entry + 2)
                self._file.write(struct.pack("<H", kind))
                self._file.seek(entry + (12 if self._big else 8))
                pointer = data if where is None else struct.pack("<Q" if self._big else "<I", where)
                self._file.write(pointer)
            self._file.flush()
        except OSError as error:
            raise write_failed(self.shown_as, error) from None

    def close(self, giving_up=False):
        """Stop the encoders and close the file, after :meth:`finish` or, ``giving_up``, after
        a failure or a cancel (the file is then discarded: writing its last buffered bytes may
        fail on a full disk without hiding why the run stopped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        for context in self._contexts:
            self.codec.free(context)
        self._contexts = []
        try:
            self._file.close()
        except OSError as error:
            if not giving_up:
                raise write_failed(self.shown_as, error) from None


def _tile_entries(handle, tiles, shown_as):
    """(BigTIFF?, file positions of the TileOffsets and TileByteCounts entries of the first
    directory) of a little-endian TIFF whose tags count ``tiles`` tiles.

    Raises:
        GociResampleError: the file is cut short (GDAL does not report a full disk when it
            closes the file it made), or is not the TIFF asked for.
    """
    try:
        return _parsed_entries(handle, tiles, shown_as)
    except (struct.error, OSError) as error:  # struct: fewer bytes than the structure says
        reason = "the file GDAL made is incomplete" if isinstance(error, struct.error) else error
        raise write_failed(shown_as, reason) from None


def _parsed_entries(handle, tiles, shown_as):
    def read_at(offset, size):
        handle.seek(offset)
        return handle.read(size)

    directory = directory_entries(read_at)
    if directory is None:
        raise GociResampleError(f"{shown_as} is not the little-endian TIFF GDAL was asked for.")
    big, entries = directory
    found = {tag: position for tag, _, count, _, position in entries
             if tag in (TILE_OFFSETS, TILE_BYTE_COUNTS) and count == tiles}  # fmt: skip
    if len(found) != 2:
        raise GociResampleError(f"{shown_as} lacks the tile tags GDAL was asked to write.")
    return big, (found[TILE_OFFSETS], found[TILE_BYTE_COUNTS])


def write_failed(shown_as, error):
    """The user's message when writing the raster ``shown_as`` failed: ``error`` an exception
    (an ``OSError``'s reason is its text) or the reason itself."""
    reason = getattr(error, "strerror", None) or error
    return GociResampleError(
        f"Writing {shown_as} failed ({reason}). Check the free space and that the folder is "
        "still writable."
    )
