"""Which files goci-resample may replace: never an input, never a file it did not write
(unless the user sets OVERWRITE). Every file the plugin writes passes through this rule."""

import json
import os
from pathlib import Path

from ..errors import GociResampleError
from .atomic import check_path_usable
from .names import RASTER_SUFFIXES, check_raster_names, sidecar_path

OUR_TAG = "GOCI_RESAMPLE_VERSION"
"""GeoTIFF metadata item every raster of this plugin carries."""

GENERATOR = "goci-resample"
"""The mark our text files carry: ``"generator"`` in JSON, a comment or meta tag in QML and
HTML."""

QML_MARK = f"<!-- {GENERATOR} "
"""How our QML styles begin their second line (a style QGIS saves over ours has none)."""

HTML_MARK = f'<meta name="generator" content="{GENERATOR}">'
"""The exact generator tag of our HTML reports (a page merely mentioning us has none)."""

MARKED_SUFFIXES = (*RASTER_SUFFIXES, ".json", ".qml", ".html", ".csv", ".nc", ".gpkg")
"""Files that carry a mark of their own: ours only with it, whoever owns the raster."""

_TEXT_SNIFF_BYTES = 4096


def is_ours(path, csv_header=None):
    """True when ``path`` was written by this plugin.

    GeoTIFF: carries ``OUR_TAG``. JSON: ``"generator": "goci-resample"`` (or, from version
    0.1.0, a ``versions.goci_resample`` entry). QML: a line starting with ``QML_MARK``; HTML:
    ``HTML_MARK``, both near the top. CSV: its first line starts with ``csv_header`` (a report
    of an older version had fewer columns). NetCDF: the global attribute ``generator``;
    GeoPackage: the dataset metadata item ``OUR_TAG``. Anything else, or anything unreadable:
    not ours.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in RASTER_SUFFIXES:
        return _raster_is_ours(path)
    if suffix == ".nc":
        return _netcdf_is_ours(path)
    if suffix == ".gpkg":
        return _geopackage_is_ours(path)
    if suffix == ".json":
        return _json_is_ours(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(_TEXT_SNIFF_BYTES).decode("utf-8", "replace")
    except OSError:
        return False
    lines = head.splitlines()
    if suffix == ".csv":
        return csv_header is not None and bool(lines) and lines[0].startswith(csv_header)
    if suffix == ".qml":
        return any(line.startswith(QML_MARK) for line in lines[:3])
    if suffix == ".html":
        return any(line.strip() == HTML_MARK for line in lines[:5])
    return False


def check_product_outputs(files, inputs, overwrite, trust_owner=False):
    """Refuse, before any work, a product (``{role: path}`` from :func:`~.names.product_files`)
    that could not be written or would replace an input or a file not ours:
    :func:`~.names.check_raster_names`, then :func:`check_outputs`."""
    check_raster_names(files["raster"], files.get("quality"))
    check_outputs(files.values(), inputs, overwrite, owner=Path(files["raster"]),
                  trust_owner=trust_owner)  # fmt: skip


def check_outputs(outputs, inputs, overwrite, owner=None, csv_header=None, trust_owner=False):
    """Refuse to write any of ``outputs`` whose name the file system cannot take, that would
    destroy an input, or that is a file not ours.

    Args:
        outputs: every path about to be written.
        inputs: the run's input files; an output may never be one of them.
        overwrite: the user allows replacing files this plugin did not write.
        owner: the raster the outputs belong to; when it is ours, its companions without a
            mark of their own (``.npy``) count as ours too; marked ones (styles, JSON, CSV,
            HTML, rasters: ``MARKED_SUFFIXES``) only with their mark. The raster itself is
            also ours when our sidecar names it (a raster of ours that was truncated no longer
            reads back).
        csv_header: the header line of the CSV outputs this run writes.
        trust_owner: marked companions of an owner of ours count as ours too (a check before
            it is known whether the output will be reused or redone: REGISTER's probe).

    Raises:
        GociResampleError: names the file and what to do.
    """
    outputs = [Path(output) for output in outputs]
    for output in outputs:
        check_path_usable(output)
    owner_is_ours = owner is not None and _owner_is_ours(Path(owner))
    for output in outputs:
        if not os.path.lexists(output):
            continue
        if output.is_dir():
            raise GociResampleError(
                f"{output} is a folder; goci-resample needs that name for a file. Choose "
                "another output name or move the folder away."
            )
        for source in inputs:
            if os.path.exists(source) and os.path.samefile(output, source):
                raise GociResampleError(
                    f"The output {output} is the input {Path(source).name} itself; writing it "
                    "would destroy the input. Choose another output file."
                )
        # a file with a mark of its own (a style, a report) is ours only with that mark: a
        # style the user saved over ours (QGIS "Save as Default") is theirs
        marked = (output.suffix.lower() in MARKED_SUFFIXES and output != Path(owner or "")
                  and not trust_owner)  # fmt: skip
        if overwrite or (owner_is_ours and not marked) or is_ours(output, csv_header):
            continue
        raise GociResampleError(
            f"{output} already exists and was not written by goci-resample; it is left "
            "untouched. Choose another output file or folder, move that file away, or set "
            "OVERWRITE to replace it."
        )


def _owner_is_ours(raster):
    if os.path.exists(raster) and is_ours(raster):
        return True
    sidecar = sidecar_path(raster)
    if not (os.path.isfile(sidecar) and _json_is_ours(sidecar)):
        return False
    try:
        return json.loads(sidecar.read_text(encoding="utf-8")).get("output") == raster.name
    except (OSError, ValueError):
        return False


def _raster_is_ours(path):
    import rasterio

    try:
        with rasterio.open(path) as dataset:
            return OUR_TAG in dataset.tags()
    except (rasterio.errors.RasterioError, OSError, ValueError):
        return False


def _netcdf_is_ours(path):
    import netCDF4

    try:
        with netCDF4.Dataset(path) as dataset:
            return getattr(dataset, "generator", "") == GENERATOR
    except (OSError, RuntimeError, ValueError):
        return False


def _geopackage_is_ours(path):
    from osgeo import gdal

    try:
        dataset = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_READONLY)
    except RuntimeError:
        return False
    return dataset is not None and dataset.GetMetadataItem(OUR_TAG) is not None


def _json_is_ours(path):
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(content, dict):
        return False
    versions = content.get("versions")
    return content.get("generator") == GENERATOR or (
        isinstance(versions, dict) and "goci_resample" in versions
    )
