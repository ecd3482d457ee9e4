"""Rows of numbers inserted into an SQLite table in one compiled pass: numba calling SQLite's
own C API (``sqlite3_bind_*``, ``sqlite3_step``) through ctypes, the GIL released, so Python
can write other files meanwhile. The table is the one Python's ``sqlite3`` ``executemany`` of
the same rows makes (NaN as null, an integer column's values as integers), without making a
Python number per value: 473 000 rows × 45 random columns (a full GOCI-II scene's points) in
1.5 s against 4.6 s, measured alone. The statement may call an extension's functions
(SpatiaLite's, making the GeoPackage's points). Imported only when numba is;
:func:`insert_rows` answers False where the SQLite library or the extension cannot be found.
"""

import contextlib
import ctypes
import ctypes.util
import functools
import sys
from pathlib import Path

import numba
import numpy as np

SQLITE_DONE = 101
"""``sqlite3_step``'s result when an INSERT is done."""

ROWS_AT_ONCE = 16384
"""Rows made float64 at a time (5.6 MB for 43 columns)."""


@numba.njit(nogil=True, cache=True)
def _insert(statement, values, integer, bind_double, bind_int64, bind_null, step, reset):
    """Step the prepared INSERT ``statement`` (a ``sqlite3_stmt *``) once per row of ``values``.

    Args:
        statement: the prepared statement's address (int).
        values: (rows, columns) float64; NaN is bound as null.
        integer: (columns,) bool: bind the column's values as 64-bit integers.
        bind_double, bind_int64, bind_null, step, reset: SQLite's C functions (ctypes).

    Returns:
        (rows inserted, the last ``sqlite3_step`` result): fewer rows when a step failed.
    """
    result = SQLITE_DONE
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            value = values[i, j]
            if np.isnan(value):
                bind_null(statement, j + 1)
            elif integer[j]:
                bind_int64(statement, j + 1, np.int64(value))
            else:
                bind_double(statement, j + 1, value)
        result = step(statement)
        if result != SQLITE_DONE:
            return i, result
        reset(statement)
    return values.shape[0], result


class _SQLite:
    """The SQLite C functions used, from a loaded SQLite C library (:func:`_sqlite`)."""

    def __init__(self, library):
        pointer, text, integer = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
        self.open = _function(library, "sqlite3_open_v2", integer, text,
                              ctypes.POINTER(pointer), integer, text)  # fmt: skip
        self.exec = _function(library, "sqlite3_exec", integer, pointer, text, pointer, pointer,
                              pointer)  # fmt: skip
        self.prepare = _function(library, "sqlite3_prepare_v2", integer, pointer, text, integer,
                                 ctypes.POINTER(pointer), pointer)  # fmt: skip
        self.finalize = _function(library, "sqlite3_finalize", integer, pointer)
        self.close = _function(library, "sqlite3_close", integer, pointer)
        self.errmsg = _function(library, "sqlite3_errmsg", text, pointer)
        try:  # absent where SQLite was built without extensions (SQLITE_OMIT_LOAD_EXTENSION)
            self.enable_extensions = _function(library, "sqlite3_enable_load_extension",
                                               integer, pointer, integer)  # fmt: skip
            self.load_extension = _function(library, "sqlite3_load_extension", integer, pointer,
                                            text, text, pointer)  # fmt: skip
        except AttributeError:
            self.enable_extensions = self.load_extension = None
        # the kernel's: called from compiled code, so typed functions rather than attributes
        self.kernel = tuple(
            ctypes.CFUNCTYPE(integer, pointer, *arguments)((name, library))
            for name, arguments in (("sqlite3_bind_double", (integer, ctypes.c_double)),
                                    ("sqlite3_bind_int64", (integer, ctypes.c_int64)),
                                    ("sqlite3_bind_null", (integer,)), ("sqlite3_step", ()),
                                    ("sqlite3_reset", ())))  # fmt: skip


def _function(library, name, result, *arguments):
    function = getattr(library, name)
    function.restype, function.argtypes = result, list(arguments)
    return function


@functools.lru_cache(maxsize=1)
def _sqlite():
    """:class:`_SQLite` of the system's SQLite library (on Windows, the one beside Python's
    ``_sqlite3`` module first), or None where none with these functions is found."""
    import sqlite3  # noqa: F401  (loads the library into the process first)

    names = [ctypes.util.find_library("sqlite3"), "libsqlite3.so.0", "libsqlite3.dylib"]
    if sys.platform == "win32":  # Python's own, beside its _sqlite3 module
        import _sqlite3

        names.insert(0, str(Path(_sqlite3.__file__).with_name("sqlite3.dll")))
    for name in filter(None, names):
        with contextlib.suppress(OSError, AttributeError):
            return _SQLite(ctypes.CDLL(name))
    return None


OPEN_READWRITE, OPEN_CREATE, OPEN_NOMUTEX = 0x2, 0x4, 0x8000
"""``sqlite3_open_v2``'s flags. NOMUTEX: the connection is used by one thread, so SQLite need
not lock it at every ``sqlite3_bind_*`` and ``sqlite3_step`` (its mutexes took 7 % of the
points' insert)."""


class _Unsupported(Exception):
    """The extension cannot be loaded, or the statement calls a function it lacks."""


def insert_rows(path, first, insert, columns, extension=None):
    """Insert one row per value of ``columns`` with ``insert`` (its ``?`` in the columns'
    order) into the SQLite file ``path``, after the statements ``first`` (pragmas, the table's
    ``CREATE TABLE``).

    Args:
        path: the file (pathlib.Path): created, or with ``extension`` an existing one.
        first: SQL statements run before the rows (``PRAGMA …``, ``CREATE TABLE …``).
        insert: ``INSERT INTO ... VALUES (?, ...)``.
        columns: {name: (n,) ints, floats or bools}; NaN is bound as null, the values of
            integer and boolean columns as integers.
        extension: None, or the SQLite extension (``"mod_spatialite"``) loaded into the
            connection first, whose functions ``insert`` may call.

    Returns:
        False when no SQLite library could be loaded, this numba cannot compile the pass
        (nothing left at a ``path`` created here), or with ``extension``, when it cannot be
        loaded or ``insert`` cannot be prepared (a function it lacks): nothing inserted.

    Raises:
        OSError: SQLite's message when the file cannot be opened or written (a full disk).
    """
    sqlite = _sqlite()
    if sqlite is None or (extension and sqlite.load_extension is None):
        return False
    try:
        _insert_all(sqlite, path, first, insert, columns, extension)
    except _Unsupported:
        return False
    except numba.core.errors.NumbaError:  # e.g. a numba without ctypes arguments
        if not extension:
            path.unlink(missing_ok=True)
        return False
    return True


def _insert_all(sqlite, path, first, insert, columns, extension):
    arrays = list(columns.values())
    integer = np.array([not np.issubdtype(np.asarray(a).dtype, np.floating) for a in arrays])
    database = ctypes.c_void_p()
    flags = OPEN_NOMUTEX | OPEN_READWRITE | (0 if extension else OPEN_CREATE)
    opened = sqlite.open(str(path).encode("utf-8"), ctypes.byref(database), flags, None)
    try:
        if opened != 0:
            raise OSError(f"{path}: {_message(sqlite, database)}")
        if extension:
            loaded = not sqlite.enable_extensions(database, 1) and not sqlite.load_extension(
                database, extension.encode("utf-8"), None, None
            )
            sqlite.enable_extensions(database, 0)  # no SQL load_extension() from here on
            if not loaded:
                raise _Unsupported(extension)
        statement = ctypes.c_void_p()
        for sql in (*first, "BEGIN"):
            _execute(sqlite, database, sql, path)
        if sqlite.prepare(database, insert.encode("utf-8"), -1, ctypes.byref(statement), None):
            message = _message(sqlite, database)
            if extension:  # e.g. a SpatiaLite without the function: the caller's other way
                raise _Unsupported(message)
            raise OSError(f"{path}: {message}")
        try:
            for start in range(0, len(arrays[0]), ROWS_AT_ONCE):
                part = slice(start, start + ROWS_AT_ONCE)
                values = np.column_stack([np.asarray(a[part], dtype=np.float64) for a in arrays])
                done, result = _insert(statement.value, values, integer, *sqlite.kernel)
                if done < len(values):
                    raise OSError(f"{path}: {_message(sqlite, database)} (SQLite code {result})")
        finally:
            sqlite.finalize(statement)
        _execute(sqlite, database, "COMMIT", path)
    finally:
        sqlite.close(database)


def tiny_call():
    """Compile the pass (or load it from numba's cache) for the argument types of
    :func:`insert_rows` by a call on no row, where the SQLite library loads: the compiling
    child's (:mod:`..resample.precompile`)."""
    sqlite = _sqlite()
    if sqlite is not None:
        _insert(0, np.zeros((0, 1)), np.zeros(1, dtype=np.bool_), *sqlite.kernel)


def _execute(sqlite, database, sql, path):
    if sqlite.exec(database, sql.encode("utf-8"), None, None, None) != 0:
        raise OSError(f"{path}: {_message(sqlite, database)}")


def _message(sqlite, database):
    message = sqlite.errmsg(database) if database.value else None
    return message.decode("utf-8", "replace") if message else "cannot open the file"
