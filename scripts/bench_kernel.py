"""``make bench`` (kernel part): the grid engine's kernel and lattice, measured on their own.

Usage: python3 scripts/bench_kernel.py [--rows 256]

On the half-size GOCI-II pair of ``make bench`` (3850 × 3900 Landsat pixels, generated once in
``bench/cache/``) it prints and saves to ``bench/kernel.md``:

* each kernel's compile time (a fresh process, an empty numba cache, the engine's tiny call);
* ns per target pixel on one thread (``NUMBA_NUM_THREADS=1``, best of 4, ``--rows`` rows from
  the middle of the scene), Gaussian, Nearest, bilinear and cubic, the spot checks included;
  the interpolators with their helpers loaded first (:func:`.compiled.load_helpers`), as on
  a full scene, and again in a process that does not load them, so runs the copies the
  kernel's cached library holds (as on a scene below ``HELPERS_MIN_PIXELS``);
* how far the fractional GOCI index interpolated from the lattice (every ``LATTICE_STEP``
  pixels) is from a per-pixel one (nearest GOCI pixel + one Newton step, as at the lattice
  points), in GOCI pixels, on 20 000 random target pixels inside the GOCI grid and within
  reach of its edge — the figure behind ``LATTICE_STEP`` and ``CENTRE_ERROR``.

A benchmark, not a test: nothing here asserts a time.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

CACHE = REPO / "bench" / "cache"
SIZE = (3850, 3900)

COMPILE = """
import sys, time
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core.resample import {module} as kernel
from goci_resample_plugin.core.resample.grid_engine import _tiny_call
started = time.perf_counter()
_tiny_call(getattr(kernel, {entry!r}), 5)
print(time.perf_counter() - started)
"""


def scene():
    """(GOCI, Landsat) paths of the half-size GOCI-II pair, generated once."""
    from sample_data import goci2_spec, write_scene

    folder = CACHE / "kernel_goci2_half"
    marker = folder / "pair.json"
    if not marker.is_file():
        pair = write_scene(folder, goci2_spec(width=SIZE[0], height=SIZE[1], seed=3))
        marker.write_text(json.dumps([str(pair.goci), str(pair.landsat)]))
    return json.loads(marker.read_text())


def compile_seconds(module, entry):
    """The compile time of the kernel ``entry`` of ``module`` (``grid_kernel``
    ``resample_strip``: Gaussian and Nearest, ``grid_interpolate`` ``interpolate_strip``:
    bilinear and cubic) in a fresh process with an empty numba cache."""
    with tempfile.TemporaryDirectory() as cache:
        env = os.environ | {"NUMBA_CACHE_DIR": cache}
        script = COMPILE.format(repo=str(REPO), module=module, entry=entry)
        completed = subprocess.run([sys.executable, "-c", script],
                                   env=env, capture_output=True, text=True, check=True)  # fmt: skip
    return float(completed.stdout.split()[-1])


WITHOUT_HELPERS = """
import sys
sys.path.insert(0, {scripts!r})
import bench_kernel
from goci_resample_plugin.core.read import read_goci_subset, read_target_grid
from goci_resample_plugin.core.resample import compiled
compiled.load_helpers = lambda kernel: 0
subset, grid = read_goci_subset({goci!r}, ()), read_target_grid({landsat!r})
print(*(bench_kernel.ns_per_pixel(subset, grid, m, {rows}) for m in ("bilinear", "cubic")))
"""


def ns_without_helpers(goci, landsat, rows):
    """(bilinear, cubic) :func:`ns_per_pixel` in a fresh process that loads the interpolation
    kernel from numba's cache without loading its helpers first."""
    code = WITHOUT_HELPERS.format(scripts=str(REPO / "scripts"), goci=str(goci),
                                  landsat=str(landsat), rows=rows)  # fmt: skip
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True)  # fmt: skip
    return [float(value) for value in completed.stdout.split()[-2:]]


def ns_per_pixel(subset, grid, method, rows):
    """Best of 4: ns per target pixel of ``resample_rows`` on ``rows`` middle rows."""
    from goci_resample_plugin.core import ResampleOptions
    from goci_resample_plugin.core.resample.grid_engine import GridResampler

    engine = GridResampler(subset, grid, ResampleOptions(method=method))
    start = grid.height // 2
    engine.resample_rows(start, start + 1)  # compiled (or loaded from the cache)
    best = float("inf")
    for _ in range(4):
        tick = time.perf_counter()
        engine.resample_rows(start, start + rows)
        best = min(best, time.perf_counter() - tick)
    engine.settle()
    return best / (rows * grid.width) * 1e9


def newton_index_error(subset, grid, samples=20_000):
    """(max, 99.9th percentile) of |kernel − exact| fractional GOCI index (pixels) of the
    interpolators over random target pixels on the GOCI grid: the kernel's whole chain (lon/lat
    from the lattice, start from the lattice, Newton) against Newton to 1e-12 pixel from the
    exactly projected lon/lat."""
    import numpy as np

    from goci_resample_plugin.core import ResampleOptions
    from goci_resample_plugin.core.resample import grid_index, grid_kernel
    from goci_resample_plugin.core.resample.compiled import from_python
    from goci_resample_plugin.core.resample.grid_engine import GridResampler
    from goci_resample_plugin.core.resample.index_space import fractional_index, on_grid

    row_lattice = from_python(grid_kernel.row_lattice)
    index = from_python(grid_index._index)
    engine = GridResampler(subset, grid, ResampleOptions(method="bilinear"))
    engine.settle()
    geometry, sources = engine.geometry, engine._bundles[1]
    random = np.random.default_rng(1)
    rows = random.integers(0, grid.height, samples)
    cols = random.integers(0, grid.width, samples)
    kernel = np.full((samples, 2), np.nan)
    step, weights = geometry.step, geometry.weights
    for n, (row, col) in enumerate(zip(rows, cols)):
        along, centre = row_lattice(geometry.lonlat, geometry.centre, weights, step, row)
        q, g = divmod(int(col), step)
        lon, lat = weights[g] @ along[q : q + 4]  # the kernel's cubic Lagrange along the row
        ci, cj = (1 - g / step) * centre[q + 1] + g / step * centre[q + 2]
        kernel[n] = index(sources.lonlat, sources.near, lon, lat, ci, cj, 0.0)
    lon, lat = grid.pixel_lonlat(rows, cols)
    located = subset.geolocation_valid
    exact = fractional_index(np.where(located, subset.longitude, np.nan),
                             np.where(located, subset.latitude, np.nan), lon, lat,
                             kernel[:, 0], kernel[:, 1], tolerance=1e-12)  # fmt: skip
    inside = on_grid(*exact, subset.shape) & np.isfinite(kernel).all(axis=1)
    error = np.abs(kernel - np.stack(exact, axis=1))[inside].max(axis=1)
    return float(error.max()), float(np.quantile(error, 0.999))


def index_error(subset, grid, samples=20_000):
    """(max, 99.9th percentile) of |interpolated − per-pixel| fractional GOCI index (pixels)
    over random target pixels whose index lies inside the GOCI grid."""
    import numpy as np

    from goci_resample_plugin.core import ResampleOptions
    from goci_resample_plugin.core.resample.geometry import lonlat_to_xyz
    from goci_resample_plugin.core.resample.grid_engine import GridResampler
    from goci_resample_plugin.core.resample.grid_lattice import LATTICE_STEP, source_index

    engine = GridResampler(subset, grid, ResampleOptions())
    engine.settle()
    random = np.random.default_rng(0)
    rows = random.integers(0, grid.height, samples)
    cols = random.integers(0, grid.width, samples)
    centre = engine.geometry.centre
    p, g = np.divmod(rows, LATTICE_STEP)
    q, h = np.divmod(cols, LATTICE_STEP)
    fr, fc = (g / LATTICE_STEP)[:, None], (h / LATTICE_STEP)[:, None]
    interpolated = ((1 - fr) * (1 - fc) * centre[p + 1, q + 1]
                    + (1 - fr) * fc * centre[p + 1, q + 2]
                    + fr * (1 - fc) * centre[p + 2, q + 1]
                    + fr * fc * centre[p + 2, q + 2])  # fmt: skip
    lon, lat = grid.pixel_lonlat(rows, cols)
    points = lonlat_to_xyz(lon, lat).reshape(-1, 1, 3)
    xyz = lonlat_to_xyz(subset.longitude, subset.latitude)
    exact, _ = source_index(points, xyz, subset.geolocation_valid, near=1e3)
    exact = exact.reshape(-1, 2)
    inside = ((exact >= 0) & (exact <= np.array(subset.shape) - 1)).all(axis=1)
    error = np.abs(interpolated - exact)[inside].max(axis=1)
    return float(error.max()), float(np.quantile(error, 0.999))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=256)
    args = parser.parse_args(argv)
    os.environ["NUMBA_NUM_THREADS"] = "1"
    from goci_resample_plugin.core.read import read_goci_subset, read_target_grid
    from goci_resample_plugin.core.resample import compiled

    compiled.HELPERS_MIN_PIXELS = 0  # the helpers loaded first, as on a full scene
    goci, landsat = scene()
    subset, grid = read_goci_subset(goci, ()), read_target_grid(landsat)
    compiled = [compile_seconds("grid_kernel", "resample_strip") for _ in range(2)]
    compiled_index = [compile_seconds("grid_interpolate", "interpolate_strip") for _ in range(2)]
    speed = {m: ns_per_pixel(subset, grid, m, args.rows)
             for m in ("gauss", "nearest", "bilinear", "cubic")}  # fmt: skip
    without = ns_without_helpers(goci, landsat, args.rows)
    worst, tail = index_error(subset, grid)
    newton_worst, newton_tail = newton_index_error(subset, grid)
    rows = [
        ("compile, Gaussian/Nearest kernel (empty numba cache, two fresh processes)",
         f"{min(compiled):.2f} / {max(compiled):.2f} s"),
        ("compile, bilinear/cubic kernel (the same)",
         f"{min(compiled_index):.2f} / {max(compiled_index):.2f} s"),
        *((f"{name}, one thread", f"{speed[method]:.0f} ns per target pixel")
          for name, method in (("Gaussian", "gauss"), ("Nearest", "nearest"),
                               ("Bilinear", "bilinear"), ("Cubic", "cubic"))),
        ("Bilinear / cubic, one thread, the helpers not loaded before the kernel",
         f"{without[0]:.0f} / {without[1]:.0f} ns per target pixel"),
        ("fractional GOCI index from the lattice vs per pixel, inside the grid",
         f"max {worst:.2e}, 99.9 % {tail:.2e} GOCI pixels"),
        ("interpolators' fractional GOCI index (lattice lon/lat + Newton) vs exact",
         f"max {newton_worst:.2e}, 99.9 % {newton_tail:.2e} GOCI pixels"),
    ]  # fmt: skip
    lines = [
        f"# Grid kernel on its own ({grid.width} × {grid.height} GOCI-II, "
        "`scripts/bench_kernel.py`)",
        "",
        "| what | figure |",
        "|---|---|",
        *(f"| {what} | {figure} |" for what, figure in rows),
        "",
        f"CPU: {_cpu()}. Measured {time.strftime('%Y-%m-%d %H:%M')} (figures of this run).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (REPO / "bench" / "kernel.md").write_text(text, encoding="utf-8")


def _cpu():
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            for line in info:
                if line.startswith("model name"):
                    return f"{line.split(':', 1)[1].strip()}, {os.cpu_count()} cores"
    except OSError:
        pass
    return f"{os.cpu_count()} cores"


if __name__ == "__main__":
    main()
