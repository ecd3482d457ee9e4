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
LANDSAT_NODATA = -9999.0
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
        goci_generation: ``"goci2"``: exactly what the user's clip step writes for GOCI-II
            (``../shared/FORMATS.md``: GK2 name, 250 m pixels, zlib 4 + shuffle, geolocation
            valid everywhere without ``_FillValue``, bands ``_FillValue`` -999 outside the
            footprint and NaN for raw-invalid pixels inside, the tight box of pixel centres in
            the footprint; its Landsat file float32 with nodata -9999 and no band metadata);
            ``"new"`` (GOCI-I 500 m style, y/x, inside_mask) or ``"old"`` (rows/cols,
            inside_footprint).
        goci_wavelengths: GOCI bands to write.
        goci_dtype: ``"float32"`` (``_FillValue`` -999) or ``"int16"`` (scale 0.01, fill -32768).
        fill_fraction: fraction of GOCI pixels set to fill, independently per band.
        goci_offset_m: (x, y) error (metres) added to the written GOCI geolocation in the
            GOCI grid's projection (orthographic, centred at 130° E 36° N), to simulate
            misregistration; values are sampled at the true positions. In local east/north
            metres at the scene it is :func:`geolocation_error_m` (rotated by up to ~5° and
            scaled by ~1 % away from the projection's centre).
        land_masked: (``goci2``) also run the user's land-mask step: the subset is kept as
            ``<name>.nc.bak`` and the ``.nc`` rewritten with land pixels at ``_FillValue``
            while ``inside_mask`` stays 1 (land: west of a wavy coastline through the centre).
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
    land_masked: bool = False
    seed: int = 0

    @property
    def goci_stem(self):
        """GOCI product name the subset file is named after."""
        date = self.scene.split("_")[3]
        if self.goci_generation == "goci2":
            return f"GK2_GOCI2_L1B_{date}_021530_LA_S007"
        return f"COMS_GOCI_L1B_GA_{date}031641"


GOCI2_WAVELENGTHS_NM = (380, 412, 443, 490, 510, 555, 620, 660, 680, 709, 745, 865)
"""The 12 bands of GOCI-II L1B; the clip step keeps 443, 490, 555, 660, 865 by default."""


def goci2_spec(**changes):
    """A :class:`SceneSpec` of the user's real data: GOCI-II 250 m subset and Landsat 8 scene
    of path/row 118/038 (UTM zone 51), as the clip step writes them."""
    defaults = dict(scene="LC08_L1TP_118038_20210429_20210507_02_T1", centre_lon=121.6,
                    centre_lat=31.7, goci_pixel_m=250.0, goci_generation="goci2",
                    fill_fraction=0.005)  # fmt: skip
    return SceneSpec(**(defaults | changes))


def geolocation_error_m(spec):
    """(east, north) metres, in the local tangent plane at the scene centre, by which the
    written GOCI geolocation is off: ``spec.goci_offset_m`` carried from the GOCI projection."""
    from pyproj import Transformer

    from goci_resample_plugin.core.resample.geometry import EARTH_RADIUS_M

    to_ortho = Transformer.from_crs("EPSG:4326", GOCI_PROJECTION, always_xy=True)
    to_lonlat = Transformer.from_crs(GOCI_PROJECTION, "EPSG:4326", always_xy=True)
    x, y = to_ortho.transform(spec.centre_lon, spec.centre_lat)
    lon, lat = to_lonlat.transform(x + spec.goci_offset_m[0], y + spec.goci_offset_m[1])
    east = np.deg2rad(lon - spec.centre_lon) * EARTH_RADIUS_M * np.cos(np.deg2rad(spec.centre_lat))
    north = np.deg2rad(lat - spec.centre_lat) * EARTH_RADIUS_M
    return float(east), float(north)


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
        if spec.goci_generation == "goci2":
            _write_goci2(temporary, spec, geometry)
        else:
            _write_goci(temporary, spec, geometry)
    if spec.land_masked:
        _mask_land(goci, geometry)
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

    clip_format = spec.goci_generation == "goci2"
    nodata = LANDSAT_NODATA if clip_format else 0.0
    profile = dict(
        driver="GTiff",
        width=spec.width,
        height=spec.height,
        count=len(LANDSAT_WAVELENGTHS_NM),
        dtype="float32",
        crs=geometry.crs,
        transform=geometry.transform,
        nodata=nodata,
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
            if not clip_format:  # the clip step writes no band descriptions or wavelengths
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
                values[outside] = nodata
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


def _goci2_subset(spec, geometry):
    """Ortho x, y of the tight row/column box of GOCI pixel centres inside the footprint, and
    the footprint mask on it (no buffer), as the clip step cuts it."""
    from pyproj import Transformer

    ortho_x, ortho_y = _goci_grid(spec, geometry)
    to_lonlat = Transformer.from_crs(GOCI_PROJECTION, "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform(ortho_x, ortho_y)
    inside = geometry.inside_footprint(*geometry.from_lonlat.transform(lon, lat))
    rows, cols = np.flatnonzero(inside.any(axis=1)), np.flatnonzero(inside.any(axis=0))
    box = (slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
    return ortho_x[box], ortho_y[box], inside[box]


def _write_goci2(path, spec, geometry):
    """The clip step's GOCI-II subset (FORMATS.md), values from :func:`radiance_field`."""
    import netCDF4
    from pyproj import Transformer

    ortho_x, ortho_y, inside = _goci2_subset(spec, geometry)
    to_lonlat = Transformer.from_crs(GOCI_PROJECTION, "EPSG:4326", always_xy=True)
    true_lon, true_lat = to_lonlat.transform(ortho_x, ortho_y)
    east, north = spec.goci_offset_m
    lon, lat = to_lonlat.transform(ortho_x + east, ortho_y + north)
    random = np.random.default_rng(spec.seed + 1000)
    compression = dict(zlib=True, complevel=4, shuffle=True)
    with netCDF4.Dataset(path, "w", format="NETCDF4") as dataset:
        dataset.title = f"GOCI-II subset clipped to {spec.scene} footprint"
        dataset.history = "created by 02_batch_calibrate_and_clip_nocli.py (synthetic)"
        for name, length in zip(("y", "x"), inside.shape):
            dataset.createDimension(name, length)
        navigation = dataset.createGroup("navigation_data")
        for name, values, units in (("latitude", lat, "degrees_north"),
                                    ("longitude", lon, "degrees_east")):  # fmt: skip
            variable = navigation.createVariable(name, "f4", ("y", "x"), **compression)
            variable.units = units
            variable[:] = values.astype(np.float32)
        mask = dataset.createGroup("mask").createVariable("inside_mask", "u1", ("y", "x"),
                                                          **compression)  # fmt: skip
        mask.long_name = "1 = inside footprint; 0 = outside"
        mask[:] = inside.astype(np.uint8)
        geophysical = dataset.createGroup("geophysical_data")
        cluster = _fill_cluster(inside.shape, inside, random)
        for wavelength in spec.goci_wavelengths:
            values = radiance_field(true_lon, true_lat, wavelength).astype(np.float32)
            raw_invalid = (random.random(inside.shape) < spec.fill_fraction) | cluster
            values[raw_invalid] = np.nan  # invalid in the raw file: NaN inside the footprint
            values[~inside] = FILL_FLOAT
            name = band_name(wavelength)
            variable = geophysical.createVariable(name, "f4", ("y", "x"), fill_value=FILL_FLOAT,
                                                  **compression)  # fmt: skip
            variable.set_auto_maskandscale(False)
            variable.long_name = f"Top of atmosphere radiance at {wavelength} nm"
            variable.units = "W m-2 sr-1 um-1"
            variable.wavelength = np.float32(wavelength)
            variable.bandwidth = np.float32(20.0)
            variable[:] = values


def is_land(lon, lat, spec):
    """The synthetic land of ``spec``'s scene: west of a wavy line through its centre."""
    wave = 0.02 * np.sin(2 * np.pi * (np.asarray(lat) - spec.centre_lat) / 0.15)
    return np.asarray(lon) < spec.centre_lon - 0.05 + wave


def _mask_land(goci, geometry):
    """The user's land-mask step, done in place: keep ``<name>.nc.bak``, set land pixels of
    every band to ``_FillValue`` in the ``.nc`` (``inside_mask`` unchanged)."""
    import shutil

    import netCDF4

    backup = goci.with_name(goci.name + ".bak")
    shutil.copy2(goci, backup)
    with netCDF4.Dataset(goci, "a") as dataset:
        dataset.set_auto_maskandscale(False)
        land = is_land(dataset["navigation_data/longitude"][:],
                       dataset["navigation_data/latitude"][:], geometry.spec)  # fmt: skip
        for variable in dataset["geophysical_data"].variables.values():
            values = variable[:]
            values[land] = variable.getncattr("_FillValue")
            variable[:] = values


def main(argv=None):
    """Command line: write one scene folder under OUTPUT_ROOT."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output_root", type=Path)
    defaults = SceneSpec()
    parser.add_argument("--scene", help="scene folder name (default: one per generation)")
    parser.add_argument("--width", type=int, default=defaults.width)
    parser.add_argument("--height", type=int, default=defaults.height)
    parser.add_argument("--generation", choices=("goci2", "new", "old"), default="new")
    parser.add_argument(
        "--bands",
        type=int,
        choices=(5, 12),
        default=5,
        help="GOCI-II: the clip step's default 5 bands or all 12",
    )
    parser.add_argument(
        "--land-masked",
        action="store_true",
        help="GOCI-II: also run the land-mask step (keeps a .nc.bak)",
    )
    parser.add_argument("--dtype", choices=("float32", "int16"), default="float32")
    parser.add_argument(
        "--rotation", type=float, default=0.0, help="geotransform rotation, degrees"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    common = dict(width=args.width, height=args.height, rotation_deg=args.rotation,
                  seed=args.seed)  # fmt: skip
    if args.generation == "goci2":
        bands = GOCI2_WAVELENGTHS_NM if args.bands == 12 else SceneSpec().goci_wavelengths
        spec = goci2_spec(**common, goci_wavelengths=bands, land_masked=args.land_masked,
                          **({"scene": args.scene} if args.scene else {}))  # fmt: skip
    else:
        spec = SceneSpec(scene=args.scene or defaults.scene, goci_generation=args.generation,
                         goci_dtype=args.dtype, **common)  # fmt: skip
    files = write_scene(args.output_root, spec)
    print(files.landsat)
    print(files.goci)


if __name__ == "__main__":
    main()
