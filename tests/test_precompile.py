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

import numpy as np
from rows import covers

REPO = Path(__file__).resolve().parent.parent
KERNEL_FILES = ("grid_kernel.resample_strip", "grid_interpolate.interpolate_strip",
                "grid_interpolate.assign_strip")  # fmt: skip
PASS_FILES = ("accumulate.accumulate", "sqlite_rows._insert",
              "predictor_kernel.undo_float_predictor")  # fmt: skip


def _compiled(cache):
    """The kernels with a compilation in the numba cache folder ``cache``."""
    return {name for name in KERNEL_FILES if any(cache.rglob(f"{name}-*.nbi"))}


def _times(cache):
    """{kernel: seconds its compile took} as the compiling children recorded them."""
    return {path.name.split(".")[1]: float(path.read_text())
            for path in cache.rglob("goci_resample_compile.*.txt")}  # fmt: skip


def _wait_for_every_kernel(cache, seconds=180):
    deadline = time.monotonic() + seconds
    while _compiled(cache) != set(KERNEL_FILES) or any(cache.rglob("*.lock")):
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
    # the match-ups' small passes too, for the types a run passes: a first match-up run
    # compiles nothing (numba would rewrite an index with each new compilation)
    deadline = time.monotonic() + 120
    while not all(any(cache.rglob(f"{name}-*.nbi")) for name in PASS_FILES):
        assert time.monotonic() < deadline, sorted(p.name for p in cache.rglob("*.nbi"))
        time.sleep(0.5)
    indexes = {path: path.stat().st_mtime_ns for path in cache.rglob("*.nbi")}
    qgis_process("--json", "run", "gociresample:matchups", "--", f"GOCI={scene.goci}",
                 f"LANDSAT={scene.landsat}", f"OUTPUT={tmp_path / 'm.nc'}",
                 f"OUTPUT_POINTS={tmp_path / 'm.gpkg'}", f"OUTPUT_TABLE={tmp_path / 'm.csv'}",
                 f"OUTPUT_REPORT={tmp_path / 'm.html'}", check=True, env=env)  # fmt: skip
    assert (tmp_path / "m.gpkg").stat().st_size > 0
    assert {path: path.stat().st_mtime_ns for path in cache.rglob("*.nbi")} == indexes


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
import glob, json, os, re, signal, sys, time
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core import ResampleOptions, RunControl, resample_pair
from goci_resample_plugin.core.resample.precompile import start_compiling
assert start_compiling()
[lock] = glob.glob(os.path.join(os.environ["NUMBA_CACHE_DIR"], "**",
                                "goci_resample_precompile.resample_strip.lock"), recursive=True)
time.sleep(1)
child = int(re.search("[0-9]+", open(lock).read()).group())  # its pid, or "process <pid> on"
os.kill(child, signal.SIGKILL)  # our own child: a zombie until reaped
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


def _answer(code, tmp_path, timeout=240):
    """The last line of what ``code`` prints (JSON), run in a fresh Python with an empty numba
    cache of its own under ``tmp_path``."""
    env = os.environ | {"NUMBA_CACHE_DIR": str(tmp_path / "numba")}
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               timeout=timeout, env=env)  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-2000:]
    return json.loads(completed.stdout.splitlines()[-1])


PLANTED_LOCK_RUN = """
import json, os, sys, time
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core import ResampleOptions, RunControl, resample_pair
from goci_resample_plugin.core.resample.grid_engine import _kernel
from goci_resample_plugin.core.resample.kernel_cache import lock_path
lock = lock_path(_kernel(False)[1])
lock.parent.mkdir(parents=True, exist_ok=True)
lock.write_text(str(os.getppid()))  # a live process, compiling nothing
an_hour_ago = time.time() - 3600
os.utime(lock, (an_hour_ago, an_hour_ago))
lines = []
control = RunControl(log=lambda level, text: lines.append(text))
started = time.monotonic()
result = resample_pair({goci!r}, {landsat!r}, {output!r}, ResampleOptions(wavelengths=(660,)),
                       control)
print(json.dumps([result.valid_fraction, time.monotonic() - started, lines]))
"""


@covers("compile-lock-pid-reused")
def test_a_lock_file_naming_a_live_process_that_compiles_nothing_holds_up_no_run(scene, tmp_path):
    """A compiling child killed an hour ago (out of memory, a logout) left its kernel's lock
    file naming its pid, and another process now has that pid: a run must not wait for it."""
    paths = dict(goci=str(scene.goci), landsat=str(scene.landsat), output=str(tmp_path / "o.tif"))
    valid_fraction, seconds, lines = _answer(PLANTED_LOCK_RUN.format(repo=str(REPO), **paths),
                                             tmp_path)  # fmt: skip
    assert valid_fraction > 0.5
    [preparing] = [line for line in lines if "Preparing the fast engine" in line]
    assert "the first run after installation compiles it" in preparing, preparing
    assert seconds < 120  # it compiled (~10 s), rather than waited


STOPPED_CHILD_RUN = """
import json, os, signal, sys, threading, time
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core import GociResampleError, ResampleOptions, RunControl, resample_pair
from goci_resample_plugin.core.matchups import match_pair
from goci_resample_plugin.core.resample.grid_engine import _kernel
from goci_resample_plugin.core.resample.kernel_cache import lock_path, wait_for
from goci_resample_plugin.core.resample.precompile import start_compiling
from goci_resample_plugin.core.system import lock_holder
assert start_compiling()
kernels = [_kernel(False)[1], _kernel(True, assign=True)[1]]


def holder_pid(kernel):  # None until the child holds the lock and has written its pid there
    words = (lock_holder(lock_path(kernel)) or "").split()
    return int(words[1]) if len(words) > 1 and words[1].isdigit() else None


deadline = time.monotonic() + 60
while not all(holder_pid(k) for k in kernels):  # each child holds its lock
    assert time.monotonic() < deadline, "no child took its lock"
    time.sleep(0.05)
children = {{holder_pid(k) for k in kernels}}
for child in children:
    os.kill(child, signal.SIGSTOP)  # alive, holding the lock, never finishing
answer = {{}}
try:
    started = time.monotonic()
    answer["wait_for"] = [wait_for(kernels[0], 1.0, threading.Event()),
                          time.monotonic() - started]
    for name, run in (
        ("pair", lambda control: resample_pair({goci!r}, {landsat!r}, {output!r},
                                               ResampleOptions(wavelengths=(660,)), control)),
        ("matchups", lambda control: match_pair({goci!r}, {landsat!r}, {matchups!r},
                                                control=control)),
    ):
        cancel_at = time.monotonic() + 3
        control = RunControl(cancelled=lambda: time.monotonic() > cancel_at)
        try:
            run(control)
            answer[name] = ["finished", 0]
        except GociResampleError as error:
            answer[name] = [str(error), time.monotonic() - cancel_at]
finally:
    for child in children:
        os.kill(child, signal.SIGKILL)
print(json.dumps(answer))
"""


@covers("compile-child-stopped")
def test_a_run_waiting_for_a_stopped_compiling_child_stops_at_once_on_cancel(scene, tmp_path):
    """The compiling children hang (stopped, starved): a run waiting for one stops within a
    second or two of the user's cancel, the pair's and the match-ups' alike, and nobody waits
    for a child beyond the limit it is given."""
    paths = dict(goci=str(scene.goci), landsat=str(scene.landsat), output=str(tmp_path / "o.tif"),
                 matchups=str(tmp_path / "Landsat_on_GOCI_x.nc"))  # fmt: skip
    answer = _answer(STOPPED_CHILD_RUN.format(repo=str(REPO), **paths), tmp_path)
    found, seconds = answer["wait_for"]
    assert not found and 0.9 < seconds < 3
    for name in ("pair", "matchups"):
        message, after_cancel = answer[name]
        assert "Cancelled" in message, (name, message)
        assert after_cancel < 2.5, (name, after_cancel)
    assert not list(tmp_path.glob("o.tif*")) and not list(tmp_path.glob("Landsat_on_GOCI*"))


COMPILED_NOW = """
import sys
sys.path.insert(0, {copy!r})
from goci_resample_plugin.core.resample.grid_engine import _kernel, _tiny_call
from goci_resample_plugin.core.resample.kernel_cache import compiled
kernel = _kernel(True, assign=True)[1]
before = compiled(kernel)
if {compile!r}:
    _tiny_call(kernel, 5)
print(before, compiled(kernel))
"""


@covers("cache-stale-after-update")
def test_a_cache_numba_will_not_use_after_an_update_counts_as_not_compiled(tmp_path):
    """The plugin is updated (a kernel's source changes) and numba's cache folder is kept:
    numba compiles again, so the run must know it (the message, progress and Cancel of a first
    run) rather than block silently in what it takes for a load."""
    import shutil

    copy = tmp_path / "plugins"
    shutil.copytree(REPO / "goci_resample_plugin", copy / "goci_resample_plugin",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    env = os.environ | {"NUMBA_CACHE_DIR": str(tmp_path / "numba")}

    def run(compile):
        code = COMPILED_NOW.format(copy=str(copy), compile=compile)
        completed = subprocess.run([sys.executable, "-c", code], env=env, timeout=240,
                                   capture_output=True, text=True, check=True)  # fmt: skip
        return completed.stdout.split()

    assert run(True) == ["False", "True"]
    assert run(False) == ["True", "True"]
    source = copy / "goci_resample_plugin" / "core" / "resample" / "grid_interpolate.py"
    source.write_text(source.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # updated
    assert run(False) == ["False", "False"]


FIFO_LOCK_LOOK = """
import json, os, sys
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core.resample.grid_engine import _kernel
from goci_resample_plugin.core.resample.kernel_cache import compiling_child, lock_path
lock = lock_path(_kernel(False)[1])
lock.parent.mkdir(parents=True, exist_ok=True)
os.mkfifo(lock)  # a plain open of it for reading waits until something writes to it
print(json.dumps(compiling_child(_kernel(False)[1])))
"""


@covers("lock-name-a-fifo")
def test_a_fifo_planted_at_a_compile_lock_name_holds_up_no_run(tmp_path):
    """A named pipe at the kernel's lock name (a shared cache folder): looking at it must not
    block the run (it is no lock file of ours, so no child compiles there)."""
    assert _answer(FIFO_LOCK_LOOK.format(repo=str(REPO)), tmp_path, timeout=60) is False


WARM_RUN = """
import json, sys
sys.path.insert(0, {repo!r})
import numpy as np
from goci_resample_plugin.core import ResampleOptions
from goci_resample_plugin.core.read import read_goci_subset, read_target_grid
from goci_resample_plugin.core.resample.compiled import _callees_first
from goci_resample_plugin.core.resample import compiled
from goci_resample_plugin.core.resample.grid_engine import GridResampler
compiled.HELPERS_MIN_PIXELS = {helpers_min_pixels}  # this small scene: 0 loads them
subset, grid = read_goci_subset({goci!r}), read_target_grid({landsat!r})
engine = GridResampler(subset, grid, ResampleOptions(method="cubic"))
rows = engine.resample_rows(grid.height // 2 - 8, grid.height // 2 + 8)
engine.settle()
np.save({output!r}, rows)
print(json.dumps([engine.first_use, [bool(h.overloads) for h in _callees_first(engine._kernel)]]))
"""


def test_a_warm_run_runs_the_helpers_own_compilations_with_the_same_results(scene, tmp_path):
    # A kernel in numba's cache holds its own, slower copies of its helpers: a warm process
    # on a large scene loads the helpers' own cached compilations first, one on a small scene
    # (where loading them costs more than it saves) runs the copies; the same numbers each way
    def run(output, threshold=0):
        code = WARM_RUN.format(repo=str(REPO), goci=str(scene.goci), landsat=str(scene.landsat),
                               output=str(output), helpers_min_pixels=threshold)  # fmt: skip
        completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                   env=os.environ | {"NUMBA_CACHE_DIR": str(tmp_path / "numba")},
                                   timeout=300, check=True)  # fmt: skip
        return json.loads(completed.stdout.splitlines()[-1])

    first_use, _ = run(tmp_path / "compiled.npy")
    warm, loaded = run(tmp_path / "warm.npy")
    small, copies = run(tmp_path / "copies.npy", "compiled.HELPERS_MIN_PIXELS")
    assert first_use and not warm and not small
    assert len(loaded) > 5 and all(loaded)
    assert not any(copies)
    compiled = np.load(tmp_path / "compiled.npy")
    assert np.isfinite(compiled).mean() > 0.5
    for other in ("warm.npy", "copies.npy"):
        np.testing.assert_array_equal(compiled, np.load(tmp_path / other))


CUBIC_RUN = """
import hashlib, sys
sys.path.insert(0, {repo!r})
import rasterio
from goci_resample_plugin.core import ResampleOptions, resample_pair
result = resample_pair({goci!r}, {landsat!r}, {output!r},
                       ResampleOptions(method="cubic", wavelengths=(660,)))
with rasterio.open(result.output) as dataset:
    print(result.engine, hashlib.sha256(dataset.read().tobytes()).hexdigest())
"""

PLANT_STALE_INDEX = """
import pickle, sys
sys.path.insert(0, {repo!r})
import numba
from goci_resample_plugin.core.resample import grid_interpolate
with open(grid_interpolate.interpolate_strip._cache._cache_file._index_path, "wb") as index:
    pickle.dump(numba.__version__, index, protocol=-1)  # numba's index: version, then data
    index.write(b"cgoci_resample_plugin.core.resample.grid_interpolate\\nMovedSinceThen\\n.")
"""


def test_a_cache_index_naming_a_class_an_update_moved_is_compiled_again(scene, tmp_path):
    # numba unpickles an index before checking it is of the current source: an earlier
    # version's index naming a bundle class since moved raised AttributeError on every run
    env = os.environ | {"NUMBA_CACHE_DIR": str(tmp_path / "numba")}

    def run(code, **fields):
        completed = subprocess.run([sys.executable, "-c", code.format(repo=str(REPO), **fields)],
                                   env=env, capture_output=True, text=True, timeout=300,
                                   check=True)  # fmt: skip
        return completed.stdout.split()

    files = {"goci": str(scene.goci), "landsat": str(scene.landsat)}
    first = run(CUBIC_RUN, output=str(tmp_path / "first.tif"), **files)
    run(PLANT_STALE_INDEX)
    again = run(CUBIC_RUN, output=str(tmp_path / "again.tif"), **files)
    assert first[0] == "grid" and again == first
