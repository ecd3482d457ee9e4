"""What produced an output: the plugin version and the versions of the libraries it ran on."""

import configparser
import functools
import platform

from .paths import plugin_file


@functools.cache
def plugin_metadata(key):
    """Return ``key`` of ``metadata.txt``'s [general] section (the one source of metadata)."""
    metadata = configparser.ConfigParser(interpolation=None)
    metadata.read(plugin_file("metadata.txt"), encoding="utf-8")
    return metadata.get("general", key)


def plugin_version():
    """Return the plugin version from ``metadata.txt``."""
    return plugin_metadata("version")


def library_versions():
    """Return ``{name: version}`` for Python and the libraries the core runs on."""
    import netCDF4
    import numpy
    import pyproj
    import pyresample
    import rasterio

    return {
        "goci_resample": plugin_version(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "netCDF4": netCDF4.__version__,
        "rasterio": rasterio.__version__,
        "gdal": rasterio.__gdal_version__,
        "pyproj": pyproj.__version__,
        "proj": pyproj.proj_version_str,
        "pyresample": pyresample.__version__,
    }
