"""numba's cache of the grid engine's kernels: whether a kernel is compiled, how long its
compile took on this machine, and the child of :mod:`.precompile` that may be compiling it."""

import contextlib
import json
import os
import time
from pathlib import Path

LOCK_NAME = "goci_resample_precompile.pid"
"""The compiling child's pid file, next to numba's cache: one child at a time."""

TIMES_NAME = "goci_resample_compile.json"
"""{kernel name: seconds its compile took}, next to numba's cache."""

POLL_SECONDS = 0.2
"""How often a waiting run looks at the cache and at the child."""


def cache_folder(kernel):
    """Where numba caches ``kernel`` (a compiled entry point): ``NUMBA_CACHE_DIR``'s place or
    ``__pycache__`` next to its module."""
    with contextlib.suppress(AttributeError):
        return Path(kernel._cache._cache_path)
    return Path(kernel.py_func.__code__.co_filename).parent / "__pycache__"


def compiled(kernel):
    """True when numba has a cached compilation of ``kernel`` where it will look for one."""
    cache = kernel._cache
    try:
        return (Path(cache._cache_path) / cache._cache_file._index_name).is_file()
    except AttributeError:  # another numba's private layout: its default place
        module = kernel.py_func.__module__.rsplit(".", 1)[-1]
        return any(cache_folder(kernel).glob(f"{module}.{kernel.__name__}-*.nbi"))


def measured_seconds(kernel):
    """How long ``kernel``'s compile took on this machine (None before it was measured: the
    child records only the kernels it compiled, not one a run compiled itself)."""
    with contextlib.suppress(OSError, ValueError, LookupError, TypeError):
        times = json.loads((cache_folder(kernel) / TIMES_NAME).read_text(encoding="utf-8"))
        return float(times[kernel.__name__])
    return None


def compiling_child(kernel):
    """The pid of a live compiling child (its pid file next to ``kernel``'s cache), else 0."""
    with contextlib.suppress(OSError, ValueError):
        pid = int((cache_folder(kernel) / LOCK_NAME).read_text(encoding="ascii"))
        os.kill(pid, 0)
        return pid
    return 0


def wait_for(kernel):
    """Wait while a child compiles ``kernel``. Returns True once it is in the cache, False
    when no child is compiling (any more) and it is still not there (the caller compiles)."""
    while not compiled(kernel):
        if not compiling_child(kernel):
            return compiled(kernel)
        time.sleep(POLL_SECONDS)
    return True
