"""``make demo``: generate a sample scene, resample it through qgis_process, show the result.

Usage: python3 scripts/demo.py OUTPUT_FOLDER

Writes into OUTPUT_FOLDER: ``input/<scene>/`` (the generated pair), ``plugin/`` (the packaged
plugin), ``<scene>/GOCI_on_Landsat_..._GAUSS.tif`` with its sidecars, and ``quicklook.png``
(Landsat B4/B3/B2 next to GOCI-on-Landsat 660/555/490 nm).
"""

import contextlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from sample_data import goci2_spec, write_scene  # noqa: E402

from goci_resample_plugin.core import ResampleOptions, output_name  # noqa: E402
from goci_resample_plugin.core.resample.kernel_cache import TIMES_NAME  # noqa: E402

QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/lib/qgis/qgis_process.bin"


def packaged_plugin(folder):
    """Build the plugin folder exactly as the ZIP ships it; return its parent folder."""
    spec = importlib.util.spec_from_file_location("package", REPO / "scripts" / "package.py")
    package = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(package)
    package.build_plugin_dir(folder)
    return folder


@contextlib.contextmanager
def qgis_process_env(plugins, numba_cache):
    """Yield the environment of a throw-away QGIS profile in which the plugin folder under
    ``plugins`` is enabled; the grid engine's compiled kernel is kept in ``numba_cache``."""
    with tempfile.TemporaryDirectory() as profile:
        os.chmod(profile, 0o700)
        env = os.environ | {
            "QT_QPA_PLATFORM": "offscreen",
            "QGIS_CUSTOM_CONFIG_PATH": profile,
            "XDG_CONFIG_HOME": profile,
            "XDG_RUNTIME_DIR": profile,
            "QGIS_PLUGINPATH": str(plugins),
            "NUMBA_CACHE_DIR": str(numba_cache),
        }
        subprocess.run(
            [QGIS_PROCESS, "plugins", "enable", "goci_resample_plugin"],
            env=env,
            check=True,
            capture_output=True,
        )
        yield env


def numba_cache(plugins):
    """The demo's numba cache: its compiled kernels survive re-runs of the demo."""
    return Path(plugins).parent / "numba-cache"


def start_compiling(plugins):
    """Start the packaged plugin's compiling children, as QGIS does when it loads the plugin
    (:mod:`goci_resample_plugin.core.resample.precompile`), so that they compile while the
    sample pair is generated; a no-op once the kernels are compiled. Returns whether a child
    is compiling."""
    env = os.environ | {"PYTHONPATH": str(plugins), "NUMBA_CACHE_DIR": str(numba_cache(plugins))}
    code = ("from goci_resample_plugin.core.resample.precompile import start_compiling; "
            "print(start_compiling())")  # fmt: skip
    started = subprocess.run([sys.executable, "-c", code], env=env, cwd=plugins,
                             capture_output=True, text=True)  # fmt: skip
    return started.stdout.strip() == "True"


def gaussian_compile_seconds(plugins):
    """How long the Gaussian kernel's compile took, as its compiling child recorded it beside
    numba's cache (``kernel_cache.TIMES_NAME``), or None."""
    for recorded in numba_cache(plugins).rglob(TIMES_NAME.format("resample_strip")):
        with contextlib.suppress(OSError, ValueError):
            return float(recorded.read_text(encoding="ascii"))
    return None


def run_qgis_process(plugins, *args):
    """Run qgis_process.bin with the plugin enabled; return its JSON answer."""
    with qgis_process_env(plugins, numba_cache(plugins)) as env:
        completed = subprocess.run(
            [QGIS_PROCESS, "--json", *args], env=env, capture_output=True, text=True
        )
    if completed.returncode != 0:
        sys.exit(f"qgis_process failed:\n{completed.stdout}\n{completed.stderr}")
    return json.loads(completed.stdout)


def stretched_rgb(path, bands):
    """Return an (rows, cols, 3) float image of three bands stretched to their 2–98 %."""
    import numpy as np
    import rasterio

    with rasterio.open(path) as dataset:
        nodata = dataset.nodata
        rgb = dataset.read(list(bands)).astype(np.float64)
    if nodata is not None and not np.isnan(nodata):
        rgb[rgb == nodata] = np.nan
    for channel in rgb:
        low, high = np.nanpercentile(channel, [2, 98])
        channel[:] = np.clip((channel - low) / (high - low), 0, 1)
    return np.nan_to_num(np.moveaxis(rgb, 0, -1), nan=0.0)


def quicklook(landsat, resampled, wavelengths, png):
    """Write Landsat B4/B3/B2 and GOCI-on-Landsat 660/555/490 nm side by side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    goci_bands = [wavelengths.index(w) + 1 for w in (660, 555, 490)]
    figure, axes = plt.subplots(1, 2, figsize=(11, 5.6), constrained_layout=True)
    for axis, image, title in (
        (axes[0], stretched_rgb(landsat, (4, 3, 2)), "Landsat TOA radiance B4/B3/B2"),
        (axes[1], stretched_rgb(resampled, goci_bands), "GOCI on Landsat grid 660/555/490 nm"),
    ):
        axis.imshow(image, interpolation="nearest")
        axis.set_title(title)
        axis.set_axis_off()
    figure.savefig(png, dpi=90)
    plt.close(figure)


def main(output_folder):
    output_folder = Path(output_folder).resolve()
    output_folder.mkdir(parents=True, exist_ok=True)
    plugins = packaged_plugin(output_folder / "plugin")
    preparing = time.perf_counter()
    first_run = start_compiling(plugins)
    if first_run:
        print("First run:       compiling the fast engine in the background (as QGIS does "
              "when it loads the plugin) while the sample pair is generated…")  # fmt: skip
    pair = write_scene(output_folder / "input", goci2_spec(width=1500, height=1500))
    generated = time.perf_counter() - preparing
    output = output_folder / pair.scene_dir.name / output_name(pair.goci, ResampleOptions())
    print(f"Resampling {pair.goci.name} onto {pair.landsat.name} (1500 × 1500) with qgis_process…")
    started = time.perf_counter()
    answer = run_qgis_process(
        plugins,
        "run",
        "gociresample:resamplepair",
        "--",
        f"GOCI={pair.goci}",
        f"LANDSAT={pair.landsat}",
        "METHOD=0",
        f"OUTPUT={output}",
    )
    seconds = time.perf_counter() - started
    results = answer["results"]
    sidecar = json.loads(output.with_suffix(".json").read_text())
    wavelengths = [band["wavelength_nm"] for band in sidecar["bands"]]
    png = output_folder / "quicklook.png"
    quicklook(pair.landsat, results["OUTPUT"], wavelengths, png)
    for line in answer.get("log", {}).get("info", []):
        if "fast engine" in line.lower():  # the first run: how long preparing takes, and took
            print(f"First run:       {line}")
    compile_seconds = gaussian_compile_seconds(plugins) if first_run else None
    if compile_seconds is not None:
        print(f"First run:       the fast engine took {compile_seconds:.1f} s to compile, "
              f"while the pair was generated ({generated:.1f} s) and QGIS started")  # fmt: skip
    print(f"Output:          {results['OUTPUT']}")
    print(f"Valid fraction:  {results['VALID_FRACTION']:.4f}")
    print(
        f"Seconds:         {seconds:.1f} (qgis_process end to end; resampling itself "
        f"{sidecar['seconds']['total']:.1f} with the {sidecar['engine']} engine)"
    )
    print(f"Quick-look PNG:  {png}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
