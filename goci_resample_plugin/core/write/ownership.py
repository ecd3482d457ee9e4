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

_TEXT_SNIFF_BYTES = 4096


def is_ours(path, csv_header=None):
    """True when ``path`` was written by this plugin.

    GeoTIFF: carries ``OUR_TAG``. JSON: ``"generator": "goci-resample"`` (or, from version
    0.1.0, a ``versions.goci_resample`` entry). QML/HTML: the generator mark near the top.
    CSV: its first line is ``csv_header``. Anything else, or anything unreadable: not ours.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in RASTER_SUFFIXES:
        return _raster_is_ours(path)
    if suffix == ".json":
        return _json_is_ours(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(_TEXT_SNIFF_BYTES).decode("utf-8", "replace")
    except OSError:
        return False
    if suffix == ".csv":
        return csv_header is not None and head.splitlines()[:1] == [csv_header]
    if suffix in (".qml", ".html"):
        return GENERATOR in head
    return False


def check_product_outputs(files, inputs, overwrite):
    """Refuse, before any work, a product (``{role: path}`` from :func:`~.names.product_files`)
    that could not be written or would replace an input or a file not ours:
    :func:`~.names.check_raster_names`, then :func:`check_outputs`."""
    check_raster_names(files["raster"], files.get("quality"))
    check_outputs(files.values(), inputs, overwrite, owner=Path(files["raster"]))


def check_outputs(outputs, inputs, overwrite, owner=None, csv_header=None):
    """Refuse to write any of ``outputs`` whose name the file system cannot take, that would
    destroy an input, or that is a file not ours.

    Args:
        outputs: every path about to be written.
        inputs: the run's input files; an output may never be one of them.
        overwrite: the user allows replacing files this plugin did not write.
        owner: the raster the outputs belong to; when it is ours, its companions (``.npy``,
            styles of earlier versions) count as ours too. A raster is also ours when our
            sidecar names it (a raster of ours that was truncated no longer reads back).
        csv_header: the header line of the CSV outputs this run writes.

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
        if overwrite or owner_is_ours or is_ours(output, csv_header):
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
