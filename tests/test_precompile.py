"""The first run after an install: the plugin, once QGIS loads it, compiles the fast engine in a
process of its own, so the first run finds it ready; a run that starts meanwhile waits for
that process instead of compiling the same kernel again (``core/resample/precompile.py``)."""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KERNEL_FILES = ("grid_kernel.resample_strip", "grid_interpolate.interpolate_strip",
                "grid_interpolate.assign_strip")  # fmt: skip


def _compiled(cache):
    """The kernels with a compilation in the numba cache folder ``cache``."""
    return {name for name in KERNEL_FILES if any(cache.rglob(f"{name}-*.nbi"))}


def _times(cache):
    """{kernel: seconds its compile took} as the compiling children recorded them."""
    return {path.name.split(".")[1]: float(path.read_text())
            for path in cache.rglob("goci_resample_compile.*.txt")}  # fmt: skip


def _wait_for_every_kernel(cache, seconds=180):
    deadline = time.monotonic() + seconds
    while _compiled(cache) != set(KERNEL_FILES) or any(cache.rglob("*.pid")):
        assert time.monotonic() < deadline, f"compiled so far: {_compiled(cache)}"
        time.sleep(0.5)


def test_loading_the_plugin_compiles_the_engine_for_the_first_run(qgis_process, scene, tmp_path):
    cache = tmp_path / "numba cache 缓存"  # an empty cache: as after installing
    env = {"NUMBA_CACHE_DIR": str(cache)}
    started = time.monotonic()
    qgis_process("list", check=True, env=env)  # QGIS loads the plugin, nothing is run
    _wait_for_every_kernel(cache)
    times = _times(cache)
    assert set(times) == {"resample_strip", "interpolate_strip", "assign_strip"}
    assert all(0 < seconds < time.monotonic() - started for seconds in times.values())
    completed = qgis_process(
        "--json", "run", "gociresample:resamplepair", "--", f"GOCI={scene.goci}",
        f"LANDSAT={scene.landsat}", "BANDS=660", f"OUTPUT={tmp_path / 'o.tif'}", check=True,
        env=env,
    )  # fmt: skip
    assert "Preparing the fast engine" not in completed.stdout + completed.stderr
    assert json.loads(completed.stdout)["results"]["VALID_FRACTION"] > 0.5


RUN = """
import json, sys
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core import ResampleOptions, RunControl, resample_pair
from goci_resample_plugin.core.resample.precompile import start_compiling
assert start_compiling()
lines = []
control = RunControl(log=lambda level, text: lines.append(text))
resample_pair({goci!r}, {landsat!r}, {output!r}, ResampleOptions(wavelengths=(660,)), control)
print(json.dumps(lines))
"""


def test_a_run_started_while_the_engine_compiles_waits_for_it(scene, tmp_path):
    cache = tmp_path / "numba"
    code = RUN.format(repo=str(REPO), goci=str(scene.goci), landsat=str(scene.landsat),
                      output=str(tmp_path / "o.tif"))  # fmt: skip
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               env=os.environ | {"NUMBA_CACHE_DIR": str(cache)}, timeout=300,
                               check=True)  # fmt: skip
    lines = json.loads(completed.stdout.splitlines()[-1])
    [preparing] = [line for line in lines if "Preparing the fast engine" in line]
    assert re.search(r"about \d+ s of one core", preparing), preparing
    assert "by a background process started when QGIS loaded the plugin" in preparing
    _wait_for_every_kernel(cache)
    # the child, not the run, compiled the kernel: its time is recorded, measured here
    assert _times(cache)["resample_strip"] > 0


GAUSSIAN_RUN = """
import sys
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core import ResampleOptions, resample_pair
resample_pair({goci!r}, {landsat!r}, {output!r}, ResampleOptions(wavelengths=(660,)),
              overwrite=True)
"""


def test_a_kernel_a_run_compiled_itself_before_the_plugin_loaded_still_runs(scene, tmp_path):
    """A notebook user runs Gaussian first (the run compiles that kernel), then opens QGIS:
    the child compiles the others and records only their times. Gaussian must still run."""
    cache = tmp_path / "numba"
    env = os.environ | {"NUMBA_CACHE_DIR": str(cache)}
    code = GAUSSIAN_RUN.format(repo=str(REPO), goci=str(scene.goci), landsat=str(scene.landsat),
                               output=str(tmp_path / "o.tif"))  # fmt: skip
    subprocess.run([sys.executable, "-c", code], env=env, timeout=300, check=True)
    start = (f"import sys; sys.path.insert(0, {str(REPO)!r}); from goci_resample_plugin.core."
             "resample.precompile import start_compiling; assert start_compiling()")  # fmt: skip
    subprocess.run([sys.executable, "-c", start], env=env, timeout=60, check=True)
    _wait_for_every_kernel(cache)
    assert set(_times(cache)) == {"interpolate_strip", "assign_strip"}
    completed = subprocess.run([sys.executable, "-c", code], env=env, timeout=300,
                               capture_output=True, text=True)  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-2000:]


START = """
import json, sys
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core.resample.precompile import start_compiling
print(json.dumps([start_compiling(), "numba" in sys.modules]))
"""


def test_once_compiled_a_qgis_start_does_not_even_import_numba_until_the_cache_is_cleared(
    tmp_path,
):
    """Every QGIS start asks whether to compile; once everything is, the stamp answers without
    importing numba (0.2–0.3 s of every start). A user who clears numba's cache gets a new
    compiling child, not a stale stamp."""
    import shutil

    cache = tmp_path / "numba"
    env = os.environ | {"NUMBA_CACHE_DIR": str(cache), "XDG_CACHE_HOME": str(tmp_path / "xdg")}

    def start():
        completed = subprocess.run([sys.executable, "-c", START.format(repo=str(REPO))],
                                   env=env, timeout=120, capture_output=True, text=True,
                                   check=True)  # fmt: skip
        return json.loads(completed.stdout.splitlines()[-1])

    assert start() == [True, True]  # nothing compiled: a child compiles
    _wait_for_every_kernel(cache)
    assert list((tmp_path / "xdg" / "goci-resample").glob("compiled-*.json"))
    assert start() == [False, False]  # compiled: answered from the stamp, numba not imported
    shutil.rmtree(cache)
    assert start() == [True, True]  # the cache is gone: compiled again
    _wait_for_every_kernel(cache)
    assert start() == [False, False]


KILLED_CHILD_RUN = """
import glob, json, os, signal, sys, time
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core import ResampleOptions, RunControl, resample_pair
from goci_resample_plugin.core.resample.precompile import start_compiling
assert start_compiling()
[lock] = glob.glob(os.path.join(os.environ["NUMBA_CACHE_DIR"], "**",
                                "goci_resample_precompile.resample_strip.pid"), recursive=True)
time.sleep(1)
os.kill(int(open(lock).read()), signal.SIGKILL)  # our own child: a zombie until reaped
lines = []
control = RunControl(log=lambda level, text: lines.append(text))
result = resample_pair({goci!r}, {landsat!r}, {output!r}, ResampleOptions(wavelengths=(660,)),
                       control)
print(json.dumps([result.valid_fraction, lines]))
"""


def test_a_run_whose_compiling_child_was_killed_compiles_the_kernel_itself(scene, tmp_path):
    """The child compiling the Gaussian kernel dies (killed, out of memory) while a run waits
    for it; not reaped yet, it is a zombie, which a signal test still finds "alive". The run
    must see it gone and compile the kernel itself, not wait for ever."""
    paths = dict(goci=str(scene.goci), landsat=str(scene.landsat), output=str(tmp_path / "o.tif"))
    code = KILLED_CHILD_RUN.format(repo=str(REPO), **paths)
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               env=os.environ | {"NUMBA_CACHE_DIR": str(tmp_path / "numba")},
                               timeout=240)  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-2000:]
    valid_fraction, lines = json.loads(completed.stdout.splitlines()[-1])
    assert valid_fraction > 0.5
    assert any("Fast engine compiled" in line for line in lines)
