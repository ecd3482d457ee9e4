"""Bad inputs, one builder per row of docs/robustness.md (ids are the table's first column).

Each builder takes (folder, scene) and returns (goci, landsat, options) for ``resample_pair``.
"""

import numpy as np
import rasterio
from netcdf_files import edited_copy, rewritten

from goci_resample_plugin.core import ResampleOptions


def _copy_goci(scene, folder, edit):
    """A copy of the scene's GOCI file changed in place by ``edit(dataset)``."""
    return edited_copy(scene.goci, folder / scene.goci.name, edit)


def _rebuild_without(scene, folder, group, variable=None, halve=False):
    """A copy of the GOCI file without a group or variable, or with one variable's rows
    halved."""

    def change(content):
        if variable is None:
            del content[f"/{group}"]
        elif halve:
            entry = content[f"/{group}"][variable]
            entry[3] = entry[3][: entry[3].shape[0] // 2]
        else:
            del content[f"/{group}"][variable]

    return rewritten(scene.goci, folder / scene.goci.name, change)


def one_row_copy(scene, folder):
    """A copy of the GOCI file keeping one row (the middle one) of every 2-D variable."""

    def change(content):
        for variables in content.values():
            for entry in variables.values():
                if np.ndim(entry[3]) == 2:
                    middle = entry[3].shape[0] // 2
                    entry[3] = entry[3][middle : middle + 1]

    return rewritten(scene.goci, folder / scene.goci.name, change)


def _landsat_copy(scene, folder, **changes):
    target = folder / scene.landsat.name
    with rasterio.open(scene.landsat) as src:
        profile = src.profile | changes
        data = src.read()
    with rasterio.open(target, "w", **profile) as dst:
        dst.write(data)
    return target


def _written(path, data):
    path.write_bytes(data)
    return path


def _set(variable_path, values):
    def edit(dataset):
        variable = dataset[variable_path]
        variable[:] = np.full(variable.shape, values, dtype=variable.dtype)

    return edit


DEFAULT = ResampleOptions(wavelengths=(443, 660))

BAD_INPUTS = {
    "not-netcdf": lambda f, s: (_written(f / "a_subset.nc", b"hello"), s.landsat, DEFAULT),
    "zero-size": lambda f, s: (_written(f / "a_subset.nc", b""), s.landsat, DEFAULT),
    "truncated": lambda f, s: (
        _written(f / "a_subset.nc", s.goci.read_bytes()[:4000]),
        s.landsat,
        DEFAULT,
    ),
    "no-navigation-data": lambda f, s: (
        _rebuild_without(s, f, "navigation_data"),
        s.landsat,
        DEFAULT,
    ),
    "no-latitude": lambda f, s: (
        _rebuild_without(s, f, "navigation_data", "latitude"),
        s.landsat,
        DEFAULT,
    ),
    "lat-lon-shapes-differ": lambda f, s: (
        _rebuild_without(s, f, "navigation_data", "latitude", halve=True),
        s.landsat,
        DEFAULT,
    ),
    "band-shape-differs": lambda f, s: (
        _rebuild_without(s, f, "geophysical_data", "L_TOA_443", halve=True),
        s.landsat,
        DEFAULT,
    ),
    "lat-out-of-range": lambda f, s: (
        _copy_goci(s, f, _set("navigation_data/latitude", 95.0)),
        s.landsat,
        DEFAULT,
    ),
    "lat-all-nan": lambda f, s: (
        _copy_goci(s, f, _set("navigation_data/latitude", np.nan)),
        s.landsat,
        DEFAULT,
    ),
    "band-missing": lambda f, s: (s.goci, s.landsat, ResampleOptions(wavelengths=(443, 999))),
    "one-row-interpolated": lambda f, s: (
        one_row_copy(s, f),
        s.landsat,
        ResampleOptions(method="bilinear", wavelengths=(443, 660)),
    ),
    "all-pixels-invalid": lambda f, s: (
        _copy_goci(s, f, _set("mask/inside_mask", 0)),
        s.landsat,
        DEFAULT,
    ),
    "landsat-unreadable": lambda f, s: (
        s.goci,
        _written(f / "x_TOA_RAD_B1.tif", b"II*\0junk"),
        DEFAULT,
    ),
    "landsat-no-crs": lambda f, s: (s.goci, _landsat_copy(s, f, crs=None), DEFAULT),
    "landsat-no-geotransform": lambda f, s: (
        s.goci,
        _landsat_copy(s, f, transform=rasterio.Affine.identity()),
        DEFAULT,
    ),
}
"""Inputs that must fail with a message containing the fragment in ``EXPECTED``."""

EXPECTED = {
    "not-netcdf": "cannot be read as NetCDF/HDF5",
    "zero-size": "cannot be read as NetCDF/HDF5",
    "truncated": "cannot be read",
    "no-navigation-data": "has no 'navigation_data' group",
    "no-latitude": "has no navigation_data/latitude",
    "lat-lon-shapes-differ": "must be 2-D arrays of the same shape",
    "band-shape-differs": "band L_TOA_443 has shape",
    "lat-out-of-range": "no pixel has a valid latitude/longitude",
    "lat-all-nan": "no pixel has a valid latitude/longitude",
    "band-missing": "has no band L_TOA_999; it has 443, 490, 555, 660, 865 nm",
    "one-row-interpolated": "needs GOCI's cells between four pixel centres",
    "all-pixels-invalid": "is invalid (fill value, outside the valid range or outside the "
    "footprint mask)",
    "landsat-unreadable": "cannot be read",
    "landsat-no-crs": "has no coordinate reference system",
    "landsat-no-geotransform": "has no geotransform",
}
