"""``make bench``: the plugin against GDAL's geolocation warp, side by side, on both formats.

Usage: python3 scripts/bench.py [--formats goci2,goci1] [--sizes full,half,quarter,aoi]
                                [--skip-qgis-process]

Generates (once, cached in ``bench/cache/``) scene pairs of both formats — GOCI-II 250 m (the
user's data, FORMATS.md) and GOCI-I 500 m — at four sizes (full, half, quarter and a 1000 × 1000
area of interest), then for each pair runs, each in a child process whose wall time and peak
RSS (``wait4``) are recorded:

* GDAL's warper with the GOCI geolocation arrays (``gdal.Warp``, ``geoloc``), bilinear, cubic
  and nearest, onto the same grid, writing the same compressed GeoTIFF;
* the plugin's ``resample_pair`` (grid engine), Gaussian, bilinear and cubic *cold* — an empty
  numba cache, as on the first run after installing — and every method *warm*, with the
  default DEFLATE and with the optional ZSTD (*warm ZSTD*; GDAL still writes DEFLATE);
* on the quarter and 1000 × 1000 pairs, the warm runs and GDAL's in ``ROUNDS`` rounds, each
  row the median; and *in session*: the second run in one process, for
  GDAL and every method (the desktop's case, where imports and loading are paid once);
* on the full-size pairs, the same through ``qgis_process`` (packaged plugin, throw-away
  profile; the time includes QGIS's start-up), cold, and warm in ``ROUNDS`` interleaved
  rounds (every method and the match-ups in turn, GDAL's three between rounds), each row
  the median of its three runs, GDAL's too (its first run is the pair's first);
* on the full-size pairs, *write only*: the plugin's own output, already in memory, written
  again by the plugin's writer (same threads, DEFLATE and ZSTD): the floor any run writing
  this format pays, whatever the resampling costs.

Agreement with the SPEC §3 reference (pyresample for Gaussian and Nearest, the closed-form
index-space reference of ``tests/reference.py`` for bilinear and cubic, on 20 000 of its
pixels) is checked on a 1000 × 1000 crop of each full-size output. Prints a table and saves
``bench/results.md`` and ``bench/results.json``. This is a benchmark, not a test: nothing
here asserts a time.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "tests"))

from demo import QGIS_PROCESS, packaged_plugin, qgis_process_env  # noqa: E402
from sample_data import SceneSpec, goci2_spec  # noqa: E402

from goci_resample_plugin.core.options import COMPRESSIONS  # noqa: E402

SIZES = {"full": (7700, 7800), "half": (3850, 3900), "quarter": (1925, 1950), "aoi": (1000, 1000)}
FORMATS = {
    "goci2": ("GOCI-II 250 m", "goci2", goci2_spec),
    "goci1": ("GOCI-I 500 m", "new", SceneSpec),
}
CACHE = REPO / "bench" / "cache"
CROP = 1000
PEER = {
    "gauss": "bilinear",
    "nearest": "near",
    "bilinear": "bilinear",
    "cubic": "cubic",
    "matchups": "brute force",
}
"""The peer each plugin method is compared with: GDAL's method, or for the match-ups the
brute-force aggregation of ``scripts/matchup_peer.py``."""
ROUNDS = 3
"""Rounds of the warm ``qgis_process`` runs on full scenes: every method (and the match-ups) in
turn, round after round, each row the median of its rounds. The same run varies by 10–40 %
from minute to minute on a shared 2-core machine; interleaved rounds put every method through
the same minutes, so the ratios between them (interpolators and match-ups against Nearest)
are not one minute's noise."""
METHODS = ("gauss", "nearest", "bilinear", "cubic")
"""The plugin's methods in ``METHOD`` enum order."""

PLUGIN_RUN = """
import sys, json
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core import ResampleOptions, resample_pair
result = resample_pair({goci!r}, {landsat!r}, {output!r},
                       ResampleOptions(method={method!r}, compression={codec!r}),
                       engine="grid", overwrite=True)
print(json.dumps({{"engine": result.engine, "seconds": result.seconds}}))
"""

SESSION_RUN = """
import sys, json, time
sys.path.insert(0, {repo!r})
sys.path.insert(0, {scripts!r})
from goci_resample_plugin.core import ResampleOptions, resample_pair
from gdal_peer import warp_with_geolocation
def once():
    if {tool!r} == "plugin":
        result = resample_pair({goci!r}, {landsat!r}, {output!r},
                               ResampleOptions(method={method!r}), engine="grid", overwrite=True)
        return {{"engine": result.engine, "seconds": result.seconds}}
    return warp_with_geolocation({goci!r}, {landsat!r}, {output!r}, {method!r})
once()  # the first run of the session: imports, numba's cache loaded, GDAL's drivers
started = time.perf_counter()
answer = once()
answer["second_run_s"] = time.perf_counter() - started
print(json.dumps(answer))
"""
"""A second run in one process (the desktop case: imports and compiled kernels paid by the
first), timed by the process itself."""

WRITE_RUN = """
import sys, json, time
from pathlib import Path
sys.path.insert(0, {repo!r})
import rasterio
from goci_resample_plugin.core.write.geotiff import STRIP_ROWS, GeoTiffWriter, geotiff_profile
with rasterio.open({source!r}) as source:
    data = source.read()
    profile = geotiff_profile(source.width, source.height, source.count, source.crs,
                              source.transform, {codec!r})
started = time.perf_counter()
with GeoTiffWriter({output!r}, Path({output!r}), profile) as writer:
    for row in range(0, data.shape[1], STRIP_ROWS):
        writer.write(row, data[:, row:row + STRIP_ROWS])
print(json.dumps({{"engine": "writer", "seconds": {{"write": time.perf_counter() - started}}}}))
"""

MATCHUP_RUN = """
import sys, json
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core.matchups import match_pair
result = match_pair({goci!r}, {landsat!r}, {output!r}, overwrite=True, engine="grid")
print(json.dumps({{"engine": "grid", "seconds": result.seconds}}))
"""

PEER_MATCHUP_RUN = """
import sys, json
sys.path.insert(0, {scripts!r})
from matchup_peer import aggregate
print(json.dumps(aggregate({goci!r}, {landsat!r})))
"""

GDAL_RUN = """
import sys, json
sys.path.insert(0, {repo!r})
sys.path.insert(0, {scripts!r})
from gdal_peer import warp_with_geolocation
print(json.dumps(warp_with_geolocation({goci!r}, {landsat!r}, {output!r}, {method!r})))
"""


def cached_scene(format_name, size_name):
    """Return (landsat, goci) of the cached pair, generating it if absent.

    Generation runs in a child process: a big parent would inflate every later child's peak
    RSS (Linux carries the high-water mark across fork and exec)."""
    width, height = SIZES[size_name]
    _, generation, make_spec = FORMATS[format_name]
    base = make_spec()
    scene = f"{base.scene}_{width}x{height}"
    spec = make_spec(scene=scene, width=width, height=height, seed=7)
    landsat = CACHE / scene / f"{scene}_TOA_RAD_B1-2-3-4-5.tif"
    goci = CACHE / scene / f"{spec.goci_stem}_subset_footprint.nc"
    if not (landsat.is_file() and goci.is_file()):
        started = time.perf_counter()
        command = [sys.executable, str(REPO / "scripts" / "sample_data.py"), str(CACHE),
                   "--generation", generation, "--scene", scene, "--width", str(width),
                   "--height", str(height), "--seed", "7"]  # fmt: skip
        subprocess.run(command, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
        print(f"generated {scene} in {time.perf_counter() - started:.0f} s", flush=True)
    return landsat, goci


def measure(command, env=None):
    """Run ``command``; return (wall s, peak RSS MiB, its stdout)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    stdout = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"benchmark child {command[:3]} failed (status {status}):\n{stdout}")
    return seconds, usage.ru_maxrss / 1024, stdout


def python_child(code, numba_cache=None):
    env = os.environ | ({"NUMBA_CACHE_DIR": str(numba_cache)} if numba_cache else {})
    seconds, rss, stdout = measure([sys.executable, "-c", code], env)
    return seconds, rss, json.loads(stdout.strip().splitlines()[-1])


def qgis_process_child(plugins, numba_cache, goci, landsat, output, method, codec="deflate"):
    if method == "matchups":
        arguments = ["gociresample:matchups", "--", f"OUTPUT={Path(output).with_suffix('.nc')}",
                     f"OUTPUT_POINTS={Path(output).with_suffix('.gpkg')}",
                     f"OUTPUT_TABLE={Path(output).with_suffix('.csv')}",
                     f"OUTPUT_REPORT={Path(output).with_suffix('.html')}"]  # fmt: skip
    else:
        arguments = ["gociresample:resamplepair", "--", f"METHOD={METHODS.index(method)}",
                     f"COMPRESSION={COMPRESSIONS.index(codec)}", f"OUTPUT={output}"]  # fmt: skip
    with qgis_process_env(plugins, numba_cache) as env:
        command = [QGIS_PROCESS, "--json", "run", *arguments, f"GOCI={goci}",
                   f"LANDSAT={landsat}", "OVERWRITE=true"]  # fmt: skip
        seconds, rss, _ = measure(command, env)
    if method == "matchups":
        return seconds, rss, {"engine": "grid", "seconds": {}}
    sidecar = json.loads(Path(output).with_suffix(".json").read_text(encoding="utf-8"))
    return seconds, rss, {"engine": sidecar["engine"], "seconds": sidecar["seconds"]}


def _wait_for_compiling_children(numba_cache):
    """Wait until the compiling children the plugin starts when QGIS loads it (their pid files
    under ``numba_cache``) have ended, so that they neither compete with the next timed run
    nor write into a cache being copied."""
    from goci_resample_plugin.core.resample.kernel_cache import LOCK_PATTERN
    from goci_resample_plugin.core.system import process_alive

    for lock in Path(numba_cache).rglob(LOCK_PATTERN):
        try:
            pid = int(lock.read_text(encoding="ascii") or 0)
        except (OSError, ValueError):
            continue
        while pid > 0 and lock.exists() and process_alive(pid):  # a zombie counts as ended
            time.sleep(0.2)


def run(formats, sizes, with_qgis_process):
    rows, agreement, checks = [], {}, []
    plugins = packaged_plugin(CACHE / "plugin") if with_qgis_process else None
    for format_name in formats:
        for size_name in sizes:
            landsat, goci = cached_scene(format_name, size_name)
            numba_cache = Path(tempfile.mkdtemp(prefix="numba-warm-"))  # what runs compiled
            size_start = len(rows)
            cases = [("GDAL warp geoloc", method, "–") for method in ("bilinear", "cubic", "near")]
            if size_name == "full":
                cases += [("brute force", "matchups", "–")]
            cases += [
                ("plugin", method, state)
                for method in METHODS
                for state in (("warm",) if method == "nearest" else ("cold", "warm"))
            ]
            if with_qgis_process and size_name == "full":  # each kernel compiles on its own
                cases += [("qgis_process", method, "cold") for method in METHODS if
                          method != "nearest"]  # fmt: skip
                cases += [  # GDAL's runs vary as much: in the rounds too, after the first
                    case
                    for number in range(ROUNDS)
                    for case in (
                        *[("qgis_process", method, "warm") for method in (*METHODS, "matchups")],
                        *[("GDAL warp geoloc", m, "–") for m in ("bilinear", "cubic", "near")
                          if number < ROUNDS - 1],
                    )
                ]  # fmt: skip
            if size_name in ("quarter", "aoi"):  # short runs, where a busy second weighs
                cases += [
                    case
                    for _ in range(ROUNDS - 1)
                    for case in (
                        *[("plugin", method, "warm") for method in METHODS],
                        *[("GDAL warp geoloc", m, "–") for m in ("bilinear", "cubic", "near")],
                    )
                ]
            cases += [("plugin", method, "warm ZSTD") for method in METHODS]
            if size_name in ("quarter", "aoi"):  # where fixed costs weigh: the desktop's case
                cases += [
                    ("GDAL warp geoloc", m, "in session") for m in ("bilinear", "cubic", "near")
                ]
                cases += [("plugin", method, "in session") for method in METHODS]
            if with_qgis_process and size_name == "full":
                cases += [("qgis_process", method, "warm ZSTD") for method in METHODS]
            if size_name == "full":
                cases += [("write only", method, "–") for method in METHODS]
                cases += [("write only", "gauss", "ZSTD"), ("write only", "nearest", "ZSTD"),
                          ("plugin", "matchups", "cold"),
                          ("plugin", "matchups", "warm")]  # fmt: skip
            outputs = {}
            for tool, method, state in cases:
                codec = "zstd" if state.endswith("ZSTD") else "deflate"
                output = CACHE / f"out_{format_name}_{size_name}_{tool[:6]}_{method}_{codec}.tif"
                if state == "in session":
                    code = SESSION_RUN.format(repo=str(REPO), scripts=str(REPO / "scripts"),
                                              tool=tool, goci=str(goci), landsat=str(landsat),
                                              output=str(output), method=method)  # fmt: skip
                    _, rss, answer = python_child(code, numba_cache)
                    seconds = answer["second_run_s"]
                elif tool.startswith("GDAL"):
                    code = GDAL_RUN.format(repo=str(REPO), scripts=str(REPO / "scripts"),
                                           goci=str(goci), landsat=str(landsat),
                                           output=str(output), method=method)  # fmt: skip
                    seconds, rss, answer = python_child(code)
                elif tool == "brute force":
                    code = PEER_MATCHUP_RUN.format(scripts=str(REPO / "scripts"), goci=str(goci),
                                                   landsat=str(landsat))  # fmt: skip
                    seconds, rss, answer = python_child(code)
                elif tool == "write only":  # the time of the write alone, not of the read
                    code = WRITE_RUN.format(repo=str(REPO), source=str(outputs[method]),
                                            output=str(output), codec=codec)  # fmt: skip
                    _, rss, answer = python_child(code)
                    seconds = answer["seconds"]["write"]
                else:
                    # cold: an empty numba cache of its own, merged into the warm one after
                    cache = (
                        Path(tempfile.mkdtemp(prefix="numba-cold-"))
                        if state == "cold"
                        else numba_cache
                    )
                    if tool == "plugin":
                        matchups = method == "matchups"
                        code = (MATCHUP_RUN if matchups else PLUGIN_RUN).format(
                            repo=str(REPO), goci=str(goci), landsat=str(landsat),
                            output=str(output.with_suffix(".nc") if matchups else output),
                            method=method, codec=codec)  # fmt: skip
                        seconds, rss, answer = python_child(code, cache)
                    else:
                        seconds, rss, answer = qgis_process_child(
                            plugins, cache, goci, landsat, output, method, codec
                        )
                    _wait_for_compiling_children(cache)  # started by QGIS loading the plugin
                    if cache != numba_cache:  # what the cold run compiled: warm from now on
                        shutil.copytree(cache, numba_cache, dirs_exist_ok=True)
                        shutil.rmtree(cache)
                    if (
                        size_name == "full"
                        and state == "warm"
                        and tool == "plugin"
                        and method != "matchups"
                    ):
                        outputs[method] = output
                width, height = SIZES[size_name]
                row = {
                    "format": FORMATS[format_name][0],
                    "size": f"{width} × {height}",
                    "megapixels": round(width * height / 1e6, 1),
                    "tool": tool,
                    "method": method,
                    "state": state,
                    "engine": answer.get("engine", "gdal"),
                    "wall_s": round(seconds, 2),
                    "peak_rss_mib": round(rss),
                    "ratio_to_gdal": None,  # once every run of the pair is in: ratios()
                    "stages_s": {k: round(v, 2) for k, v in answer.get("seconds", {}).items()},
                }
                rows.append(row)
                print(_line(row), flush=True)
            shutil.rmtree(numba_cache, ignore_errors=True)
            rows[size_start:] = ratios(medians(rows[size_start:]))
            if outputs:
                checks.append((FORMATS[format_name][0], goci, landsat, outputs))
    # After every timed run: the reference's memory would raise later children's peak RSS
    for label, goci, landsat, outputs in checks:
        agreement[label] = agreement_on_crop(goci, landsat, outputs)
        print(f"agreement ({label}, 1000 × 1000 crop): {agreement[label]}", flush=True)
    return rows, agreement


def medians(rows):
    """``rows`` with the rows of each repeated (tool, method, run) replaced by their median run
    (by wall time), the round times kept in ``rounds_s``, in the place of the first."""
    groups = {}
    for row in rows:
        groups.setdefault((row["tool"], row["method"], row["state"]), []).append(row)
    result = []
    for group in groups.values():
        if len(group) == 1:
            result.append(group[0])
            continue
        middle = sorted(group, key=lambda row: row["wall_s"])[(len(group) - 1) // 2]
        result.append(
            middle
            | {
                "rounds_s": [row["wall_s"] for row in group],
                "peak_rss_mib": max(row["peak_rss_mib"] for row in group),
            }
        )
    return result


def ratios(rows):
    """``rows`` (one pair's) with each plugin row's ratio to its peer's row (``PEER``; the
    peer's *in session* row for an *in session* one)."""
    peers = {("brute force" if row["tool"] == "brute force" else row["method"],
              row["state"] == "in session"): row["wall_s"]
             for row in rows if row["tool"] in ("GDAL warp geoloc", "brute force")}  # fmt: skip
    for row in rows:
        if row["tool"] in ("GDAL warp geoloc", "brute force"):
            continue
        peer = peers.get((PEER[row["method"]], row["state"] == "in session"))
        if peer:
            row["ratio_to_gdal"] = round(row["wall_s"] / peer, 2)
    return rows


def agreement_on_crop(goci, landsat, outputs):
    """Compare outputs with the pyresample reference on a central CROP × CROP window."""
    import numpy as np
    import rasterio
    from rasterio.windows import Window
    from reference import agreement, reference_interpolate, reference_resample

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
        if method in ("bilinear", "cubic"):  # the per-pixel reference, on a sample
            pixels = np.random.default_rng(0).choice(CROP * CROP, 20_000, replace=False)
            ours = ours.reshape(len(ours), -1)[:, pixels]
            reference = reference_interpolate(goci, crop_path, wavelengths, method, "skip", pixels)
        else:
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


HEADER = (
    "| format | target | tool | method | run | wall s | peak RSS MiB | ratio to peer | "
    "read / resample / write s |\n|---|---|---|---|---|---|---|---|---|"
)


def _line(row):
    ratio = f"{row['ratio_to_gdal']:.2f}" if row["ratio_to_gdal"] is not None else "–"
    stages = row["stages_s"]
    split = (
        f"{stages['read']:.1f} / {stages['resample']:.1f} / {stages['write']:.1f}"
        if "resample" in stages
        else "–"
    )
    state = row["state"]
    if "rounds_s" in row:
        rounds = ", ".join(f"{seconds:.1f}" for seconds in row["rounds_s"])
        median = f"median of {len(row['rounds_s'])} ({rounds})"
        state = median if state == "–" else f"{state}, {median}"
    return (
        f"| {row['format']} | {row['size']} | {row['tool']} | {row['method']} | {state} "
        f"| {row['wall_s']:.1f} | {row['peak_rss_mib']} | {ratio} | {split} |"
    )


def save(rows, agreement):
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        "# Benchmark: goci-resample vs GDAL's geolocation warp",
        "",
        f"Produced by `make bench` on {time.strftime('%Y-%m-%d')} ({machine}; the rows of a "
        "later partial run, `scripts/bench.py --merge`, replace those of its formats and "
        "sizes, each ratio taken within its own run). Read → resample "
        "→ write a float32 5-band tiled deflate (level 1, float predictor) GeoTIFF; wall time "
        "and peak RSS of a child process per run. Ratio to the peer: Gaussian and bilinear vs "
        "GDAL bilinear, cubic vs GDAL cubic, Nearest vs GDAL nearest, the match-ups "
        "(`gociresample:matchups`: NetCDF, GeoPackage, CSV and HTML) vs the brute-force "
        "aggregation a script would do (`scripts/matchup_peer.py`: KD-tree nearest GOCI "
        "pixel and `np.bincount`, no files), same pair and run of the benchmark. *cold* = "
        "nothing compiled yet (an empty numba cache, as after installing); *warm* = the "
        "kernel compiled by an earlier run; *in session* = the second run in one process (the "
        "desktop's case: imports and the kernel's loading paid by the first), GDAL's too. "
        "`qgis_process` rows include QGIS's start-up. On full scenes the warm `qgis_process` "
        "rows, on quarter and 1000 × 1000 ones the warm plugin rows, and GDAL's are the median "
        f"of {ROUNDS} runs (every method in turn, round after round, GDAL's between rounds; "
        "each run's wall time in brackets), and the ratios are to those medians; the other "
        "rows are one run each. The "
        "read / resample / write split is the plugin's own (a background thread encodes "
        "each row of tiles on every core while the next rows are resampled, so the parts "
        "overlap; GDAL makes the file, the plugin encodes its tiles). *write "
        "only*: the plugin's warm output, already in memory, written again the same way — the "
        "part of any run that no resampling speed removes.",
        "",
        HEADER,
        *[_line(row) for row in rows],
        "",
        "Agreement with the SPEC §3 reference (central 1000 × 1000 crop of each full-size "
        "output; pyresample for Gaussian and Nearest, the closed-form index-space reference "
        "on 20 000 pixels for bilinear and cubic):",
        "",
    ]
    for format_label, methods in agreement.items():
        for method, figures in methods.items():
            lines.append(
                f"- {format_label}, {method}: max relative difference "
                f"{figures['max_relative']:.2e}, NaN-pattern mismatch "
                f"{figures['nan_mismatch']:.2e}, identical pixels {figures['identical']:.6%}, "
                f"reference valid {figures['valid']:.1%}"
            )
    (REPO / "bench").mkdir(exist_ok=True)
    (REPO / "bench" / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (REPO / "bench" / "results.json").write_text(
        json.dumps({"rows": rows, "agreement": agreement}, indent=2) + "\n", encoding="utf-8"
    )
    print(f"saved {REPO / 'bench' / 'results.md'}")


def _choices(text, allowed, what):
    chosen = [item for item in text.split(",") if item]
    unknown = set(chosen) - set(allowed)
    if unknown:
        sys.exit(f"unknown {what} {sorted(unknown)}; choose from {sorted(allowed)}")
    return chosen


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--formats", default="goci2,goci1")
    parser.add_argument("--sizes", default="full,half,quarter,aoi")
    parser.add_argument("--skip-qgis-process", action="store_true")
    parser.add_argument("--merge", action="store_true",
                        help="keep the rows of the other formats and sizes from "
                             "bench/results.json; replace those measured now")  # fmt: skip
    args = parser.parse_args()
    formats = _choices(args.formats, FORMATS, "formats")
    sizes = _choices(args.sizes, SIZES, "sizes")
    print(HEADER.splitlines()[0])
    rows, agreement = run(formats, sizes, not args.skip_qgis_process)
    if args.merge:
        rows, agreement = merged(rows, agreement, formats, sizes)
    save(rows, agreement)


def merged(rows, agreement, formats, sizes):
    """``rows`` and ``agreement`` of this run in place of the earlier run's rows of the same
    formats and sizes (``bench/results.json``), the earlier run's others kept, in its order;
    each row's ratio is to its peer of the run that measured it."""
    earlier = json.loads((REPO / "bench" / "results.json").read_text(encoding="utf-8"))
    measured = {(FORMATS[f][0], "{} × {}".format(*SIZES[s])) for f in formats for s in sizes}
    kept = [row for row in earlier["rows"] if (row["format"], row["size"]) not in measured]
    order = [(row["format"], row["size"]) for row in earlier["rows"]]

    def position(row):  # where the earlier run had its format and size; new ones last
        key = (row["format"], row["size"])
        return order.index(key) if key in order else len(order)

    combined = sorted(kept + rows, key=position)
    return combined, earlier["agreement"] | agreement


if __name__ == "__main__":
    main()
