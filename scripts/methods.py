"""Which method for what, measured against the truth the sample generator knows.

Usage: python3 scripts/methods.py [FOLDER] [PICTURE.png]   (default: bench/cache/methods)

On a land-masked GOCI-II 250 m scene and a GOCI-I 500 m scene in the user's format (1500 ×
1500 Landsat pixels), resamples with the plugin's four methods and GDAL's geolocation warp
(bilinear, cubic; lat/lon at pixel centres, and bilinear with GDAL's default convention, as
a plain ``gdalwarp -geoloc`` does) and compares each with the true radiance at the
Landsat pixel centres (:func:`sample_data.radiance_field`):

* RMSE and bias (relative to the mean true radiance, band 660 nm), over the Landsat pixels
  whose 4 × 4 GOCI neighbourhood is valid (every method then sees the same GOCI data: GDAL
  does not know the footprint mask, and near masked pixels each method has its own rule);
* sharpness: the GOCI file's 660 nm band replaced by a straight front (a 50 m wide tanh step
  of 40 % across a tilted line), resampled again; the edge width is the distance over which
  the result rises from 10 % to 90 % of the step across the front (truth: ~110 m).

Prints a markdown table and, with PICTURE, draws the same coastal crop in each method next to
the truth (``make docs``). A measurement, not a test.
"""

import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "tests"))

from gdal_peer import warp_with_geolocation  # noqa: E402
from netcdf_files import edited_copy  # noqa: E402
from reference import landsat_lonlat, read_goci_reference, reference_index  # noqa: E402
from sample_data import SceneSpec, goci2_spec, radiance_field, write_scene  # noqa: E402

from goci_resample_plugin.core import ResampleOptions, resample_pair  # noqa: E402

SIZE = 1500
BAND_NM = 660
METHODS = {
    "Gaussian": ("plugin", "gauss"),
    "Nearest": ("plugin", "nearest"),
    "Bilinear": ("plugin", "bilinear"),
    "Cubic": ("plugin", "cubic"),
    "GDAL bilinear": ("gdal", "bilinear"),
    "GDAL cubic": ("gdal", "cubic"),
    "GDAL bilinear, default convention": ("gdal-corner", "bilinear"),
}
FRONT_WIDTH_M = 50.0
FRONT_STEP = 0.4
FRONT_ANGLE_DEG = 30.0


def resample_all(goci, landsat, folder):
    """{method label: the 660 nm band (Landsat grid, float64, NaN = no value)}."""
    import rasterio

    images = {}
    folder.mkdir(parents=True, exist_ok=True)
    for label, (tool, method) in METHODS.items():
        output = folder / f"{label.replace(' ', '_')}.tif"
        if tool == "plugin":
            options = ResampleOptions(method=method, wavelengths=(BAND_NM,))
            resample_pair(goci, landsat, output, options, overwrite=True)
            band = 1
        else:
            warp_with_geolocation(goci, landsat, output, method, tool == "gdal")
            band = _gdal_band(goci)
        with rasterio.open(output) as dataset:
            images[label] = dataset.read(band).astype(np.float64)
    return images


def _gdal_band(goci):
    from goci_resample_plugin.core import available_bands

    return 1 + list(available_bands(goci)).index(BAND_NM)


def front_distance(lon, lat, centre_lon, centre_lat):
    """Signed distance (metres) of points from the front: a line through the scene centre at
    ``FRONT_ANGLE_DEG`` from north (local tangent plane)."""
    from goci_resample_plugin.core.resample.geometry import EARTH_RADIUS_M

    east = np.deg2rad(lon - centre_lon) * EARTH_RADIUS_M * np.cos(np.deg2rad(centre_lat))
    north = np.deg2rad(lat - centre_lat) * EARTH_RADIUS_M
    angle = np.deg2rad(FRONT_ANGLE_DEG)
    return east * np.cos(angle) - north * np.sin(angle)


def front_field(lon, lat, spec):
    """The 660 nm truth with the front: ``radiance_field`` raised by ``FRONT_STEP`` east of it."""
    d = front_distance(lon, lat, spec.centre_lon, spec.centre_lat)
    return radiance_field(lon, lat, BAND_NM) * (
        1 + FRONT_STEP * (1 + np.tanh(d / FRONT_WIDTH_M)) / 2
    )


def edge_width(image, truth, distance):
    """10–90 % rise distance (metres) across the front of the median rise (image / truth − 1)
    / ``FRONT_STEP``, ``truth`` without the front, binned by signed distance every 10 m within
    ±1.5 km; NaN when it cannot be measured."""
    rise = (image / truth - 1) / FRONT_STEP
    bins = np.arange(-1500, 1501, 10.0)
    index = np.digitize(distance, bins)
    profile = np.full(len(bins) - 1, np.nan)
    for k in range(1, len(bins)):
        values = rise[(index == k) & np.isfinite(rise)]
        if values.size:
            profile[k - 1] = np.median(values)
    centres = (bins[:-1] + bins[1:]) / 2
    above_low, above_high = np.flatnonzero(profile >= 0.1), np.flatnonzero(profile >= 0.9)
    if not (above_low.size and above_high.size):
        return float("nan")
    return float(centres[above_high[0]] - centres[above_low[0]])


def interior(goci, landsat):
    """(rows, cols) bool: Landsat pixels whose 4 × 4 GOCI neighbourhood (around their
    fractional index) is valid at ``BAND_NM``."""
    lon, lat, bands = read_goci_reference(goci, [BAND_NM])
    valid = np.isfinite(bands[BAND_NM]) & np.isfinite(lon) & np.isfinite(lat)
    r, c, shape = reference_index(goci, landsat)
    inside = np.isfinite(r) & (r >= 1) & (r <= valid.shape[0] - 2) & (c >= 1)
    inside &= c <= valid.shape[1] - 2
    i = np.floor(np.where(inside, r, 1)).astype(int)
    j = np.floor(np.where(inside, c, 1)).astype(int)
    for a in range(-1, 3):
        for b in range(-1, 3):
            inside &= valid[
                np.clip(i + a, 0, valid.shape[0] - 1), np.clip(j + b, 0, valid.shape[1] - 1)
            ]
    return inside.reshape(shape)


def measure(label, spec, folder):
    """Rows of the table for one scene: {method: (RMSE %, bias %, edge width m)}, and the
    (images, truth) of the smooth field and of the front (for the picture)."""
    folder = Path(folder) / label.split()[0]
    scene = write_scene(folder, spec)
    lon, lat = landsat_lonlat(scene.landsat)
    truth = radiance_field(lon, lat, BAND_NM)
    images = resample_all(scene.goci, scene.landsat, folder / "smooth")
    every = np.logical_and.reduce([np.isfinite(image) for image in images.values()])
    every &= interior(scene.goci, scene.landsat)
    level = truth[every].mean()
    errors = {m: (image - truth)[every] / level for m, image in images.items()}

    def with_front(dataset):
        name = f"geophysical_data/L_TOA_{BAND_NM}"
        values = dataset[name][:]
        glon, glat = dataset["navigation_data/longitude"][:], dataset["navigation_data/latitude"][:]
        keep = np.isfinite(values) & (values != dataset[name].getncattr("_FillValue"))
        values[keep] = front_field(glon, glat, spec)[keep]
        dataset[name][:] = values

    (folder / "front").mkdir(exist_ok=True)
    fronted = edited_copy(scene.goci, folder / "front" / scene.goci.name, with_front)
    front_images = resample_all(fronted, scene.landsat, folder / "front")
    distance = front_distance(lon, lat, spec.centre_lon, spec.centre_lat)
    rows = {}
    for method, image in front_images.items():
        error = errors[method]
        rows[method] = (100 * np.sqrt(np.mean(error**2)), 100 * np.mean(error),
                        edge_width(image, truth, distance))  # fmt: skip
    front_truth = front_field(lon, lat, spec)
    return rows, (images, truth), (front_images, front_truth)


def main(folder="bench/cache/methods", picture=None):
    folder = Path(folder)
    (folder / "goci2").mkdir(parents=True, exist_ok=True)
    scenes = {
        "GOCI-II 250 m": goci2_spec(width=SIZE, height=SIZE, land_masked=True, seed=11),
        "GOCI-I 500 m": SceneSpec(width=SIZE, height=SIZE, seed=11),
    }
    lines = ["| method | " + " | ".join(f"{s} RMSE % | bias % | edge m" for s in scenes) + " |",
             "|---|" + "---|---|---|" * len(scenes)]  # fmt: skip
    results = {}
    for label, spec in scenes.items():
        results[label] = measure(label, spec, folder)
    for method in METHODS:
        cells = []
        for label in scenes:
            rmse, bias, width = results[label][0][method]
            cells += [f"{rmse:.3f}", f"{bias:+.3f}", f"{width:.0f}"]
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    print("\n".join(lines))
    if picture:
        _draw(*results["GOCI-II 250 m"][1:], picture)


def _draw(smooth, front, picture):
    """Two crops in each method next to the truth: the coast (15 × 10.5 km; land and fill
    pixels in tan) and the front (3 × 2.1 km at the scene centre)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = ("Gaussian", "Nearest", "Bilinear", "Cubic", "GDAL bilinear, default convention")
    crops = [
        (smooth, (slice(500, 850), slice(500, 1000))),
        (front, (slice(SIZE // 2 - 35, SIZE // 2 + 35), slice(SIZE // 2 - 50, SIZE // 2 + 50))),
    ]
    colours = matplotlib.colormaps["Greys_r"].copy()
    colours.set_bad("#c8b88a")
    figure, axes = plt.subplots(2, 1 + len(shown), figsize=(18, 5.6), constrained_layout=True)
    for row, ((images, truth), window) in enumerate(crops):
        low, high = np.nanpercentile(truth[window], [2, 98])
        panels = {"Truth (30 m)": truth} | {m: images[m] for m in shown}
        for axis, (title, image) in zip(axes[row], panels.items()):
            axis.imshow(image[window], vmin=low, vmax=high, cmap=colours, interpolation="nearest")
            axis.set_title(title if row == 0 else "", fontsize=11)
            axis.set_axis_off()
    for axis, label in zip(axes[:, 0], ("coast, 15 km", "front, 3 km")):
        axis.text(-0.05, 0.5, label, transform=axis.transAxes, rotation=90, va="center",
                  ha="right")  # fmt: skip
    figure.suptitle(f"GOCI-II 250 m at {BAND_NM} nm onto Landsat 30 m (tan: no value)")
    figure.savefig(picture, dpi=72)


if __name__ == "__main__":
    main(*sys.argv[1:])
