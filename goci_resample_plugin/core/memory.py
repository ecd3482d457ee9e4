"""Memory: what the system can give now, and a stop before work that cannot fit."""

import os

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
