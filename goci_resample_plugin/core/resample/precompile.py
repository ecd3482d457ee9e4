"""Compile the grid engine's kernels ahead of the first run, in a process of its own.

The plugin starts ``python -m goci_resample_plugin.core.resample.precompile`` when QGIS loads
it and no kernel is compiled yet (after an install or an update): numba's compile (about 6 s
of one core for the three kernels, more on a slow machine) then happens while the user fills
in a dialog, and the first run finds the kernels in numba's cache. A child process cannot take
QGIS down, as a compiling thread once did with ``qgis_process`` on exit. A run that starts
while the child still compiles waits for it (:func:`.kernel_cache.wait_for`) instead of
compiling the same kernel a second time on the second core.

The child records how long each kernel took (``TIMES_NAME`` next to numba's cache): the time a
later run's message announces, measured on this machine. Once every kernel is compiled, a stamp
(:func:`.kernel_cache.record_compiled`) lets later QGIS starts see it without importing numba.
"""

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from .kernel_cache import (
    LOCK_NAME,
    TIMES_NAME,
    cache_folder,
    compiled,
    compiling_child,
    record_compiled,
    stamped_compiled,
)

KERNELS = ((False, False), (True, False), (True, True))
"""(interpolates, assign) of every kernel: Gaussian/Nearest, bilinear/cubic, the match-ups'
assignment (:func:`.grid_engine._kernel`)."""

BAND_COUNT = 5
"""Bands of the tiny call that compiles a kernel (any count gives the same compilation)."""


def start_compiling():
    """Start the compiling child unless every kernel is compiled or a child already runs;
    never raises (a machine where it cannot start compiles on the first run instead).

    Returns:
        True when a child is compiling (started now or before).
    """
    try:
        if stamped_compiled():
            return False
        kernels = _kernels()
        if all(compiled(k) for k in kernels):
            record_compiled(kernels)
            return False
        if compiling_child(kernels[0]):
            return True
        python = python_executable()
        if python is None:
            return False
        package_root = Path(__file__).resolve().parents[3]
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join(
            [str(package_root), *filter(None, [environment.get("PYTHONPATH")])]
        )
        child = subprocess.Popen(
            [python, "-m", __name__], cwd=package_root, env=environment,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        # its pid file at once, so that a run starting now waits for it rather than compiling
        _claim(cache_folder(kernels[0]), child.pid)
        return True
    except Exception:
        return False


def python_executable():
    """The interpreter of the Python that runs us, or None. In QGIS ``sys.executable`` is QGIS,
    ``qgis_process`` or whatever ``python3`` comes first on the PATH (seen: a pyenv shim
    without numba): the interpreter under ``sys.exec_prefix`` is taken (``bin/python3.11`` on
    Linux and macOS, ``python.exe`` with OSGeo4W), else ``sys.executable`` only when it lies
    there too."""
    prefix = Path(sys.exec_prefix).resolve()
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (prefix / "bin" / version, prefix / "bin" / "python3",
                      prefix / "python.exe", prefix / "python3.exe"):  # fmt: skip
        if candidate.is_file():
            return str(candidate)
    executable = Path(sys.executable).resolve()
    if executable.name.lower().startswith("python") and prefix in executable.parents:
        return str(executable)
    return None


def _claim(folder, pid):
    """Make ``folder``'s pid file name ``pid`` (created exclusively; a dead child's is taken
    over). Returns False when a live process other than ``pid`` holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / LOCK_NAME
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(2):
        try:
            descriptor = os.open(lock, flags, 0o644)
        except FileExistsError:
            with contextlib.suppress(OSError, ValueError):
                holder = int(lock.read_text(encoding="ascii") or 0)
                if holder == pid:
                    return True
                os.kill(holder, 0)
                return False  # alive
            lock.unlink(missing_ok=True)  # a killed child's
            continue
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(str(pid))
        return True
    return False


def _kernels():
    from .grid_engine import _kernel

    return [_kernel(interpolates, assign)[1] for interpolates, assign in KERNELS]


def main():
    """The child: compile every kernel not in the cache, at low priority, recording how long
    each took; one child at a time (the pid file is created exclusively)."""
    import warnings

    from .grid_engine import _tiny_call

    with contextlib.suppress(AttributeError, OSError):
        os.nice(10)  # the user's QGIS comes first
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        kernels = _kernels()
    folder = cache_folder(kernels[0])
    if not _claim(folder, os.getpid()):
        return  # another child compiles
    lock = folder / LOCK_NAME
    try:
        times_path = folder / TIMES_NAME
        times = {}
        with contextlib.suppress(OSError, ValueError):
            times = dict(json.loads(times_path.read_text(encoding="utf-8")))
        for kernel in kernels:
            if compiled(kernel):
                continue
            started = time.perf_counter()
            _tiny_call(kernel, BAND_COUNT)
            times[kernel.__name__] = round(time.perf_counter() - started, 2)
            temporary = times_path.with_name(f".{TIMES_NAME}.{os.getpid()}")
            temporary.write_text(json.dumps(times), encoding="utf-8")
            os.replace(temporary, times_path)
        record_compiled(kernels)
    finally:
        lock.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
