"""The JSON sidecar, the raster's own metadata tags, and the rule for when an existing output
is complete for this run.

The sidecar is written last, so its presence marks the output complete. It records what the
output was made from: each input's identity (size, modification time, a cheap content
fingerprint), the parameters and band set, and the raster's own identity. An output is reused
only when all of that matches this run (SPEC §4); otherwise it is stale and is redone.
"""

import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path

from ..errors import GociResampleError
from ..provenance import library_versions, plugin_version
from .atomic import write_text
from .names import sidecar_path
from .ownership import GENERATOR, OUR_TAG

FINGERPRINT_BYTES = 1 << 20
"""Bytes hashed at each end of a file for its fingerprint (a full read of a 1 GB raster would
cost seconds; size and modification time catch the rest)."""


def file_identity(path):
    """``{"size", "mtime_ns", "fingerprint"}`` of a file: size in bytes, modification time in
    ns, SHA-256 of its first and last ``FINGERPRINT_BYTES`` bytes."""
    path = Path(path)
    status = path.stat()
    digest = hashlib.sha256(str(status.st_size).encode())
    with path.open("rb") as handle:
        digest.update(handle.read(FINGERPRINT_BYTES))
        if status.st_size > FINGERPRINT_BYTES:
            handle.seek(max(FINGERPRINT_BYTES, status.st_size - FINGERPRINT_BYTES))
            digest.update(handle.read(FINGERPRINT_BYTES))
    return {"size": status.st_size, "mtime_ns": status.st_mtime_ns,
            "fingerprint": digest.hexdigest()}  # fmt: skip


def _distance_tags(options):
    """RADIUS_M, SIGMA_M, NEIGHBOURS for the methods they apply to (not the interpolators)."""
    if options.interpolates:
        return {}
    return {"RADIUS_M": options.radius_m, "SIGMA_M": options.sigma_m,
            "NEIGHBOURS": options.neighbours}  # fmt: skip


def raster_tags(subset, grid, options, engine):
    """Dataset metadata of an output: plugin version, engine, method, parameters (the applied
    geolocation shift when there is one), input files."""
    shifted = options.shift_east_m or options.shift_north_m
    return {
        OUR_TAG: plugin_version(),
        "ENGINE": engine,
        "METHOD": options.method,
        **_distance_tags(options),
        "INVALID": options.invalid,
        **(
            {"SHIFT_EAST_M": options.shift_east_m, "SHIFT_NORTH_M": options.shift_north_m}
            if shifted
            else {}
        ),
        "GOCI_FILE": subset.path.name,
        "LANDSAT_FILE": grid.path.name,
        **({"AREA_OR_POINT": grid.area_or_point} if grid.area_or_point else {}),
    }


def band_tags(band):
    """Metadata tags of one output band (a ``GociBand``)."""
    return {"NAME": band.name, "WAVELENGTH_NM": band.wavelength_nm, "UNITS": band.units}


def input_identities(goci_path, landsat_path):
    """``{"goci": file_identity, "landsat": file_identity}`` of a pair's inputs: taken before
    they are read and checked again before the product lands (a land-mask step may rewrite
    the ``.nc`` in place while it is read), so the sidecar never vouches for a file the output
    was not made from.

    Raises:
        GociResampleError: an input cannot be read.
    """
    identities = {}
    for role, path in (("goci", goci_path), ("landsat", landsat_path)):
        try:
            identities[role] = file_identity(path)
        except OSError as error:
            raise GociResampleError(
                f"The input {path} cannot be read ({error.strerror or error}). Check that it "
                "exists and that no other program is rewriting it."
            ) from None
    return identities


def check_unchanged(identities, goci_path, landsat_path):
    """Return ``identities`` (of :func:`input_identities`, taken before reading) when both
    inputs are still those files.

    Raises:
        GociResampleError: an input changed while the product was made (nothing may land).
    """
    for role, path in (("goci", goci_path), ("landsat", landsat_path)):
        try:
            now = file_identity(path)
        except OSError:  # gone (a step that deletes and rewrites it) or unreadable
            now = None
        if now != identities[role]:
            raise GociResampleError(
                f"The input {path} changed while it was being read (another program, e.g. a "
                "land-mask step, rewrote it). Nothing was written; run again once that "
                "program has finished with it."
            )
    return identities


def sidecar_content(result, subset, grid, options, identities):
    """The sidecar of a ``PairResult`` as a JSON-ready dict. ``identities``: ``inputs``
    (from :func:`input_identities`, taken before reading), ``raster`` and ``quality`` (of the
    quality raster ``result.quality``, when one was written)."""
    content = {
        "generator": GENERATOR,
        "output": result.output.name,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "inputs": {"goci": str(subset.path), "landsat": str(grid.path)},
        "input_files": identities["inputs"],
        "raster": identities["raster"],
        "target_grid": {
            "width": grid.width,
            "height": grid.height,
            "crs": grid.crs.to_string(),
            "transform": list(grid.transform)[:6],
        },
        "parameters": options.as_dict(),
        "engine": result.engine,
        "valid_fraction": result.valid_fraction,
        "bands": result.bands,
        "seconds": result.seconds,
        "versions": library_versions(),
    }
    if result.quality is not None:
        content["quality"] = {"path": str(result.quality), "raster": identities["quality"]}
    return content


def write_sidecar(path, content, shown_as):
    """Write the sidecar ``content`` to ``path`` (a temporary name for ``shown_as``)."""
    write_text(path, json.dumps(content, indent=2, ensure_ascii=False), shown_as=shown_as)


def existing_output(output, goci_path, landsat_path, options, quality=None):
    """What is at ``output`` already, for this run: ``(sidecar, why_not)``.

    Returns ``(sidecar dict, "")`` when the output is complete and up to date: raster and
    sidecar present, the raster as the sidecar recorded it, made from these very input files
    with these parameters, and, when a ``quality`` raster is asked for, written with it there
    (and unchanged since). Otherwise ``(None, reason)``; the reason is "" when there is no
    complete output at all, else it says what changed (for the log and the batch report).
    """
    output = Path(output)
    json_path = sidecar_path(output)
    if not (os.path.isfile(output) and os.path.isfile(json_path)):
        return None, ""
    try:
        sidecar = json.loads(json_path.read_text(encoding="utf-8"))
        recorded_inputs = sidecar.get("input_files") or {}
        recorded_raster = sidecar.get("raster") or {}
        made_with = sidecar["parameters"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None, "its sidecar is unreadable"
    if not recorded_inputs or not recorded_raster:
        return None, "it was made by an older version that did not record its inputs"
    try:
        if file_identity(output) != recorded_raster:
            return None, f"{output.name} is not the raster that was written (truncated or changed)"
        for role, path in (("goci", goci_path), ("landsat", landsat_path)):
            if file_identity(path) != recorded_inputs.get(role):
                return None, f"the input {Path(path).name} changed since"
    except OSError as error:
        return None, f"it cannot be checked ({error.strerror or error})"
    before = type(options)().as_dict()  # a parameter added later: made with its default
    changed = [
        f"{key}={made_with.get(key, before[key])} instead of {value}"
        for key, value in options.as_dict().items()
        if made_with.get(key, before[key]) != value
    ]
    if changed:
        return None, "it was made with " + ", ".join(changed)
    if quality is not None:
        recorded = sidecar.get("quality") or {}
        if recorded.get("path") != str(quality):
            return None, f"it was written without the quality raster {Path(quality).name}"
        try:
            if file_identity(quality) != recorded.get("raster"):
                return None, f"the quality raster {Path(quality).name} changed since"
        except OSError:
            return None, f"the quality raster {Path(quality).name} is missing"
    return sidecar, ""
