"""``make bench``: the plugin's engines against GDAL's geolocation warp, side by side.

Usage: python3 scripts/bench.py [--sizes full,half,quarter] [--skip-kdtree]

Generates (once, cached in ``bench/cache/``) scene pairs at three sizes, then runs, each in a
child process whose wall time and peak RSS (``wait4``) are recorded:

* the plugin's ``resample_pair`` with the grid engine, Gaussian and Nearest;
* the KD-tree (reference) engine, Gaussian, on the smallest size;
* GDAL's warper with the GOCI geolocation arrays (``gdal.Warp``, ``geoloc``), bilinear and
  nearest, onto the same grid, writing the same compressed GeoTIFF.

Agreement with the SPEC §3 pyresample reference is checked on a 1000 × 1000 crop of the
full-size output. Prints a table and saves ``bench/results.md`` and ``bench/results.json``.
This is a benchmark, not a test: nothing here asserts a time.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "tests"))

from sample_data import SceneSpec  # noqa: E402

SIZES = {"quarter": (1925, 1950), "half": (3850, 3900), "full": (7700, 7800)}
CACHE = REPO / "bench" / "cache"
CROP = 1000

PLUGIN_RUN = """
import sys, json
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core import ResampleOptions, resample_pair
result = resample_pair({goci!r}, {landsat!r}, {output!r}, ResampleOptions(method={method!r}),
                       engine={engine!r}, overwrite=True)
print(json.dumps({{"engine": result.engine, "seconds": result.seconds}}))
"""

GDAL_RUN = """
import sys, json
sys.path.insert(0, {repo!r})
sys.path.insert(0, {scripts!r})
from gdal_peer import warp_with_geolocation
print(json.dumps(warp_with_geolocation({goci!r}, {landsat!r}, {output!r}, {method!r})))
"""


def cached_scene(size_name):
    """Return (landsat, goci) of the cached scene of this size, generating it if absent.

    Generation runs in a child process: a big parent would inflate every later child's peak
    RSS (Linux carries the high-water mark across fork and exec)."""
    width, height = SIZES[size_name]
    scene = f"LC08_L1TP_116035_20200412_20200422_01_T1_{width}x{height}"
    spec = SceneSpec(scene=scene, width=width, height=height, seed=7)
    landsat = CACHE / scene / f"{scene}_TOA_RAD_B1-2-3-4-5.tif"
    goci = CACHE / scene / f"{spec.goci_stem}_subset_footprint.nc"
    if not (landsat.is_file() and goci.is_file()):
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(REPO / "scripts" / "sample_data.py"),
                str(CACHE),
                "--scene",
                scene,
                "--width",
                str(width),
                "--height",
                str(height),
                "--seed",
                "7",
            ],
            cwd=REPO,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"generated the {width} × {height} scene in {time.perf_counter() - started:.0f} s")
    return landsat, goci


def measure(code):
    """Run ``python3 -c code``; return (wall s, peak RSS MiB, parsed JSON of its last line)."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    stdout = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"benchmark child failed (status {status}):\n{stdout}")
    return seconds, usage.ru_maxrss / 1024, json.loads(stdout.strip().splitlines()[-1])


def agreement_on_crop(goci, landsat, outputs):
    """Compare outputs with the pyresample reference on a central CROP × CROP window."""
    import numpy as np
    import rasterio
    from rasterio.windows import Window
    from reference import agreement, reference_resample

    crop_path = CACHE / f"crop_{landsat.stem}.tif"
    with rasterio.open(landsat) as dataset:
        window = Window((dataset.width - CROP) // 2, (dataset.height - CROP) // 2, CROP, CROP)
        profile = dataset.profile | {
            "width": CROP,
            "height": CROP,
            "transform": dataset.window_transform(window),
        }
        with rasterio.open(crop_path, "w", **profile) as crop:
            crop.write(dataset.read(window=window))
    figures = {}
    for method, output in outputs.items():
        with rasterio.open(output) as dataset:
            ours = dataset.read(window=window)
            wavelengths = [int(d.rsplit("_", 1)[1]) for d in dataset.descriptions]
        reference = reference_resample(goci, crop_path, wavelengths, method)
        relative, mismatch, same = agreement(ours, reference)
        figures[method] = {
            "max_relative": relative,
            "nan_mismatch": mismatch,
            "identical": same,
            "valid": float(np.isfinite(reference).mean()),
        }
    crop_path.unlink()
    return figures


def run(sizes, with_kdtree):
    rows = []
    outputs_full = {}
    for size_name in sizes:
        landsat, goci = cached_scene(size_name)
        width, height = SIZES[size_name]
        megapixels = width * height / 1e6
        gdal_seconds = {}
        cases = [
            ("GDAL warp geoloc", "bilinear", "gdal"),
            ("GDAL warp geoloc", "near", "gdal"),
            ("plugin", "gauss", "grid"),
            ("plugin", "nearest", "grid"),
        ]
        if with_kdtree and size_name == sizes[-1]:
            cases.append(("plugin", "gauss", "kdtree"))
        for tool, method, engine in cases:
            output = CACHE / f"out_{size_name}_{engine}_{method}.tif"
            if tool == "plugin":
                code = PLUGIN_RUN.format(
                    repo=str(REPO),
                    goci=str(goci),
                    landsat=str(landsat),
                    output=str(output),
                    method=method,
                    engine=engine,
                )
            else:
                code = GDAL_RUN.format(
                    repo=str(REPO),
                    scripts=str(REPO / "scripts"),
                    goci=str(goci),
                    landsat=str(landsat),
                    output=str(output),
                    method=method,
                )
            seconds, rss, answer = measure(code)
            if tool == "gdal" or engine == "gdal":
                gdal_seconds[method] = seconds
            peer = gdal_seconds.get("bilinear" if method == "gauss" else "near")
            row = {
                "size": f"{width} × {height}",
                "megapixels": round(megapixels, 1),
                "tool": tool,
                "engine": answer.get("engine", "gdal"),
                "method": method,
                "wall_s": round(seconds, 2),
                "peak_rss_mib": round(rss),
                "s_per_mpx": round(seconds / megapixels, 3),
                "ratio_to_gdal": round(seconds / peer, 2) if tool == "plugin" and peer else None,
                "stages_s": {k: round(v, 2) for k, v in answer.get("seconds", {}).items()},
            }
            rows.append(row)
            print(_line(row), flush=True)
            if size_name == "full" and engine == "grid":
                outputs_full[method] = output
    agreement = {}
    if outputs_full:
        landsat, goci = cached_scene("full")
        agreement = agreement_on_crop(goci, landsat, outputs_full)
        print("agreement with the pyresample reference on a central 1000 × 1000 crop:")
        for method, figures in agreement.items():
            print(f"  {method}: {figures}")
    return rows, agreement


def _line(row):
    ratio = f"{row['ratio_to_gdal']:.2f}" if row["ratio_to_gdal"] is not None else "–"
    return (
        f"| {row['size']} | {row['tool']} | {row['engine']} | {row['method']} | "
        f"{row['wall_s']:.1f} | {row['peak_rss_mib']} | {ratio} | {row['s_per_mpx']:.3f} |"
    )


def save(rows, agreement):
    header = (
        "| target | tool | engine | method | wall s | peak RSS MiB | ratio to GDAL | "
        "s / Mpx |\n|---|---|---|---|---|---|---|---|"
    )
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        "# Benchmark: goci-resample engines vs GDAL geolocation warp",
        "",
        f"Produced by `make bench` on {time.strftime('%Y-%m-%d')} ({machine}). Read → resample "
        "→ write a float32 5-band tiled deflate (level 1, float predictor) GeoTIFF; wall time "
        "and peak RSS of a child process per run. Ratio: plugin Gaussian vs GDAL bilinear, "
        "plugin Nearest vs GDAL nearest, same size.",
        "",
        header,
        *[_line(row) for row in rows],
        "",
        "Agreement with the SPEC §3 pyresample reference (central 1000 × 1000 crop of the "
        "full-size output):",
        "",
    ]
    for method, figures in agreement.items():
        lines.append(
            f"- {method}: max relative difference {figures['max_relative']:.2e}, NaN-pattern "
            f"mismatch {figures['nan_mismatch']:.2e}, identical pixels "
            f"{figures['identical']:.6%}, reference valid {figures['valid']:.1%}"
        )
    (REPO / "bench").mkdir(exist_ok=True)
    (REPO / "bench" / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (REPO / "bench" / "results.json").write_text(
        json.dumps({"rows": rows, "agreement": agreement}, indent=2) + "\n", encoding="utf-8"
    )
    print(f"saved {REPO / 'bench' / 'results.md'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="full,half,quarter")
    parser.add_argument("--skip-kdtree", action="store_true")
    args = parser.parse_args()
    sizes = [s for s in args.sizes.split(",") if s]
    unknown = set(sizes) - set(SIZES)
    if unknown:
        sys.exit(f"unknown sizes {sorted(unknown)}; choose from {sorted(SIZES)}")
    print("| target | tool | engine | method | wall s | peak RSS MiB | ratio to GDAL | s / Mpx |")
    rows, agreement = run(sizes, not args.skip_kdtree)
    save(rows, agreement)


if __name__ == "__main__":
    main()
