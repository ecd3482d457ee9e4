"""``make bench`` (second part): batch throughput in scenes per hour — WORKERS=1, WORKERS=2
and a two-worker local dask cluster (SCHEDULER) on the same scenes, against the loop of GDAL
geolocation warps a script would run in one process.

Usage: python3 scripts/bench_batch.py [--scenes N] [--size aoi|quarter|half|full]

The scenes are N copies (symlinks) of the cached GOCI-II pair of ``scripts/bench.py`` (by
default 20 quarter-size scenes, the size users crop and try parameters on); each configuration
runs the whole batch with OVERWRITE in a child process and is timed end to end, start-up
included: ``batchresample``'s core (``run_batch``) with Gaussian and bilinear, and
``gdal.Warp`` (``scripts/gdal_peer.py``, bilinear, all cores) once per scene in one process.
Writes ``bench/batch_throughput.md``. A benchmark: nothing is asserted.
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from local_cluster import local_cluster  # noqa: E402

from bench import CACHE, cached_scene  # noqa: E402

BATCH_RUN = """
import sys
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core import ResampleOptions, run_batch
if __name__ == "__main__":
    batch = run_batch({root!r}, {output!r}, ResampleOptions(method={method!r}), overwrite=True,
                      workers={workers}, scheduler={scheduler!r})
    assert batch.counts()["ok"] == {scenes}, batch.counts()
"""

GDAL_LOOP = """
import sys
from pathlib import Path
sys.path.insert(0, {repo!r})
sys.path.insert(0, {scripts!r})
from gdal_peer import warp_with_geolocation
for number, folder in enumerate(sorted(Path({root!r}).iterdir())):
    [goci] = folder.glob("*.nc")
    [landsat] = folder.glob("*.tif")
    warp_with_geolocation(goci, landsat, Path({output!r}) / f"{{number}}.tif", "bilinear")
"""


def scene_root(size, scenes):
    """An input root of ``scenes`` folders, each holding (links to) the same cached pair."""
    landsat, goci = cached_scene("goci2", size)
    root = CACHE / f"throughput_{size}_{scenes}"
    for number in range(scenes):
        folder = root / f"{landsat.parent.name}_{number}"
        folder.mkdir(parents=True, exist_ok=True)
        for source in (landsat, goci):
            link = folder / source.name
            if not link.exists():
                link.symlink_to(source)
    return root


def timed_batch(root, scenes, workers=1, scheduler=None, method="gauss"):
    """Wall seconds of one whole batch run in a child process (``method`` "gdal": the loop of
    GDAL warps)."""
    with tempfile.TemporaryDirectory(dir=CACHE) as output:
        if method == "gdal":
            code = GDAL_LOOP.format(repo=str(REPO), scripts=str(REPO / "scripts"),
                                    root=str(root), output=output)  # fmt: skip
        else:
            code = BATCH_RUN.format(repo=str(REPO), root=str(root), output=output,
                                    workers=workers, scheduler=scheduler, scenes=scenes,
                                    method=method)  # fmt: skip
        script = Path(output) / "run.py"
        script.write_text(code, encoding="utf-8")
        started = time.perf_counter()
        subprocess.run([sys.executable, str(script)], check=True)
        return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenes", type=int, default=20)
    parser.add_argument("--size", default="quarter", choices=("aoi", "quarter", "half", "full"))
    args = parser.parse_args()
    root = scene_root(args.size, args.scenes)
    rows = [("GDAL warp loop, bilinear, one process", timed_batch(root, args.scenes,
                                                                  method="gdal"))]  # fmt: skip
    print(rows[-1], flush=True)
    for label, workers, method in (("Gaussian, WORKERS=1", 1, "gauss"),
                                   ("Gaussian, WORKERS=2", 2, "gauss"),
                                   ("bilinear, WORKERS=1", 1, "bilinear"),
                                   ("bilinear, WORKERS=2", 2, "bilinear")):  # fmt: skip
        rows.append((label, timed_batch(root, args.scenes, workers=workers, method=method)))
        print(rows[-1], flush=True)
    with tempfile.TemporaryDirectory() as folder, local_cluster(folder, workers=2) as running:
        rows.append(("Gaussian, SCHEDULER, 2 local workers",
                     timed_batch(root, args.scenes, scheduler=running[0])))  # fmt: skip
        print(rows[-1], flush=True)
    gdal = rows[0][1]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        "# Batch throughput",
        "",
        f"`make bench` on {time.strftime('%Y-%m-%d')} ({machine}): {args.scenes} GOCI-II "
        f"scenes ({args.size} size, 5 bands), each configuration a whole batch with OVERWRITE "
        "in a fresh process (start-up included); the ratio is to the loop of GDAL warps "
        "(bilinear, `NUM_THREADS=ALL_CPUS`, one process, the same output format).",
        "",
        "| configuration | wall s | s per scene | scenes per hour | ratio to GDAL |",
        "|---|---|---|---|---|",
        *[
            f"| {label} | {seconds:.1f} | {seconds / args.scenes:.2f} | "
            f"{3600 * args.scenes / seconds:.0f} | {seconds / gdal:.2f} |"
            for label, seconds in rows
        ],
    ]
    (REPO / "bench" / "batch_throughput.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
