"""Compile the grid engine's kernels ahead of the first run, in processes of their own.

The plugin starts ``python -m goci_resample_plugin.core.resample.precompile`` when QGIS loads
it and no kernel is compiled yet (after an install or an update): numba's compile then happens
while the user fills in a dialog, and the first run finds the kernels in numba's cache. Two
children, one per core (``GROUPS``): the Gaussian/Nearest kernel in one, the interpolators' and
the match-ups' in the other, so that a first run waits only for the kernel it needs (measured
on the demo's 1500 × 1500 pair: a bilinear first run through ``qgis_process`` waited 18.6 s
for the one child, which compiled the Gaussian kernel first, and now waits 2.6 s). A child
process cannot take QGIS down, as a compiling thread once did with ``qgis_process`` on exit.
A run that starts while a child still compiles its kernel waits for it
(:func:`.kernel_cache.wait_for`) instead of compiling the same kernel a second time.

A child records how long each kernel took (:func:`.kernel_cache.times_path`): the time a later
run's message announces, measured on this machine. Once every kernel is compiled, a stamp
(:func:`.kernel_cache.record_compiled`) lets later QGIS starts see it without importing numba.
"""

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

from ..system import process_alive
from .kernel_cache import (
    compiled,
    compiling_child,
    lock_path,
    record_compiled,
    stamped_compiled,
    times_path,
)

KERNELS = ((False, False), (True, False), (True, True))
"""(interpolates, assign) of every kernel: Gaussian/Nearest, bilinear/cubic, the match-ups'
assignment (:func:`.grid_engine._kernel`)."""

GROUPS = ((0,), (1, 2))
"""The kernels (indices into ``KERNELS``) each child compiles, in this order."""

BAND_COUNT = 5
"""Bands of the tiny call that compiles a kernel (any count gives the same compilation)."""


def start_compiling():
    """Start a compiling child for each group of kernels not compiled yet and not being
    compiled; never raises (a machine where none can start compiles on the first run instead).

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
        python = python_executable()
        compiling = False
        for group in GROUPS:
            left = [kernels[i] for i in group if not compiled(kernels[i])]
            if not left:
                continue
            if any(compiling_child(k) for k in left):
                compiling = True
                continue
            if python is None:
                continue
            child = _start_child(python, group)
            # its pid files at once, so that a run starting now waits for it
            for kernel in left:
                _claim(lock_path(kernel), child.pid)
            compiling = True
        return compiling
    except Exception:
        return False


def _start_child(python, group):
    """Start the child compiling ``group`` (indices into ``KERNELS``), detached and silent."""
    package_root = Path(__file__).resolve().parents[3]
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(package_root), *filter(None, [environment.get("PYTHONPATH")])]
    )
    return subprocess.Popen(
        [python, "-m", __name__, *map(str, group)], cwd=package_root, env=environment,
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip


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


def _claim(lock, pid):
    """Make the pid file ``lock`` name ``pid`` (created exclusively; a dead child's is taken
    over). Returns False when a live process other than ``pid`` holds it."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(2):
        try:
            descriptor = os.open(lock, flags, 0o644)
        except FileExistsError:
            with contextlib.suppress(OSError, ValueError):
                holder = int(lock.read_text(encoding="ascii") or 0)
                if holder == pid:
                    return True
                if holder > 0 and process_alive(holder):
                    return False
            lock.unlink(missing_ok=True)  # a killed child's
            continue
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(str(pid))
        return True
    return False


def _release(lock):
    """Remove the pid file ``lock`` when it is still this process's."""
    with contextlib.suppress(OSError, ValueError):
        if int(lock.read_text(encoding="ascii") or 0) == os.getpid():
            lock.unlink()


def _kernels():
    from .grid_engine import _kernel

    return [_kernel(interpolates, assign)[1] for interpolates, assign in KERNELS]


def main(group):
    """The child: compile the kernels ``group`` (indices into ``KERNELS``) not in the cache, at
    low priority, recording how long each took; a kernel another live child holds is left to
    it (the pid files are created exclusively)."""
    import warnings

    from .grid_engine import _tiny_call

    with contextlib.suppress(AttributeError, OSError):
        os.nice(10)  # the user's QGIS comes first
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        kernels = _kernels()
    mine = [kernels[i] for i in group if _claim(lock_path(kernels[i]), os.getpid())]
    try:
        for kernel in mine:
            if not compiled(kernel):
                started = time.perf_counter()
                _tiny_call(kernel, BAND_COUNT)
                _record_seconds(kernel, time.perf_counter() - started)
            _release(lock_path(kernel))  # a run waiting for this kernel goes on now
        record_compiled(kernels)
    finally:
        for kernel in mine:
            _release(lock_path(kernel))


def _record_seconds(kernel, seconds):
    """Write how long ``kernel``'s compile took (replacing the file whole)."""
    path = times_path(kernel)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(f"{seconds:.2f}", encoding="ascii")
    os.replace(temporary, path)


if __name__ == "__main__":
    main([int(index) for index in sys.argv[1:]] or range(len(KERNELS)))
