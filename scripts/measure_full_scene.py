"""Measure one full-size Landsat scene: wall seconds and peak RSS of ``resample_pair``.

Usage: python3 scripts/measure_full_scene.py [--method gauss|nearest] [--width 7700 --height 7800]

Generates the scene once into ``bench/cache/`` (git-ignored), then runs the resampling in a
child process and reports its wall time and peak resident memory (``wait4`` rusage), so the
figures cover reading, resampling and writing the compressed GeoTIFF.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from goci_resample_plugin.core.sample_data import SceneSpec, write_scene  # noqa: E402

CHILD = """
import sys
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core import ResampleOptions, resample_pair
result = resample_pair({goci!r}, {landsat!r}, {output!r}, ResampleOptions(method={method!r}))
print(f"engine={{result.engine}} valid_fraction={{result.valid_fraction:.4f}}")
"""


def cached_scene(width, height):
    """Return the SceneFiles of a generated scene of this size, generating it if absent."""
    spec = SceneSpec(scene=f"LC08_L1TP_116035_20200412_20200422_01_T1_{width}x{height}",
                     width=width, height=height, seed=7)
    root = REPO / "bench" / "cache"
    scene_dir = root / spec.scene
    landsat = scene_dir / f"{spec.scene}_TOA_RAD_B1-2-3-4-5.tif"
    goci = scene_dir / f"{spec.goci_stem}_subset_footprint.nc"
    if landsat.is_file() and goci.is_file():
        return landsat, goci
    started = time.perf_counter()
    files = write_scene(root, spec)
    print(f"generated {width} × {height} scene in {time.perf_counter() - started:.0f} s")
    return files.landsat, files.goci


def measure(command):
    """Run ``command``; return (wall seconds, peak RSS in MiB, stdout)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    stdout = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{command[0]} failed with status {status}")
    return seconds, usage.ru_maxrss / 1024, stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--method", choices=("gauss", "nearest"), default="gauss")
    parser.add_argument("--width", type=int, default=7700)
    parser.add_argument("--height", type=int, default=7800)
    args = parser.parse_args()
    landsat, goci = cached_scene(args.width, args.height)
    output = REPO / "bench" / "cache" / f"out_{args.width}x{args.height}_{args.method}.tif"
    code = CHILD.format(repo=str(REPO), goci=str(goci), landsat=str(landsat),
                        output=str(output), method=args.method)
    seconds, rss_mib, stdout = measure([sys.executable, "-c", code])
    megapixels = args.width * args.height / 1e6
    print(f"{args.width} × {args.height} ({megapixels:.1f} Mpx) {args.method}: {stdout}")
    print(f"wall {seconds:.1f} s ({seconds / megapixels:.2f} s/Mpx), peak RSS {rss_mib:.0f} MiB")


if __name__ == "__main__":
    main()
