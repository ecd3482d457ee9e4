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


def _function(library, name, restype, *argtypes):
    """``library``'s C function ``name`` with its result and argument types set."""
    function = getattr(library, name)
    function.restype, function.argtypes = restype, list(argtypes)
    return function


_POINTER, _SIZE = ctypes.c_void_p, ctypes.c_size_t


class _Deflate:
    """libdeflate's zlib format (TIFF compression 8, "Adobe Deflate"), the library GDAL uses."""

    names = ("deflate", "libdeflate.so.0", "libdeflate.dll", "deflate.dll", "libdeflate.dylib")

    def __init__(self, library, options):
        self.level = int(options["zlevel"])
        self._alloc = _function(library, "libdeflate_alloc_compressor", _POINTER, ctypes.c_int)
        self._free = _function(library, "libdeflate_free_compressor", None, _POINTER)
        self._bound = _function(library, "libdeflate_zlib_compress_bound", _SIZE, _POINTER, _SIZE)
        self._compress = _function(library, "libdeflate_zlib_compress", _SIZE,
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
        self._create = _function(library, "ZSTD_createCCtx", _POINTER)
        self._free = _function(library, "ZSTD_freeCCtx", _SIZE, _POINTER)
        self._bound = _function(library, "ZSTD_compressBound", _SIZE, _SIZE)
        self._is_error = _function(library, "ZSTD_isError", ctypes.c_uint, _SIZE)
        self._compress = _function(library, "ZSTD_compressCCtx", _SIZE, _POINTER, _POINTER,
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


_CODECS = {"deflate": _Deflate, "zstd": _Zstd}


def tile_codec(profile):
    """The codec that encodes ``profile``'s tiles here (its ``compress`` and level options), or
    None where GDAL has to: the library is missing, or this machine is big-endian (the
    predictor of :mod:`.tiles` is written for little-endian floats)."""
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
