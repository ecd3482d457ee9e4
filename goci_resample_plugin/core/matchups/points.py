"""The match-up points (SPEC §8): one EPSG:4326 point per GOCI pixel with a Landsat mean,
written to a GeoPackage by GDAL's OGR (the layer and its fields) and SQLite (the rows)."""

import contextlib
import html
import os
import shutil
import tempfile
import warnings
from pathlib import Path

import numpy as np

from ..provenance import plugin_version
from ..write.names import temporary_prefix
from ..write.ownership import OUR_TAG

POINTS_LAYER = "matchups"
"""The GeoPackage layer name."""


def write_points(path, columns):
    """The GeoPackage layer ``POINTS_LAYER`` (EPSG:4326 points at ``lon``/``lat``) with one
    feature per row of ``columns`` ({name: (n,) array}, ints, floats or bools; NaN is null),
    written by GDAL's OGR, without a spatial index.

    The layer and its fields are OGR's; the rows go into its table in one compiled pass over a
    SQLite connection of our own into which SpatiaLite's module is loaded, SpatiaLite making
    the points (:func:`_write_direct`). Where that cannot run, the rows go ``POINTS_PER_COPY``
    at a time into plain SQLite files, and GDAL's GeoPackage driver copies each with one SQL
    statement, SpatiaLite making the points, while the next part is staged
    (:func:`_write_by_sql`); on a GDAL without SpatiaLite, OGR translates all the rows through
    a VRT that makes the points from the two columns (:func:`_translate`). Measured on a full
    GOCI-II scene's points (473 000 × 43 fields), alone: 1.8–2.5 s on one core directly,
    against 1.7–2.4 s on two threads, 2.7–4.2 s of CPU, staged and copied, and 7.6 s through
    the VRT; in the match-ups, where the other files are written meanwhile, 2.4–2.5 s against
    3.1 s. A spatial index would add 6 s (SQLite's R-tree, one insert per point), while QGIS
    redraws these points zoomed in to 1/30 of the scene in 0.2 s without one (0.01 s with one),
    and at full extent in the same ~2 s either way."""
    from osgeo import gdal

    # a working folder named as our temporaries are: a killed run's is removed by the next
    prefix = temporary_prefix(Path(path).parent / "points")
    folder = Path(tempfile.mkdtemp(prefix=prefix.name, dir=prefix.parent))
    try:
        with _gdal_exceptions():
            made = folder / "points.gpkg"
            if not (_write_direct(made, columns) or _write_by_sql(made, folder, columns)):
                made.unlink(missing_ok=True)
                staged = folder / "points.sqlite"
                _translate(made, staged, _stage(staged, columns))
            dataset = gdal.OpenEx(str(made), gdal.OF_VECTOR | gdal.OF_UPDATE)
            dataset.SetMetadataItem(OUR_TAG, plugin_version())
            dataset = None
        os.replace(made, path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _gdal_exceptions():
    """GDAL's Python bindings raise exceptions in the block, and are as they were after it:
    other plugins in QGIS may rely on GDAL's default (off). GDAL 3.7 and later keep the
    setting for the block themselves (``ExceptionMgr``); before, it is one switch for the
    whole process, set and restored here."""
    from osgeo import gdal

    if hasattr(gdal, "ExceptionMgr"):
        with gdal.ExceptionMgr(useExceptions=True):
            yield
        return
    was_on = gdal.GetUseExceptions()
    gdal.UseExceptions()
    try:
        yield
    finally:
        if not was_on:
            gdal.DontUseExceptions()


SCRATCH_PRAGMAS = ("PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF")
"""A staged part is scratch (copied, then deleted; a killed run's is removed by the next): no
rollback journal, no wait for the disk (an fsync per part, far slower on a network folder)."""

POINTS_PER_COPY = 65536
"""Rows staged and copied into the GeoPackage at a time: while GDAL copies one part (the GIL
released), Python stages the next."""


def _stage(staged, columns, compiled=True):
    """Write ``columns`` as the table ``points`` of a new plain SQLite file ``staged``; return
    {name: kind} (:func:`_field_kind`) of the columns other than ``lon`` and ``lat``.

    ``compiled``: insert the rows in one compiled pass, the GIL released
    (:mod:`.sqlite_rows`), where numba and the SQLite library can be loaded; else (and with
    False) with Python's ``sqlite3``, the same table."""
    import sqlite3

    names = list(columns)
    kinds = {name: _field_kind(columns[name]) for name in names}
    declared = ", ".join(f'"{n}" {"REAL" if kinds[n] == "Real" else "INTEGER"}' for n in names)
    create = f"CREATE TABLE points ({declared})"
    # our own column names, values bound as parameters
    insert = f"INSERT INTO points VALUES ({','.join('?' * len(names))})"  # nosec B608
    inserted = compiled and _compiled_insert_rows()
    if not (inserted and inserted(staged, (*SCRATCH_PRAGMAS, create), insert, columns)):
        connection = sqlite3.connect(staged)
        try:
            for statement in (*SCRATCH_PRAGMAS, create):
                connection.execute(statement)
            connection.executemany(insert, _rows(columns))
            connection.commit()
        finally:
            connection.close()
    return {name: kind for name, kind in kinds.items() if name not in ("lon", "lat")}


def _compiled_insert_rows():
    """:func:`.sqlite_rows.insert_rows`, or None when numba cannot be imported."""
    try:
        from .sqlite_rows import insert_rows
    except ImportError:
        return None
    return insert_rows


SPATIALITE_MODULE = "mod_spatialite"
"""SpatiaLite's loadable module, as SQLite finds it (its suffix added, the system's library
path searched)."""


def _write_direct(made, columns):
    """Make the GeoPackage ``made`` (OGR creates it, its layer and fields) and insert
    ``columns`` into the layer's table in one compiled pass (:mod:`.sqlite_rows`) over a
    connection of its own into which SpatiaLite's module is loaded, its
    ``AsGPB(MakePoint(lon, lat, 4326))`` making each point: each row goes through SQLite
    once, where :func:`_write_by_sql` stages it first. False (the file removed) where numba,
    the SQLite library or SpatiaLite's loadable module (``mod_spatialite``, which QGIS
    installs for its SpatiaLite provider) is missing."""
    insert_rows = _compiled_insert_rows()
    if insert_rows is None:
        return False
    fields = {name: _field_kind(v) for name, v in columns.items() if name not in ("lon", "lat")}
    dataset = _create_layer(made, fields)
    try:
        geometry = dataset.GetLayerByName(POINTS_LAYER).GetGeometryColumn()
        counting = _drop_counting_trigger(dataset)
    finally:
        dataset = None  # closed: the rows go in through the connection below
    # our own table and column names: no value of the user's in the statement
    names = "".join(f', "{name}"' for name in fields)
    insert = (f'INSERT INTO "{POINTS_LAYER}" ("{geometry}"{names}) '
              f"VALUES (AsGPB(MakePoint(?, ?, 4326)){', ?' * len(fields)})")  # nosec B608  # fmt: skip
    ordered = {"lon": columns["lon"], "lat": columns["lat"]} | {n: columns[n] for n in fields}
    if not insert_rows(made, SCRATCH_PRAGMAS, insert, ordered, extension=SPATIALITE_MODULE):
        made.unlink(missing_ok=True)
        return False
    from osgeo import gdal

    dataset = gdal.OpenEx(str(made), gdal.OF_VECTOR | gdal.OF_UPDATE)
    try:
        _finish_layer(dataset, counting, columns)
    finally:
        dataset = None
    return True


def _drop_counting_trigger(dataset):
    """Drop OGR's trigger that updates the layer's feature count after each inserted row;
    return the SQL that makes it again (:func:`_finish_layer`), as a list (empty when OGR
    made none)."""
    triggers = _query(dataset, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    counting = [t for t in triggers if t[0] == f"trigger_insert_feature_count_{POINTS_LAYER}"]
    for name, _ in counting:
        _execute(dataset, f'DROP TRIGGER "{name}"')
    return [sql for _, sql in counting]


def _finish_layer(dataset, counting, columns):
    """After the rows: the feature count OGR keeps, its trigger made again (``counting``, as
    OGR's own bulk inserts do) and the extent of the points of ``columns``."""
    # the count OGR keeps (GDAL 3.10 reports it: 0, as when the layer was created)
    counted = f'(SELECT COUNT(*) FROM "{POINTS_LAYER}")'  # nosec B608 (our own name)
    where = f"lower(table_name) = lower('{POINTS_LAYER}')"
    update = f"UPDATE gpkg_ogr_contents SET feature_count = {counted} WHERE {where}"  # nosec
    _execute(dataset, update)
    for sql in counting:
        _execute(dataset, sql)
    _set_extent(dataset, columns["lon"], columns["lat"])


def _write_by_sql(made, folder, columns, rows_per_copy=POINTS_PER_COPY):
    """Make the GeoPackage ``made`` (OGR creates it, its layer and fields) and fill it with
    ``columns``, ``rows_per_copy`` rows at a time: each part staged in ``folder``
    (:func:`_stage`) is copied by one SQL statement of GDAL's GeoPackage driver
    (:func:`_copy_part`) in a thread while the next is staged. False when this GDAL cannot
    (no SpatiaLite, or SQLite's ATTACH refused)."""
    import concurrent.futures

    rows = len(next(iter(columns.values())))
    parts = [slice(start, start + rows_per_copy) for start in range(0, max(rows, 1), rows_per_copy)]
    fields = {name: _field_kind(v) for name, v in columns.items() if name not in ("lon", "lat")}
    dataset = _create_layer(made, fields)
    copies = []
    try:
        # a temporary file: SQLite need not wait for the disk after each part
        _execute(dataset, "PRAGMA synchronous = OFF")
        counting = _drop_counting_trigger(dataset)
        with concurrent.futures.ThreadPoolExecutor(1) as copier:  # one copy at a time, in order
            for number, part in enumerate(parts):
                staged = folder / f"points{number}.sqlite"
                _stage(staged, {name: values[part] for name, values in columns.items()})
                if copies and not copies[-1].result():
                    return False
                copies.append(copier.submit(_copy_part, dataset, staged, fields))
            if not copies[-1].result():
                return False
        _finish_layer(dataset, counting, columns)
    finally:
        dataset = None  # closes it, every copy done (the executor waited for them)
    return True


def _set_extent(dataset, lon, lat):
    """The layer's extent in ``gpkg_contents``: the bounds of the points' ``lon``, ``lat``
    (degrees), the very doubles the points were made from (OGR's ``RECOMPUTE EXTENT`` read
    every point back for them: 0.4 s on a full scene); left to OGR where none is finite."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all NaN, or no point
        bounds = [float(f(values)) for f in (np.nanmin, np.nanmax) for values in (lon, lat)]
    if not (len(lon) and np.isfinite(bounds).all()):
        _execute(dataset, f"RECOMPUTE EXTENT ON {POINTS_LAYER}")
        return
    set_bounds = ", ".join(
        f"{name} = {value!r}" for name, value in zip(("min_x", "min_y", "max_x", "max_y"), bounds)
    )
    where = f"lower(table_name) = lower('{POINTS_LAYER}')"
    _execute(dataset, f"UPDATE gpkg_contents SET {set_bounds} WHERE {where}")  # nosec B608


def _create_layer(made, fields):
    """A new GeoPackage ``made`` (an open OGR dataset) with the empty EPSG:4326 point layer
    ``POINTS_LAYER``, no spatial index, and ``fields`` ({name: kind})."""
    from osgeo import ogr, osr

    crs = osr.SpatialReference()
    crs.ImportFromEPSG(4326)
    with _thread_pragma(f"page_size={PAGE_BYTES}"):
        dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(made))
    layer = dataset.CreateLayer(POINTS_LAYER, crs, ogr.wkbPoint, ["SPATIAL_INDEX=NO"])
    for name, kind in fields.items():
        field = ogr.FieldDefn(name, ogr.OFTReal if kind == "Real" else ogr.OFTInteger)
        if kind == "Boolean":
            field.SetSubType(ogr.OFSTBoolean)
        layer.CreateField(field)
    return dataset


PAGE_BYTES = 16384
"""SQLite's page size in the GeoPackage (its default: 4096): rows of ~45 numbers fill fewer
pages (the points of a full scene written 10–20 % faster, measured alternately)."""


@contextlib.contextmanager
def _thread_pragma(pragma):
    """GDAL's ``OGR_SQLITE_PRAGMA`` with ``pragma`` put first, for this thread and in the block
    only: other threads of QGIS (rendering, other algorithms) keep theirs, and the user's own
    pragmas stay. Without GDAL's thread-local options (an old GDAL), nothing is set."""
    from osgeo import gdal

    key = "OGR_SQLITE_PRAGMA"
    if not hasattr(gdal, "GetThreadLocalConfigOption"):
        yield
        return
    before = gdal.GetThreadLocalConfigOption(key, None)
    pragmas = [pragma, gdal.GetConfigOption(key)]  # ours first: a page size counts only then
    gdal.SetThreadLocalConfigOption(key, ",".join(filter(None, pragmas)))
    try:
        yield
    finally:
        gdal.SetThreadLocalConfigOption(key, before)


def _copy_part(dataset, staged, fields):
    """Append the ``points`` table of the SQLite file ``staged`` to the layer of the OGR
    GeoPackage ``dataset`` with one SQL statement, SpatiaLite's
    ``AsGPB(MakePoint(lon, lat, 4326))`` making each point (``fields``: {name: kind} of the
    other columns). False when this GDAL cannot (no SpatiaLite, or SQLite's ATTACH refused)."""
    geometry = dataset.GetLayerByName(POINTS_LAYER).GetGeometryColumn()
    quoted = ", ".join(f'"{name}"' for name in fields)
    location = str(staged).replace("'", "''")
    try:
        _execute(dataset, f"ATTACH DATABASE '{location}' AS staged")
    except RuntimeError:
        return False
    try:
        dataset.StartTransaction()
        try:
            # our own file, table and column names: no value of the user's in the statement
            made_points = "SELECT AsGPB(MakePoint(lon, lat, 4326))"
            into = f'INSERT INTO "{POINTS_LAYER}" ("{geometry}", {quoted})'
            _execute(dataset, f"{into} {made_points}, {quoted} FROM staged.points")
        except RuntimeError as error:
            dataset.RollbackTransaction()
            if "no such function" in str(error):
                return False
            raise
        dataset.CommitTransaction()
    finally:
        _execute(dataset, "DETACH DATABASE staged")
    staged.unlink()
    return True


def _execute(dataset, statement):
    """Run an SQL statement that returns no rows on an OGR ``dataset``.

    Raises:
        RuntimeError: GDAL's message when it failed (OGR reports it only as its last error).
    """
    from osgeo import gdal

    gdal.ErrorReset()
    dataset.ExecuteSQL(statement)
    if gdal.GetLastErrorType() >= gdal.CE_Failure:
        raise RuntimeError(gdal.GetLastErrorMsg())


def _query(dataset, statement):
    """The rows (tuples) of an SQL query on an OGR ``dataset``."""
    result = dataset.ExecuteSQL(statement)
    try:
        return [tuple(feature) for feature in result] if result is not None else []
    finally:
        if result is not None:
            dataset.ReleaseResultSet(result)


def _translate(made, staged, fields):
    """Write the GeoPackage ``made`` from the ``points`` table of the SQLite file ``staged``
    with OGR's VectorTranslate, through an OGR VRT that makes the points from ``lon`` and
    ``lat`` (``fields``: {name: kind} of the other columns)."""
    from osgeo import gdal

    vrt = staged.with_suffix(".vrt")
    vrt.write_text(
        '<OGRVRTDataSource><OGRVRTLayer name="points">'
        f'<SrcDataSource relativeToVRT="1">{html.escape(staged.name)}</SrcDataSource>'
        "<SrcLayer>points</SrcLayer><GeometryType>wkbPoint</GeometryType>"
        '<LayerSRS>EPSG:4326</LayerSRS><GeometryField encoding="PointFromColumns" '
        f'x="lon" y="lat"/>{"".join(_vrt_field(n, k) for n, k in fields.items())}'
        "</OGRVRTLayer></OGRVRTDataSource>",
        encoding="utf-8",
    )
    options = gdal.VectorTranslateOptions(
        format="GPKG", layerName=POINTS_LAYER, layerCreationOptions=["SPATIAL_INDEX=NO"]
    )
    source = gdal.OpenEx(str(vrt), gdal.OF_VECTOR)
    gdal.VectorTranslate(str(made), source, options=options)  # its result, unkept, closes
    source = None


POINT_ROWS_AT_ONCE = 16384
"""Rows turned into Python numbers at a time (~30 MB of them; all 470 000 at once took 600)."""


def _rows(columns):
    """The rows of ``columns`` as lists of Python floats, ``POINT_ROWS_AT_ONCE`` at a time
    (SQLite stores an integral float in an INTEGER column as an integer, NaN as null)."""
    arrays = list(columns.values())
    for start in range(0, len(arrays[0]), POINT_ROWS_AT_ONCE):
        part = slice(start, start + POINT_ROWS_AT_ONCE)
        yield from np.column_stack([np.asarray(a[part], dtype=np.float64) for a in arrays]).tolist()


def _vrt_field(name, kind):
    """The OGR VRT ``<Field>`` of a column of ``kind`` (:func:`_field_kind`)."""
    subtype = ' subtype="Boolean"' if kind == "Boolean" else ""
    field_type = "Real" if kind == "Real" else "Integer"
    return f'<Field name="{html.escape(name)}" type="{field_type}"{subtype}/>'


def _field_kind(values):
    """``Boolean``, ``Integer`` or ``Real``: the field type of a column."""
    values = np.asarray(values)
    if values.dtype == bool:
        return "Boolean"
    return "Integer" if np.issubdtype(values.dtype, np.integer) else "Real"
