"""The libraries the core needs, and what to tell a user whose QGIS lacks some of them.

The plugin never installs anything by itself: it names what is missing and the command for
the user's platform. numpy always comes with QGIS; numba is optional (speed only). pyresample
is not needed: the engines implement its ``kd_tree`` semantics themselves (the KD-tree engine on
pykdtree, the tree pyresample uses); the tests compare against it. Importing it (with dask)
took 0.4 s of every run.
"""

import importlib

from .errors import GociResampleError

REQUIRED = {
    # import name: (Debian/Ubuntu package, OSGeo4W package, pip name)
    "netCDF4": ("python3-netcdf4", "python3-netcdf4", "netCDF4"),
    "rasterio": ("python3-rasterio", "python3-rasterio", "rasterio"),
    "pyproj": ("python3-pyproj", "python3-pyproj", "pyproj"),
    "pykdtree": ("python3-pykdtree", None, "pykdtree"),
}


def missing_dependencies():
    """Return the import names of the required libraries that cannot be imported."""
    missing = []
    for name in REQUIRED:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing


def require_dependencies():
    """Raise a ``GociResampleError`` saying what is missing and how to install it.

    Raises:
        GociResampleError: one or more required libraries cannot be imported.
    """
    missing = missing_dependencies()
    if missing:
        raise GociResampleError(install_instructions(missing))


def install_instructions(missing):
    """The message for ``missing`` import names: what is missing and the commands per platform."""
    debian = " ".join(REQUIRED[name][0] for name in missing)
    osgeo4w = [REQUIRED[name][1] for name in missing if REQUIRED[name][1]]
    pip_only = [REQUIRED[name][2] for name in missing if not REQUIRED[name][1]]
    pip_all = " ".join(REQUIRED[name][2] for name in missing)
    windows = []
    if osgeo4w:
        windows.append(f"run the OSGeo4W installer (Advanced Install) and add {', '.join(osgeo4w)}")
    if pip_only:
        windows.append(f"in the OSGeo4W Shell: python -m pip install {' '.join(pip_only)}")
    return (
        f"goci-resample needs {', '.join(missing)}, which QGIS's Python cannot import. "
        f"Install {'it' if len(missing) == 1 else 'them'} and restart QGIS:\n"
        f"- Debian/Ubuntu: sudo apt install {debian}\n"
        f"- Windows (OSGeo4W): {'; then '.join(windows)}\n"
        f"- macOS (QGIS.app): /Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install "
        f"--user {pip_all}\n"
        "Install them from the same source as QGIS (never pip-install rasterio, netCDF4 or pyproj "
        "into a Debian/OSGeo4W QGIS: wheels that bundle their own GDAL/PROJ/HDF5 crash QGIS)."
    )
