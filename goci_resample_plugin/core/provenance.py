"""The plugin's own files and what produced an output: plugin version and library versions.

An installed plugin (the ZIP, ``make deploy``) holds ``metadata.txt`` and ``resources/``
inside the package folder; a source checkout keeps them at the repository root, one level up.
"""

import configparser
import functools
import platform
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def plugin_file(*parts):
    """Return the path of a plugin file such as ``metadata.txt`` or ``resources/icon.svg``.

    Looks in the installed layout first, then in the source checkout.

    Raises:
        FileNotFoundError: the file is in neither place (a broken installation).
    """
    for base in (PACKAGE_DIR, PACKAGE_DIR.parent):
        candidate = base.joinpath(*parts)
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"plugin file {'/'.join(parts)} is missing from {PACKAGE_DIR}")


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
    """Return ``{name: version}`` for Python and the libraries the core runs on. Libraries not
    imported by the run itself (pyresample, pykdtree, numba) are read from their installed
    metadata: importing pyresample for its version alone took a quarter of a second."""
    import netCDF4
    import numpy
    import pyproj
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
        **{name: _installed_version(name) for name in ("pyresample", "pykdtree", "numba")},
    }


def _installed_version(distribution):
    """The installed version of ``distribution``, or "not installed"."""
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"
