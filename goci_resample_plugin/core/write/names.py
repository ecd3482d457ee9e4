"""Every file name the product uses: outputs, sidecars, styles, ``.npy``, temporary names.

One home, so the Processing layer, the batch and the comparison never spell a name twice.
"""

import hashlib
import os
import socket
from pathlib import Path

from ..errors import GociResampleError
from ..read import available_bands

LANDSAT_MARKER = "_TOA_RAD_B"
"""What a Landsat file name contains (``{scene}_TOA_RAD_B1-2-3-4-5.tif``)."""

OUTPUT_PREFIX = "GOCI_on_Landsat_"

OUTPUT_ROOT_LOCK = ".goci-resample.lock"
"""The lock file a batch holds in its output root while it runs."""

MAX_NAME_BYTES = 255
"""Longest file name (bytes) the usual file systems (ext4, NTFS, APFS) accept."""


def output_name(goci_path, options):
    """Return the SPEC §4 file name ``GOCI_on_Landsat_{goci_stem}_{GAUSS|NEAREST}.tif``.

    An output of a band set other than every band of the file carries it in its name
    (``..._GAUSS_B443-660.tif``), so that scripts pairing bands by position never take it for
    the default product. Reads the GOCI file's band list when ``options`` selects bands.

    Raises:
        GociResampleError: the GOCI file cannot be read (only when bands are selected).
    """
    stem = f"{OUTPUT_PREFIX}{Path(goci_path).stem}_{options.suffix}"
    chosen = tuple(sorted(options.wavelengths))
    if chosen and chosen != available_bands(goci_path):
        stem += "_B" + "-".join(str(w) for w in chosen)
    return f"{stem}.tif"


def scene_name(landsat_path):
    """Return the scene name of a Landsat file: the part before ``_TOA_RAD_B``, else the stem."""
    stem = Path(landsat_path).stem
    return stem.split(LANDSAT_MARKER)[0] if LANDSAT_MARKER in stem else stem


def sidecar_path(output):
    """``<stem>.json``: what the output was made from and its statistics."""
    return Path(output).with_suffix(".json")


def style_path(output):
    """``<stem>.qml``: QGIS's default style for the output."""
    return Path(output).with_suffix(".qml")


def landsat_style_path(output):
    """``<stem>_landsat.qml``: the style for the Landsat layer shown next to the output."""
    output = Path(output)
    return output.with_name(f"{output.stem}_landsat.qml")


def npy_path(output, band_name):
    """``<stem>_<band name>.npy``: one band of the output as a numpy array."""
    output = Path(output)
    return output.with_name(f"{output.stem}_{band_name}.npy")


RASTER_SUFFIXES = (".tif", ".tiff")


def check_raster_names(output, quality=None):
    """Refuse an OUTPUT, or an OUTPUT_QA (``quality``, optional), that is not a GeoTIFF name,
    and a quality raster at the output's own name.

    Raises:
        GociResampleError: naming the parameter and a name to use instead.
    """
    output = Path(output)
    if output.suffix.lower() not in RASTER_SUFFIXES:
        raise GociResampleError(
            f"OUTPUT {output} must be a GeoTIFF ending in .tif (its sidecars take the other "
            f"names: {output.stem}.json, .qml). Choose a name like "
            f"{output.with_suffix('.tif').name}."
        )
    if not quality:
        return
    quality = Path(quality)
    if quality.suffix.lower() not in RASTER_SUFFIXES:
        raise GociResampleError(
            f"OUTPUT_QA {quality} must be a GeoTIFF ending in .tif. Choose a name like "
            f"{quality.with_suffix('.tif').name}."
        )
    if quality.resolve() == output.resolve():
        raise GociResampleError(
            f"OUTPUT_QA and OUTPUT are the same file ({output}). Choose another name for the "
            f"quality raster, e.g. {quality_path(output).name}."
        )


def quality_path(output):
    """``<stem>_QA.tif``: the batch's per-pixel quality raster of an output."""
    output = Path(output)
    return output.with_name(f"{output.stem}_QA.tif")


def comparison_paths(output):
    """``(<stem>_comparison.csv, <stem>_comparison.html)``: the batch's comparison files."""
    output = Path(output)
    return (
        output.with_name(f"{output.stem}_comparison.csv"),
        output.with_name(f"{output.stem}_comparison.html"),
    )


def product_files(output, request, band_names=None, landsat_bands=0):
    """``{role: final path}`` of every file a pair writes for a ``ProductRequest``, in the
    order they land (the sidecar, which marks the output complete, last): the raster
    (``raster``), its style (``style``), the quality raster (``quality``: ``<stem>_QA.tif`` for
    ``request.quality`` True, else the path given), the Landsat layer's style
    (``landsat_style``: for 3+ GOCI bands and 4+ Landsat bands, and only when its name fits
    the file system: it is a convenience), one ``.npy`` per band name with ``write_npy`` (role
    = the band name; none when ``band_names`` is None, i.e. not known yet) and ``sidecar``.

    The one home of the product's file set: the ownership check and the writer both ask it.
    """
    output = Path(output)
    files = {"raster": output, "style": style_path(output)}
    if request.quality:
        files["quality"] = (
            quality_path(output) if request.quality is True else Path(request.quality)
        )
    count = len(band_names) if band_names is not None else 0
    if count >= 3 and landsat_bands >= 4 and fits(landsat_style_path(output)):
        files["landsat_style"] = landsat_style_path(output)
    if request.write_npy and band_names is not None:
        files |= {name: npy_path(output, name) for name in band_names}
    files["sidecar"] = sidecar_path(output)
    return files


def fits(path):
    """True when the name of ``path`` is short enough for the usual file systems."""
    return len(os.fsencode(Path(path).name)) <= MAX_NAME_BYTES


TEMPORARY_MARK = ".partial-"
TEMPORARY_RANDOM = 8
"""Random characters ``tempfile.mkstemp`` adds to a temporary's name."""


def temporary_prefix(path):
    """The hidden temporary name prefix ``.<name>.partial-<pid>.<host>-`` next to ``path``
    (``<host>``: :func:`host_mark`); the temporary itself is created exclusively with random
    characters after it (:func:`~.atomic.atomic_outputs`), so no name can be planted in
    advance.

    It does not end in the output's extension, so no tool mistakes it for a result.
    """
    return _hidden(path, f"{TEMPORARY_MARK}{os.getpid()}.{host_mark()}-", TEMPORARY_RANDOM)


def host_mark():
    """8 hex digits of this machine's name: in a folder that several machines share (NFS),
    only the machine that wrote a temporary can tell whether its writer still runs."""
    return hashlib.sha256(socket.gethostname().encode("utf-8")).hexdigest()[:8]


def lock_path(output):
    """``.<name>.lock`` next to ``output``: the lock a run holds while it writes that product
    (:func:`~..system.held_lock`)."""
    return _hidden(output, ".lock")


def _hidden(path, suffix, reserve=0):
    """``.<name><suffix>`` next to ``path``, leaving ``reserve`` bytes free; a name too long
    for the file system is shortened, keeping a hash of the full name so two paths never
    share one."""
    path = Path(path)
    name = f".{path.name}{suffix}"
    if len(os.fsencode(name)) + reserve > MAX_NAME_BYTES:
        digest = hashlib.sha256(os.fsencode(path.name)).hexdigest()[:16]
        keep = MAX_NAME_BYTES - reserve - len(os.fsencode(f".~{digest}{suffix}"))
        head = os.fsencode(path.name)[:keep].decode("utf-8", "ignore")
        name = f".{head}~{digest}{suffix}"
    return path.with_name(name)


def temporary_owner(path):
    """``(pid, written here)`` of a temporary name (``….partial-<pid>.<host>-<random>``;
    older versions wrote ``<pid>-<random>`` or ``<pid>``, on this machine as far as anyone
    can tell), or None when ``path`` is not one of ours."""
    name = Path(path).name
    if not name.startswith(".") or TEMPORARY_MARK not in name:
        return None
    pid, _, host = name.rsplit(TEMPORARY_MARK, 1)[1].split("-", 1)[0].partition(".")
    return (int(pid), host in ("", host_mark())) if pid.isdigit() else None
