"""The codecs of the output GeoTIFF's tiles, called through ctypes.

DEFLATE: Intel's ISA-L (``igzip``, Debian ``libisal2``) where it is installed, else libdeflate,
the library GDAL links. On a full GOCI-II output (predicted float tiles of smooth radiance)
ISA-L's level 1 encodes 2.5 × faster than libdeflate's level 1 for a file ~4 % larger
(interpolated fields; ~19 % for Nearest's small, blocky files): the same lossless DEFLATE
stream, read by every TIFF reader, but not byte for byte what GDAL writes.
ZSTD: libzstd, as GDAL writes it.
"""

import ctypes
import sys

from ..system import LIBDEFLATE, c_function, shared_library

_POINTER, _SIZE = ctypes.c_void_p, ctypes.c_size_t


class _Deflate:
    """libdeflate's zlib format (TIFF compression 8, "Adobe Deflate"), the library GDAL uses."""

    names = LIBDEFLATE

    def __init__(self, library, options):
        self.level = int(options["zlevel"])
        self._alloc = c_function(library, "libdeflate_alloc_compressor", _POINTER, ctypes.c_int)
        self._free = c_function(library, "libdeflate_free_compressor", None, _POINTER)
        self._bound = c_function(library, "libdeflate_zlib_compress_bound", _SIZE, _POINTER, _SIZE)
        self._compress = c_function(library, "libdeflate_zlib_compress", _SIZE,
                                   _POINTER, _POINTER, _SIZE, _POINTER, _SIZE)  # fmt: skip

    def new(self):
        return self._alloc(self.level)

    def free(self, context):
        self._free(context)

    def bound(self, context, size):
        return self._bound(context, size)

    def compress(self, context, source, size, target, capacity):
        return self._compress(context, source, size, target, capacity)  # 0 = did not fit


class _Zstd:
    """A Zstandard frame (TIFF compression 50000, as GDAL writes it)."""

    names = ("zstd", "libzstd.so.1", "libzstd.dll", "zstd.dll", "libzstd.dylib")

    def __init__(self, library, options):
        self.level = int(options["zstd_level"])
        self._create = c_function(library, "ZSTD_createCCtx", _POINTER)
        self._free = c_function(library, "ZSTD_freeCCtx", _SIZE, _POINTER)
        self._bound = c_function(library, "ZSTD_compressBound", _SIZE, _SIZE)
        self._is_error = c_function(library, "ZSTD_isError", ctypes.c_uint, _SIZE)
        self._compress = c_function(library, "ZSTD_compressCCtx", _SIZE, _POINTER, _POINTER,
                                   _SIZE, _POINTER, _SIZE, ctypes.c_int)  # fmt: skip

    def new(self):
        return self._create()

    def free(self, context):
        self._free(context)

    def bound(self, context, size):
        return self._bound(size)

    def compress(self, context, source, size, target, capacity):
        written = self._compress(context, target, capacity, source, size, self.level)
        return 0 if self._is_error(written) else written


class _IsalStream(ctypes.Structure):
    """ISA-L's ``struct isal_zstream`` (``igzip_lib.h`` of ISA-L 2.30): the fields set here,
    then the internal state, given more room than it takes (~80 KiB)."""

    _fields_ = [
        ("next_in", _POINTER), ("avail_in", ctypes.c_uint32), ("total_in", ctypes.c_uint32),
        ("next_out", _POINTER), ("avail_out", ctypes.c_uint32), ("total_out", ctypes.c_uint32),
        ("hufftables", _POINTER), ("level", ctypes.c_uint32), ("level_buf_size", ctypes.c_uint32),
        ("level_buf", _POINTER), ("end_of_stream", ctypes.c_uint16),
        ("flush", ctypes.c_uint16), ("gzip_flag", ctypes.c_uint16), ("hist_bits", ctypes.c_uint16),
        ("internal_state", ctypes.c_uint8 * (1 << 17)),
    ]  # fmt: skip


class _IsalDeflate:
    """ISA-L's one-shot DEFLATE in the zlib format (TIFF compression 8), levels 1–3."""

    names = ("libisal.so.2", "libisal.2.dylib")
    """Soname 2 only: :class:`_IsalStream` is the layout of its ABI."""
    ZLIB = 3
    """``IGZIP_ZLIB``: the zlib header and Adler-32 trailer around the DEFLATE stream."""
    LEVEL_BUFFER = 1 << 20
    """Bytes of the level buffer: more than ``ISAL_DEF_LVL3_DEFAULT`` (levels 1–3 need it)."""

    def __init__(self, library, options):
        self.level = min(max(int(options["zlevel"]), 1), 3)
        self._init = c_function(library, "isal_deflate_stateless_init", None, _POINTER)
        self._compress = c_function(library, "isal_deflate_stateless", ctypes.c_int, _POINTER)
        # a release with the zlib header calls (2.30 has them) has the structure above
        c_function(library, "isal_write_zlib_header", ctypes.c_int, _POINTER, _POINTER)

    def new(self):
        return _IsalStream(), ctypes.create_string_buffer(self.LEVEL_BUFFER)

    def free(self, context):
        pass  # both buffers are Python's

    def bound(self, context, size):
        return size + 5 * (size // 65535 + 1) + 1024  # stored blocks at worst, zlib's wrapping

    def compress(self, context, source, size, target, capacity):
        stream, level_buffer = context
        self._init(ctypes.byref(stream))
        stream.next_in, stream.avail_in = source, size
        stream.next_out, stream.avail_out = target, capacity
        stream.level, stream.gzip_flag, stream.end_of_stream = self.level, self.ZLIB, 1
        stream.level_buf = ctypes.addressof(level_buffer)
        stream.level_buf_size = self.LEVEL_BUFFER
        if self._compress(ctypes.byref(stream)) != 0:  # COMP_OK
            return 0
        return stream.total_out


_CODECS = {"deflate": (_IsalDeflate, _Deflate), "zstd": (_Zstd,)}
"""The libraries that can encode each codec's tiles, the fastest first."""


def tile_codec(profile):
    """The codec that encodes ``profile``'s tiles here (its ``compress`` and level options), the
    first of its libraries that loads, or None where GDAL has to: none loads, or this
    machine is big-endian (the predictor of :mod:`.tiles` is written for little-endian
    floats)."""
    kinds = _CODECS.get(str(profile.get("compress", "")).lower(), ())
    if sys.byteorder != "little" or profile.get("predictor") != 3:
        return None
    for kind in kinds:
        library = shared_library(kind.names)
        if library is None:
            continue
        try:
            return kind(library, profile)
        except (AttributeError, KeyError, ValueError):  # an older library without these calls
            continue
    return None
