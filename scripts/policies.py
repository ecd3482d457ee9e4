"""Measure the three INVALID policies on a land-masked GOCI-II scene in the user's format.

Usage: python3 scripts/policies.py [FOLDER] [PICTURE.png]   (default: bench/cache/policies)

Prints, for skip / propagate / cover (Gaussian, band 660 nm), the fraction of the Landsat grid
with a value and the resampling seconds, then the halo: pixels skip fills although the GOCI
pixel nearest to them is invalid (ocean radiance painted over the masked coast). With
PICTURE, draws the three results side by side over the same coast (``make docs``).
"""

import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from sample_data import goci2_spec, write_scene  # noqa: E402

from goci_resample_plugin.core import ResampleOptions, resample_pair  # noqa: E402


def main(folder, picture=None):
    import rasterio

    folder = Path(folder)
    scene = write_scene(folder, goci2_spec(width=7700 // 3, height=7800 // 3, land_masked=True,
                                           seed=9))  # fmt: skip
    valid, images = {}, {}
    for policy in ("skip", "propagate", "cover"):
        result = resample_pair(scene.goci, scene.landsat, folder / f"{policy}.tif",
                               ResampleOptions(invalid=policy), overwrite=True)  # fmt: skip
        with rasterio.open(result.output) as dataset:
            images[policy] = dataset.read(4)
            valid[policy] = np.isfinite(images[policy])
        print(f"{policy:9s} valid {valid[policy].mean():.4f} of the grid, "
              f"resample {result.seconds['resample']:.2f} s")  # fmt: skip
    halo = valid["skip"] & ~valid["cover"]
    print(f"halo of skip: {halo.mean():.4f} of the grid, "
          f"{halo.sum() / valid['skip'].sum():.3f} of skip's valid pixels")  # fmt: skip
    if picture:
        _draw(images, halo, picture)


def _draw(images, halo, picture):
    """The three results (660 nm, same stretch) side by side; skip's halo in red."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    low, high = np.nanpercentile(images["skip"], [2, 98])
    figure, axes = plt.subplots(1, 3, figsize=(13, 4.6), constrained_layout=True)
    titles = {"skip": "Skip (default): red = values past the masked coast",
              "propagate": "Propagate: gaps around every fill pixel",
              "cover": "Valid cover only: stops where GOCI data stops"}  # fmt: skip
    for axis, policy in zip(axes, titles):
        axis.imshow(images[policy], vmin=low, vmax=high, cmap="Greys_r", interpolation="nearest")
        if policy == "skip":
            axis.imshow(np.ma.masked_where(~halo, halo), cmap="autumn", alpha=0.8)
        axis.set_title(titles[policy], fontsize=10)
        axis.set_axis_off()
    figure.savefig(picture, dpi=80)
    plt.close(figure)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else REPO / "bench" / "cache" / "policies",
         sys.argv[2] if len(sys.argv) > 2 else None)  # fmt: skip
