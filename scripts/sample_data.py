"""Generate scene folders exactly like the upstream calibrate-and-clip step, from a known field.

Each scene folder holds a Landsat TOA radiance GeoTIFF and a GOCI subset NetCDF:

* Landsat: float32, 5 bands (B1..B5), a 30 m UTM grid (optionally with a rotated
  geotransform), nodata 0 outside a scene footprint that is tilted inside the grid like a real
  Landsat scene, ``AREA_OR_POINT=Area``.
* GOCI: a 500 m grid of an orthographic projection centred near 130°E 36°N (a fair stand-in for
  the geostationary GOCI grid), so latitude/longitude are curvilinear; the subset covers the
  Landsat footprint, ``mask/inside_mask`` marks the footprint, scattered and clustered fill
  pixels per band, a few pixels without geolocation. ``generation="old"`` writes the older
  naming (``rows/cols`` dimensions, ``mask/inside_footprint``).

Values come from :func:`radiance_field`, a smooth analytic function of lon/lat/wavelength, so a
resampled result can be checked against the truth. Used by the tests, ``make demo`` and
``make bench``; run ``python3 scripts/sample_data.py --help`` for the command line. A
development tool: it is not part of the plugin ZIP.
"""

import argparse
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from goci_resample_plugin.core.bands import OLI_WAVELENGTHS_NM, band_name
from goci_resample_plugin.core.write import atomic_output

LANDSAT_WAVELENGTHS_NM = OLI_WAVELENGTHS_NM[:5]
"""Landsat bands the clip step writes: OLI B1..B5."""

GOCI_PROJECTION = "+proj=ortho +lat_0=36 +lon_0=130 +R=6370997 +units=m +no_defs"
FILL_FLOAT = -999.0
FILL_INT16 = -32768
INT16_SCALE = 0.01
ROW_BLOCK = 512


@dataclass(frozen=True)
class SceneSpec:
    """What to generate. Lengths in metres, angles in degrees, wavelengths in nm.

    Attributes:
        scene: scene folder name (a Landsat product id).
        width, height: Landsat grid size in pixels.
        pixel_size_m: Landsat pixel size.
        centre_lon, centre_lat: centre of the Landsat grid.
        rotation_deg: rotation of the Landsat geotransform (0 = north-up).
        footprint_tilt_deg: tilt of the valid scene footprint inside the grid.
        footprint_margin: fraction of the grid size left as nodata on each side.
        goci_pixel_m: GOCI grid spacing in the orthographic plane.
        goci_generation: ``"new"`` (y/x, inside_mask) or ``"old"`` (rows/cols, inside_footprint).
        goci_wavelengths: GOCI bands to write.
        goci_dtype: ``"float32"`` (``_FillValue`` -999) or ``"int16"`` (scale 0.01, fill -32768).
        fill_fraction: fraction of GOCI pixels set to fill, independently per band.
        goci_offset_m: (east, north) error added to the written GOCI geolocation, to simulate
            misregistration; values are sampled at the true positions.
        seed: random seed for fill pixels and Landsat texture.
    """

    scene: str = "LC08_L1TP_116035_20200412_20200422_01_T1"
    width: int = 600
    height: int = 600
    pixel_size_m: float = 30.0
    centre_lon: float = 129.5
    centre_lat: float = 35.5
    rotation_deg: float = 0.0
    footprint_tilt_deg: float = 12.0
    footprint_margin: float = 0.06
    goci_pixel_m: float = 500.0
    goci_generation: str = "new"
    goci_wavelengths: tuple = (443, 490, 555, 660, 865)
    goci_dtype: str = "float32"
    fill_fraction: float = 0.01
    goci_offset_m: tuple = (0.0, 0.0)
    seed: int = 0

    @property
    def goci_stem(self):
        """GOCI product name the subset file is named after."""
        return f"COMS_GOCI_L1B_GA_{self.scene.split('_')[3]}031641"


@dataclass(frozen=True)
class SceneFiles:
    """Paths of one generated scene folder."""

    scene_dir: Path
    landsat: Path
    goci: Path


def radiance_field(lon, lat, wavelength_nm):
    """TOA radiance (W m-2 sr-1 um-1) of the synthetic scene at lon/lat (degrees).

    A Rayleigh-like spectral level times smooth spatial structure on scales of 5–40 km (one
    term changes sign with wavelength, so a true-colour view shows colour), so resampling from
    500 m to 30 m is accurate but not trivially exact. Arrays broadcast.
    """
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    level = 25.0 + 75.0 * (443.0 / wavelength_nm) ** 2
    pattern = (
        0.25 * np.sin(2 * np.pi * lon / 0.31) * np.cos(2 * np.pi * lat / 0.23)
        + 0.10 * np.sin(2 * np.pi * (lon + lat) / 0.07)
        + 0.05 * (lat - 35.0)
        + 0.2 * (wavelength_nm - 555.0) / 310.0 * np.sin(2 * np.pi * (lon - lat) / 0.17)
    )
    return level * (1.0 + pattern)


def write_scene(root, spec=SceneSpec()):
    """Write one scene folder ``root/spec.scene`` and return its :class:`SceneFiles`.

    Both files appear atomically (temporary name, then rename).
    """
    scene_dir = Path(root) / spec.scene
    scene_dir.mkdir(parents=True, exist_ok=True)
    landsat = scene_dir / f"{spec.scene}_TOA_RAD_B1-2-3-4-5.tif"
    goci = scene_dir / f"{spec.goci_stem}_subset_footprint.nc"
    geometry = _SceneGeometry(spec)
    with atomic_output(landsat) as temporary:
        _write_landsat(temporary, spec, geometry)
    with atomic_output(goci) as temporary:
        _write_goci(temporary, spec, geometry)
    return SceneFiles(scene_dir, landsat, goci)


def write_root(root, specs):
    """Write several scene folders under ``root``; return their :class:`SceneFiles` list."""
    return [write_scene(root, spec) for spec in specs]


class _SceneGeometry:
    """The Landsat grid (UTM affine) and its tilted footprint."""

    def __init__(self, spec):
        from affine import Affine
        from pyproj import CRS, Transformer

        zone = int((spec.centre_lon + 180.0) // 6) + 1
        self.crs = CRS.from_epsg((32600 if spec.centre_lat >= 0 else 32700) + zone)
        to_utm = Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        centre_x, centre_y = to_utm.transform(spec.centre_lon, spec.centre_lat)
        size = spec.pixel_size_m
        self.transform = (
            Affine.translation(centre_x, centre_y)
            * Affine.rotation(-spec.rotation_deg)
            * Affine.scale(size, -size)
            * Affine.translation(-spec.width / 2.0, -spec.height / 2.0)
        )
        self.spec = spec
        self.to_lonlat = Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)
        self.from_lonlat = to_utm
        # Footprint: a rectangle tilted by footprint_tilt_deg whose bounding box leaves
        # footprint_margin of the grid on each side (grid-aligned metres from the centre).
        tilt = math.radians(spec.footprint_tilt_deg)
        cos, sin = math.cos(tilt), math.sin(tilt)
        box_w = (1 - 2 * spec.footprint_margin) * spec.width * size
        box_h = (1 - 2 * spec.footprint_margin) * spec.height * size
        determinant = cos * cos - sin * sin
        self.half_along = (cos * box_w - sin * box_h) / determinant / 2.0
        self.half_across = (cos * box_h - sin * box_w) / determinant / 2.0
        self.tilt = (cos, sin)

    def inside_footprint(self, x, y, buffer_m=0.0):
        """Bool array: map coordinates x/y (metres) inside the footprint grown by buffer_m."""
        col, row = ~self.transform * (x, y)
        size = self.spec.pixel_size_m
        u = (np.asarray(col) - self.spec.width / 2.0) * size
        v = (np.asarray(row) - self.spec.height / 2.0) * size
        cos, sin = self.tilt
        along = cos * u + sin * v
        across = -sin * u + cos * v
        return (np.abs(along) <= self.half_along + buffer_m) & (
            np.abs(across) <= self.half_across + buffer_m
        )

    def pixel_centres(self, row0, row1):
        """Map x, y (metres) of the pixel centres of rows row0..row1-1, shape (rows, width)."""
        rows, cols = np.mgrid[row0:row1, 0 : self.spec.width].astype(np.float64) + 0.5
        t = self.transform
        return t.c + t.a * cols + t.b * rows, t.f + t.d * cols + t.e * rows

    def corners_xy(self):
        """Map x, y of the four grid corners."""
        w, h = self.spec.width, self.spec.height
        corners = [self.transform * (c, r) for c, r in ((0, 0), (w, 0), (w, h), (0, h))]
        return np.array([c[0] for c in corners]), np.array([c[1] for c in corners])


def _write_landsat(path, spec, geometry):
    import rasterio

    profile = dict(
        driver="GTiff",
        width=spec.width,
        height=spec.height,
        count=len(LANDSAT_WAVELENGTHS_NM),
        dtype="float32",
        crs=geometry.crs,
        transform=geometry.transform,
        nodata=0.0,
        tiled=True,
        blockxsize=256,
        blockysize=256,
        compress="deflate",
        zlevel=1,
        predictor=3,
        num_threads="all_cpus",
    )
    random = np.random.default_rng(spec.seed)
    with rasterio.open(path, "w", **profile) as dataset:
        dataset.update_tags(AREA_OR_POINT="Area")
        for number, wavelength in enumerate(LANDSAT_WAVELENGTHS_NM, start=1):
            dataset.set_band_description(number, f"B{number}")
            dataset.update_tags(number, WAVELENGTH_NM=str(wavelength))
        for row0 in range(0, spec.height, ROW_BLOCK):
            row1 = min(row0 + ROW_BLOCK, spec.height)
            x, y = geometry.pixel_centres(row0, row1)
            lon, lat = geometry.to_lonlat.transform(x, y)
            outside = ~geometry.inside_footprint(x, y)
            texture = 1.0 + 0.02 * random.standard_normal(x.shape)
            for number, wavelength in enumerate(LANDSAT_WAVELENGTHS_NM, start=1):
                values = (radiance_field(lon, lat, wavelength) * texture).astype(np.float32)
                values[outside] = 0.0
                window = rasterio.windows.Window(0, row0, spec.width, row1 - row0)
                dataset.write(values, number, window=window)


def _goci_grid(spec, geometry):
    """GOCI pixel centres (ortho x, y in metres) of the subset covering the Landsat grid."""
    from pyproj import Transformer

    corner_x, corner_y = geometry.corners_xy()
    lon, lat = geometry.to_lonlat.transform(corner_x, corner_y)
    to_ortho = Transformer.from_crs("EPSG:4326", GOCI_PROJECTION, always_xy=True)
    ox, oy = to_ortho.transform(lon, lat)
    step = spec.goci_pixel_m
    # Snap to the global GOCI grid and add two pixels all round.
    col0, col1 = math.floor(min(ox) / step) - 2, math.ceil(max(ox) / step) + 2
    row0, row1 = math.floor(min(oy) / step) - 2, math.ceil(max(oy) / step) + 2
    x = (np.arange(col0, col1) + 0.5) * step
    y = (np.arange(row1, row0, -1) - 0.5) * step
    return np.meshgrid(x, y)


def _write_goci(path, spec, geometry):
    import netCDF4
    from pyproj import Transformer

    ortho_x, ortho_y = _goci_grid(spec, geometry)
    to_lonlat = Transformer.from_crs(GOCI_PROJECTION, "EPSG:4326", always_xy=True)
    true_lon, true_lat = to_lonlat.transform(ortho_x, ortho_y)
    east, north = spec.goci_offset_m
    lon, lat = to_lonlat.transform(ortho_x + east, ortho_y + north)
    utm_x, utm_y = geometry.from_lonlat.transform(true_lon, true_lat)
    inside = geometry.inside_footprint(utm_x, utm_y, buffer_m=spec.goci_pixel_m)
    shape = ortho_x.shape
    random = np.random.default_rng(spec.seed + 1000)

    no_geolocation = random.random(shape) < spec.fill_fraction / 4
    lat = np.where(no_geolocation, FILL_FLOAT, lat)
    lon = np.where(no_geolocation, FILL_FLOAT, lon)

    dims = ("y", "x") if spec.goci_generation == "new" else ("rows", "cols")
    mask_name = "inside_mask" if spec.goci_generation == "new" else "inside_footprint"
    with netCDF4.Dataset(path, "w", format="NETCDF4") as dataset:
        dataset.title = "GOCI Level-1B subset clipped to a Landsat footprint (synthetic)"
        dataset.source_landsat_scene = spec.scene
        for name, length in zip(dims, shape):
            dataset.createDimension(name, length)
        navigation = dataset.createGroup("navigation_data")
        for name, values, units in (
            ("latitude", lat, "degrees_north"),
            ("longitude", lon, "degrees_east"),
        ):
            variable = navigation.createVariable(name, "f4", dims, fill_value=FILL_FLOAT, zlib=True)
            variable.units = units
            variable[:] = values
        geophysical = dataset.createGroup("geophysical_data")
        cluster = _fill_cluster(shape, inside, random)
        for wavelength in spec.goci_wavelengths:
            radiance = radiance_field(true_lon, true_lat, wavelength)
            fill = (random.random(shape) < spec.fill_fraction) | cluster
            _write_goci_band(geophysical, band_name(wavelength), radiance, fill, dims, spec)
        mask = dataset.createGroup("mask").createVariable(mask_name, "u1", dims, zlib=True)
        mask.long_name = "1 = inside the Landsat scene footprint"
        mask[:] = inside.astype(np.uint8)


def _fill_cluster(shape, inside, random):
    """A 3 × 4 block of fill (a cloud-like gap) somewhere inside the footprint."""
    cluster = np.zeros(shape, dtype=bool)
    rows, cols = np.nonzero(inside)
    if len(rows):
        pick = random.integers(len(rows))
        cluster[rows[pick] : rows[pick] + 3, cols[pick] : cols[pick] + 4] = True
    return cluster


def _write_goci_band(group, name, radiance, fill, dims, spec):
    if spec.goci_dtype == "int16":
        variable = group.createVariable(name, "i2", dims, fill_value=FILL_INT16, zlib=True)
        variable.scale_factor = INT16_SCALE
        variable.add_offset = 0.0
        variable.set_auto_maskandscale(False)
        stored = np.round(radiance / INT16_SCALE).astype(np.int16)
        stored[fill] = FILL_INT16
    else:
        variable = group.createVariable(name, "f4", dims, fill_value=FILL_FLOAT, zlib=True)
        variable.set_auto_maskandscale(False)
        stored = radiance.astype(np.float32)
        stored[fill] = FILL_FLOAT
    variable.units = "W m-2 sr-1 um-1"
    variable.long_name = f"TOA radiance at {name.rsplit('_', 1)[1]} nm"
    variable[:] = stored


def main(argv=None):
    """Command line: write one scene folder under OUTPUT_ROOT."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output_root", type=Path)
    defaults = SceneSpec()
    parser.add_argument("--scene", default=defaults.scene)
    parser.add_argument("--width", type=int, default=defaults.width)
    parser.add_argument("--height", type=int, default=defaults.height)
    parser.add_argument("--generation", choices=("new", "old"), default="new")
    parser.add_argument("--dtype", choices=("float32", "int16"), default="float32")
    parser.add_argument(
        "--rotation", type=float, default=0.0, help="geotransform rotation, degrees"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    spec = SceneSpec(
        scene=args.scene,
        width=args.width,
        height=args.height,
        goci_generation=args.generation,
        goci_dtype=args.dtype,
        rotation_deg=args.rotation,
        seed=args.seed,
    )
    files = write_scene(args.output_root, spec)
    print(files.landsat)
    print(files.goci)


if __name__ == "__main__":
    main()
