"""How the grid engine's helpers are compiled: numba functions that only compiled code calls.

The first run after an install compiles the kernel the method needs, and numba's compile time
grows with what it code-generates. Two rules keep it down:

* numba gives every compiled function a CPython wrapper and a C callback wrapper. The kernels'
  helpers (about twenty, called only from the entry points ``resample_strip``,
  ``interpolate_strip`` and ``assign_strip``) are compiled without them (:func:`helper`).
* numba code-generates a called function's library once for itself and again in each library
  that links it, so the entry points hold their row loop themselves rather than calling a
  per-row function that would hold (nearly) the whole kernel a second time.

Measured (empty numba cache, fresh processes, interleaved, this machine): the Gaussian/Nearest
kernel 9.1 s → 8.1 s (no wrappers) → 5.9 s (the row loop in the entry point); the
bilinear/cubic kernel 6.8 s → 4.8 s → 4.7 s; the compiled code as fast as before
(``bench/kernel.md``). A helper has no entry point for Python (numba would jump to a null
address), so calling one from Python raises ``TypeError``; :func:`from_python` is the way to
call one from a test or a notebook.
"""

import numba
from numba.core.registry import CPUDispatcher

__all__ = ["from_python", "helper"]


class _Helper(CPUDispatcher):
    """A helper's dispatcher: compiled code calls it as any numba function; Python may not."""

    def __call__(self, *args, **kwargs):
        raise TypeError(
            f"{self.py_func.__name__} is compiled for compiled code only: call it through "
            "goci_resample_plugin.core.resample.compiled.from_python"
        )


def helper(function=None, *, fastmath=False):
    """Compile ``function`` (as ``@helper`` or ``@helper(fastmath={...})``) for compiled
    callers only: nopython, numpy's error model, no CPython or C wrapper."""

    def decorate(function):
        dispatcher = numba.njit(
            error_model="numpy", fastmath=fastmath, no_cpython_wrapper=True, no_cfunc_wrapper=True
        )(function)
        dispatcher.__class__ = _Helper
        return dispatcher

    return decorate if function is None else decorate(function)


def from_python(function):
    """A compiled function that calls the helper ``function`` with its arguments: a helper
    called from Python (tests, notebooks)."""
    return numba.njit(lambda *args: function(*args))
