"""What the machine gives: memory (free now, and a stop before work that cannot fit), and
whether another process still runs (the temporaries' owners, the compiling children)."""

import os
import sys

from .errors import GociResampleError

BASELINE_BYTES = 300 * 2**20
"""Python, numpy, GDAL, PROJ and numba loaded: what a worker holds before any data."""


def available_memory_bytes():
    """Memory the system can give without swapping (``MemAvailable``), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(needed_bytes, what):
    """Stop with a message when ``needed_bytes`` exceeds the memory available now.

    Raises:
        GociResampleError: not enough memory; says how much is needed and available.
    """
    available = available_memory_bytes()
    if available is not None and needed_bytes > available:
        raise GociResampleError(
            f"{what} needs about {needed_bytes / 2**30:.1f} GB of memory but only "
            f"{available / 2**30:.1f} GB are available. Close other programs, run fewer "
            "scenes at once (WORKERS), or process a smaller Landsat grid."
        )


def process_alive(pid):
    """True while process ``pid`` runs (a zombie, dead but not yet reaped, counts as gone)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # there os.kill(pid, 0) would terminate the process
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(") ", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc (macOS): the signal test is all there is


def _windows_process_alive(pid):
    """Windows: the process ``pid`` can be opened and has no exit code yet."""
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: it exists, not ours
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)
