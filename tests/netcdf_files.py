"""The one helper for making test variants of GOCI subset files.

``load`` reads every variable of every group into plain Python; the caller changes that
content (drop, rename, reshape, retype, re-attribute) and ``save`` writes a new NetCDF4 file
from it. ``edited_copy`` changes a copy in place, for edits that keep shapes and types.
"""

import warnings

import netCDF4
import numpy as np


def load(path):
    """``{group path: {variable: [dimensions, dtype, attributes, data]}}`` of a NetCDF file,
    raw (no masking or scaling)."""
    content = {}
    with netCDF4.Dataset(path) as dataset:
        dataset.set_auto_maskandscale(False)
        for group in [dataset, *dataset.groups.values()]:
            variables = content.setdefault(group.path, {})
            for name, variable in group.variables.items():
                variables[name] = [
                    list(variable.dimensions),
                    variable.dtype,
                    {a: variable.getncattr(a) for a in variable.ncattrs()},
                    np.array(variable[:]),
                ]
    return content


def save(content, path):
    """Write ``content`` (as from :func:`load`) to a new NetCDF4 file; dimensions are named
    after the data's shapes (the reader must not depend on dimension names)."""
    with netCDF4.Dataset(path, "w") as dataset:
        for group_path, variables in content.items():
            group = dataset if group_path == "/" else dataset.createGroup(group_path.strip("/"))
            for name, (_, _, attributes, data) in variables.items():
                data = np.asarray(data)
                attributes = dict(attributes)
                dimensions = [
                    f"d{len(data.shape)}_{axis}_{size}" for axis, size in enumerate(data.shape)
                ]
                for dimension, size in zip(dimensions, data.shape):
                    if dimension not in dataset.dimensions:
                        dataset.createDimension(dimension, size)
                fill = attributes.pop("_FillValue", None)
                if fill is None or _fits(fill, data.dtype):
                    variable = group.createVariable(name, data.dtype, dimensions, fill_value=fill)
                else:  # a fill of another type (-999 for bytes): kept as an attribute
                    variable = group.createVariable(name, data.dtype, dimensions)
                    attributes["_FillValue_text"] = str(fill)
                variable.set_auto_maskandscale(False)
                for key, value in attributes.items():
                    variable.setncattr(key, value)
                variable[:] = data
    return path


def rewritten(source, target, change):
    """Write ``target``: the content of ``source`` after ``change(content)``."""
    content = load(source)
    change(content)
    return save(content, target)


def edited_copy(source, target, edit):
    """Copy ``source`` to ``target`` and let ``edit(dataset)`` change it in place (raw values)."""
    target.write_bytes(source.read_bytes())
    with netCDF4.Dataset(target, "a") as dataset:
        dataset.set_auto_maskandscale(False)
        edit(dataset)
    return target


def _fits(fill, dtype):
    """Whether ``fill`` is a value of ``dtype`` (numpy 2 refuses -999 as uint8, numpy 1 wraps
    it; netCDF4 would define the variable before failing, so it is asked first)."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return bool(np.array(fill).astype(dtype) == fill)
    except (TypeError, ValueError, OverflowError):
        return False
