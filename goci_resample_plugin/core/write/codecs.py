"""The codecs of the output GeoTIFF's tiles, called through ctypes: the libraries GDAL itself
links (libdeflate for DEFLATE, libzstd for ZSTD), found where GDAL's are, so that the tiles
:mod:`.tiles` encodes are the ones GDAL would write."""

import ctypes
import ctypes.util
import functools
import sys


@functools.cache
def _library(names):
    """The first of the shared libraries ``names`` that loads, or None."""
    for name in names:
        found = ctypes.util.find_library(name) or name
        try:
            return ctypes.CDLL(found)
        except OSError:
            continue
    return None


class _Deflate:
    """libdeflate's zlib format (TIFF compression 8, "Adobe Deflate"), the library GDAL uses."""

    names = ("deflate", "libdeflate.so.0", "libdeflate.dll", "deflate.dll", "libdeflate.dylib")
    compression = 8

    def __init__(self, library, options):
        self.level = int(options["zlevel"])
        self._alloc = library.libdeflate_alloc_compressor
        self._alloc.argtypes, self._alloc.restype = [ctypes.c_int], ctypes.c_void_p
        self._free = library.libdeflate_free_compressor
        self._free.argtypes, self._free.restype = [ctypes.c_void_p], None
        self._bound = library.libdeflate_zlib_compress_bound
        self._bound.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        self._bound.restype = ctypes.c_size_t
        self._compress = library.libdeflate_zlib_compress
        self._compress.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t,
                                   ctypes.c_void_p, ctypes.c_size_t]  # fmt: skip
        self._compress.restype = ctypes.c_size_t

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
    compression = 50000

    def __init__(self, library, options):
        self.level = int(options["zstd_level"])
        self._create = library.ZSTD_createCCtx
        self._create.argtypes, self._create.restype = [], ctypes.c_void_p
        self._free = library.ZSTD_freeCCtx
        self._free.argtypes, self._free.restype = [ctypes.c_void_p], ctypes.c_size_t
        self._bound = library.ZSTD_compressBound
        self._bound.argtypes, self._bound.restype = [ctypes.c_size_t], ctypes.c_size_t
        self._is_error = library.ZSTD_isError
        self._is_error.argtypes, self._is_error.restype = [ctypes.c_size_t], ctypes.c_uint
        self._compress = library.ZSTD_compressCCtx
        self._compress.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t,
                                   ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]  # fmt: skip
        self._compress.restype = ctypes.c_size_t

    def new(self):
        return self._create()

    def free(self, context):
        self._free(context)

    def bound(self, context, size):
        return self._bound(size)

    def compress(self, context, source, size, target, capacity):
        written = self._compress(context, target, capacity, source, size, self.level)
        return 0 if self._is_error(written) else written


_CODECS = {"deflate": _Deflate, "zstd": _Zstd}


def tile_codec(profile):
    """The codec that encodes ``profile``'s tiles here (its ``compress`` and level options), or
    None where GDAL has to: the library is missing, or this machine is big-endian (the
    predictor below is written for little-endian floats)."""
    kind = _CODECS.get(str(profile.get("compress", "")).lower())
    if kind is None or sys.byteorder != "little" or profile.get("predictor") != 3:
        return None
    library = _library(kind.names)
    if library is None:
        return None
    try:
        return kind(library, profile)
    except (AttributeError, KeyError, ValueError):  # an older library without these calls
        return None
