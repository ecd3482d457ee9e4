"""Read a GOCI subset NetCDF: curvilinear geolocation, ``L_TOA_<nm>`` bands, invalid pixels.

The file layout is the one written by the upstream calibrate-and-clip step (SPEC §2):
``navigation_data/latitude`` and ``navigation_data/longitude`` (2-D, degrees), bands
``geophysical_data/L_TOA_<nm>`` (or in the root group), and an optional footprint mask
``mask/inside_mask`` (older files: ``mask/inside_footprint``; nonzero = inside). Dimension
names (``y/x`` or ``rows/cols``) are never looked at.
"""

import contextlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..bands import band_wavelength
from ..errors import GociResampleError

MASK_NAMES = ("inside_mask", "inside_footprint")


@dataclass(frozen=True)
class GociBand:
    """One GOCI band with its invalid pixels set to NaN.

    Attributes:
        name: variable name, e.g. ``L_TOA_443``.
        wavelength_nm: centre wavelength in nm, from the name.
        units: the variable's ``units`` attribute ("" when absent).
        values: (rows, cols) float64 radiance after ``scale_factor``/``add_offset``; NaN where
            the pixel is fill, missing, outside ``valid_min``/``valid_max``, not finite, or
            outside the footprint mask.
    """

    name: str
    wavelength_nm: int
    units: str
    values: np.ndarray


@dataclass(frozen=True)
class GociSubset:
    """A GOCI subset: curvilinear geolocation and bands on the same (rows, cols) grid.

    Attributes:
        path: the NetCDF file.
        latitude, longitude: (rows, cols) float64 degrees; NaN where the file has fill.
        bands: the selected bands in wavelength order.
    """

    path: Path
    latitude: np.ndarray
    longitude: np.ndarray
    bands: tuple

    @property
    def shape(self):
        """(rows, cols) of the GOCI grid."""
        return self.latitude.shape

    @property
    def geolocation_valid(self):
        """(rows, cols) bool: latitude and longitude are finite and within ±90° / ±180°."""
        lat, lon = self.latitude, self.longitude
        with np.errstate(invalid="ignore"):
            return (np.abs(lat) <= 90.0) & (np.abs(lon) <= 180.0)

    @property
    def wavelengths(self):
        """Tuple of band wavelengths in nm, in band order."""
        return tuple(band.wavelength_nm for band in self.bands)


def available_bands(path):
    """Return the wavelengths (nm, ascending) of the ``L_TOA_<nm>`` bands in a GOCI subset."""
    path = Path(path)
    with _open_dataset(path) as dataset, _malformed_is_an_error(path):
        return tuple(sorted(_band_variables(_band_group(dataset))))


def read_goci_subset(path, wavelengths=None):
    """Read a GOCI subset NetCDF.

    Args:
        path: the ``.nc`` file.
        wavelengths: band wavelengths in nm to read; ``None`` or empty reads every
            ``L_TOA_*`` band present.

    Returns:
        GociSubset with bands in ascending wavelength order.

    Raises:
        GociResampleError: the file cannot be read, lacks geolocation, a requested band is
            missing, shapes disagree, or no pixel is valid.
    """
    path = Path(path)
    with _open_dataset(path) as dataset, _malformed_is_an_error(path):
        latitude, longitude = _read_geolocation(dataset, path)
        group = _band_group(dataset)
        present = _band_variables(group)
        chosen = _choose_bands(present, wavelengths, path)
        inside = _read_footprint_mask(dataset, latitude.shape, path)
        bands = tuple(
            _read_band(present[wavelength], wavelength, inside, latitude.shape, path)
            for wavelength in chosen
        )
    subset = GociSubset(path, latitude, longitude, bands)
    _check_some_valid(subset)
    return subset


@contextlib.contextmanager
def _malformed_is_an_error(path):
    """Turn what netCDF4/numpy raise on a malformed file (odd types, truncated chunks, broken
    attributes) into a ``GociResampleError`` naming the file; the checks above catch the
    expected problems with more precise messages."""
    try:
        yield
    except GociResampleError:
        raise
    except (
        OSError,
        RuntimeError,
        ValueError,
        TypeError,
        IndexError,
        KeyError,
        AttributeError,
        OverflowError,
        MemoryError,
    ) as error:
        raise GociResampleError(
            f"GOCI file {path} is malformed and cannot be read ({type(error).__name__}: "
            f"{error}). Check that it is a complete GOCI subset written by the "
            "calibrate-and-clip step."
        ) from None


def _open_dataset(path):
    import netCDF4

    if not path.is_file():
        raise GociResampleError(f"GOCI file {path} does not exist. Choose an existing .nc file.")
    try:
        dataset = netCDF4.Dataset(path, "r")
    except OSError as error:
        raise GociResampleError(
            f"GOCI file {path} cannot be read as NetCDF/HDF5 ({error.strerror or error}). "
            "Check that it is a complete GOCI subset .nc file (not truncated or still copying)."
        ) from None
    dataset.set_auto_maskandscale(False)
    return dataset


def _read_geolocation(dataset, path):
    navigation = dataset.groups.get("navigation_data")
    if navigation is None:
        raise GociResampleError(
            f"GOCI file {path} has no 'navigation_data' group, so its pixels cannot be located. "
            "Use the subset NetCDF written by the calibrate-and-clip step."
        )
    arrays = []
    for name in ("latitude", "longitude"):
        if name not in navigation.variables:
            raise GociResampleError(
                f"GOCI file {path} has no navigation_data/{name}. "
                "Use the subset NetCDF written by the calibrate-and-clip step."
            )
        variable = navigation.variables[name]
        values, invalid = _decode(variable)
        values[invalid] = np.nan
        arrays.append(values)
    latitude, longitude = arrays
    if latitude.ndim != 2 or latitude.shape != longitude.shape:
        raise GociResampleError(
            f"GOCI file {path}: latitude {latitude.shape} and longitude {longitude.shape} must be "
            "2-D arrays of the same shape."
        )
    return latitude, longitude


def _band_group(dataset):
    return dataset.groups.get("geophysical_data", dataset)


def _band_variables(group):
    """Return ``{wavelength_nm: variable}`` for the ``L_TOA_<nm>`` variables of a group."""
    found = {}
    for name, variable in group.variables.items():
        wavelength = band_wavelength(name)
        if wavelength is not None:
            found[wavelength] = variable
    return found


def _choose_bands(present, wavelengths, path):
    if not present:
        raise GociResampleError(
            f"GOCI file {path} has no L_TOA_<nm> band in geophysical_data or the root group."
        )
    if not wavelengths:
        return sorted(present)
    missing = [w for w in wavelengths if w not in present]
    if missing:
        raise GociResampleError(
            f"GOCI file {path} has no band {', '.join(f'L_TOA_{w}' for w in missing)}; "
            f"it has {', '.join(str(w) for w in sorted(present))} nm. "
            "Change BANDS or leave it empty to use every band."
        )
    return sorted(set(wavelengths))


def _read_footprint_mask(dataset, shape, path):
    """Return the (rows, cols) bool footprint mask (True = inside), or None if absent."""
    group = dataset.groups.get("mask")
    if group is None:
        return None
    for name in MASK_NAMES:
        if name in group.variables:
            mask = np.asarray(group.variables[name][:])
            if mask.shape != shape:
                raise GociResampleError(
                    f"GOCI file {path}: mask/{name} has shape {mask.shape}, but the geolocation "
                    f"has {shape}."
                )
            return mask != 0
    return None


def _read_band(variable, wavelength, inside, shape, path):
    values, invalid = _decode(variable)
    if values.shape != shape:
        raise GociResampleError(
            f"GOCI file {path}: band {variable.name} has shape {values.shape}, but the "
            f"geolocation has {shape}."
        )
    if inside is not None:
        invalid |= ~inside
    values[invalid] = np.nan
    units = str(getattr(variable, "units", ""))
    return GociBand(variable.name, wavelength, units, values)


def _decode(variable):
    """Return ``(values, invalid)`` of a variable: float64 unpacked values, bool invalid flags.

    Invalid: equal to ``_FillValue`` or ``missing_value``, outside ``valid_min``/``valid_max``/
    ``valid_range``, or not finite. As in CF, a valid limit of the packed type is compared with
    the packed (raw) values, otherwise with the unpacked ones.
    """
    raw = np.asarray(variable[:])
    attributes = {name: variable.getncattr(name) for name in variable.ncattrs()}
    scale = float(np.ravel(attributes.get("scale_factor", 1.0))[0])
    offset = float(np.ravel(attributes.get("add_offset", 0.0))[0])
    values = raw.astype(np.float64)
    if scale != 1.0 or offset != 0.0:
        values = values * scale + offset
    invalid = ~np.isfinite(values)
    for name in ("_FillValue", "missing_value"):
        if name in attributes:
            for marker in np.ravel(attributes[name]):
                invalid |= raw == marker
    low, high = _valid_limits(attributes)
    for limit, outside in ((low, np.less), (high, np.greater)):
        if limit is not None:
            packed = np.asarray(limit).dtype.kind == raw.dtype.kind
            with np.errstate(invalid="ignore"):
                invalid |= outside(raw if packed else values, limit)
    return values, invalid


def _valid_limits(attributes):
    if "valid_range" in attributes:
        low, high = np.ravel(attributes["valid_range"])[:2]
        return low, high
    return attributes.get("valid_min"), attributes.get("valid_max")


def _check_some_valid(subset):
    geolocated = subset.geolocation_valid
    if not geolocated.any():
        raise GociResampleError(
            f"GOCI file {subset.path}: no pixel has a valid latitude/longitude "
            f"(all fill, NaN or out of range).{_swapped_hint(subset)}"
        )
    if not any(np.isfinite(band.values[geolocated]).any() for band in subset.bands):
        raise GociResampleError(
            f"GOCI file {subset.path}: every pixel of bands "
            f"{', '.join(b.name for b in subset.bands)} is invalid (fill value, outside the "
            "valid range or outside the footprint mask). Check the upstream clipping step."
        )


def _swapped_hint(subset):
    """A hint when latitude holds longitudes (beyond ±90°) and longitude holds values that
    would be valid latitudes: the two variables were swapped upstream."""
    latitude, longitude = np.abs(subset.latitude), np.abs(subset.longitude)
    both = np.isfinite(latitude) & np.isfinite(longitude)
    if both.any() and np.median(latitude[both]) > 90.0 and np.median(longitude[both]) <= 90.0:
        return (
            " navigation_data/latitude holds values beyond ±90° and longitude values that look "
            "like latitudes: the two variables look swapped. Fix the file that wrote them."
        )
    return ""
