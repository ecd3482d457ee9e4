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

A kernel in numba's cache holds its own copies of the helpers it calls, optimised a second time
when numba linked them into it; a helper optimised once, in its own library, runs faster
(measured: the bilinear/cubic kernel loaded from the cache 15–25 % slower than in the process
that had just compiled it, where LLVM's JIT resolves the kernel's calls to the helpers already
loaded, since the first definition of a symbol wins). So helpers are cached too, and
:func:`load_helpers` loads them before their kernel is loaded: a warm run on a large scene
(``HELPERS_MIN_PIXELS``) then runs the helpers' own code, as the compiling process does
(``bench/kernel.md``).
"""

import contextlib
import os

import numba
from numba.core.compiler_lock import global_compiler_lock
from numba.core.registry import CPUDispatcher

__all__ = ["HELPERS_MIN_PIXELS", "discard_unreadable_indexes", "from_python", "helper",
           "load_helpers"]  # fmt: skip

HELPERS_MIN_PIXELS = 20_000_000
"""Target pixels from which a run loads the helpers' own compilations before its kernel
(:func:`load_helpers`). A kernel then runs faster than with the copies in its own cached
library (full GOCI-II scene, warm, alternately: Gaussian 9.2–10.3 s against 10.1–12.3 s, the
resampling 7.9–8.8 s against 8.2–10.6 s; bilinear and cubic 15–25 % in the kernel), but a
fresh process takes longer to get the kernel ready, on the critical path where the set-up is
short: on the 1925 × 1950 pair, warm, the kernel was ready 0.33 s after it was asked for with
its helpers loaded first, 0.21–0.36 s without, while the faster kernel saves a bilinear run
there about 0.03 s."""


class _Helper(CPUDispatcher):
    """A helper's dispatcher: compiled code calls it as any numba function; Python may not."""

    def __call__(self, *args, **kwargs):
        raise TypeError(
            f"{self.py_func.__name__} is compiled for compiled code only: call it through "
            "goci_resample_plugin.core.resample.compiled.from_python"
        )


def helper(function=None, *, fastmath=False):
    """Compile ``function`` (as ``@helper`` or ``@helper(fastmath={...})``) for compiled
    callers only: nopython, numpy's error model, no CPython or C wrapper, cached (see
    :func:`load_helpers`)."""

    def decorate(function):
        dispatcher = numba.njit(
            error_model="numpy",
            fastmath=fastmath,
            cache=True,
            no_cpython_wrapper=True,
            no_cfunc_wrapper=True,
        )(function)
        dispatcher.__class__ = _Helper
        return dispatcher

    return decorate if function is None else decorate(function)


def from_python(function):
    """A compiled function that calls the helper ``function`` with its arguments: a helper
    called from Python (tests, notebooks)."""
    return numba.njit(lambda *args: function(*args))


def load_helpers(kernel):
    """Load from numba's cache every compilation of the helpers ``kernel`` calls, directly or
    not, callees before their callers, before ``kernel`` itself is loaded; never raises. An
    index numba cannot read, the kernel's own too, is removed on the way (see
    :func:`discard_unreadable_indexes`).

    The order matters: a helper's cached library holds copies of the helpers it calls too, and
    the first one loaded is the one every later call runs. Only compilations numba would use
    are loaded (its index checks the source, numba's version and the CPU). numba's internal
    cache calls are used: where another numba lacks them, or a helper is not in the cache,
    nothing is loaded and the kernel runs its own copies of the helpers (the same results,
    slower).

    Returns:
        The number of compilations loaded.
    """
    loaded = 0
    _readable_index(kernel)
    with global_compiler_lock:
        for dispatcher in _callees_first(kernel):
            with contextlib.suppress(Exception):
                for key in _readable_index(dispatcher) or {}:
                    signature = key[0]
                    if signature in dispatcher.overloads:
                        continue
                    result = dispatcher._cache.load_overload(signature, dispatcher.targetctx)
                    if result is not None:  # as numba's Dispatcher.compile does on a cache hit
                        dispatcher.targetctx.insert_user_function(
                            result.entry_point, result.fndesc, [result.library]
                        )
                        dispatcher.add_overload(result)
                        loaded += 1
    return loaded


def _callees_first(function):
    """The helpers ``function`` (a numba dispatcher) calls, directly or not, each after every
    helper it calls (the global names its Python code reads)."""
    order, seen = [], set()

    def visit(dispatcher):
        code, names = dispatcher.py_func.__code__, dispatcher.py_func.__globals__
        for name in code.co_names:
            callee = names.get(name)
            if isinstance(callee, _Helper) and id(callee) not in seen:
                seen.add(id(callee))
                visit(callee)
                order.append(callee)

    visit(function)
    return order


def discard_unreadable_indexes(kernel):
    """Remove the numba cache index of ``kernel`` or of a helper it calls when numba cannot
    read it; never raises.

    numba unpickles an index before it checks that the index is of the source as it is now, so
    an index written by an earlier version of the plugin that named a class since moved (a
    bundle type of a kernel's signature) raised ``AttributeError`` at the first call instead of
    counting as not compiled. Without it the kernel is compiled (or waited for) and cached
    afresh, as after any update.

    Returns:
        The number of index files removed.
    """
    return sum(
        _readable_index(dispatcher) is None for dispatcher in [kernel, *_callees_first(kernel)]
    )


def _readable_index(dispatcher):
    """numba's index of ``dispatcher``'s cached compilations ({key: data file name}; {} with
    none, or with another numba's private layout), or None when numba cannot read it: then the
    index file is removed."""
    try:
        cache_file = dispatcher._cache._cache_file
    except AttributeError:
        return {}
    try:
        return cache_file._load_index()
    except OSError:
        return {}
    except Exception:  # whatever numba's unpickling raised
        with contextlib.suppress(OSError, AttributeError):
            os.remove(cache_file._index_path)
        return None
