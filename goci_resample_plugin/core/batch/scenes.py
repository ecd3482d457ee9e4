"""Find the GOCI/Landsat pair of each scene folder under an input root (SPEC §2)."""

from dataclasses import dataclass
from pathlib import Path

from ..matchups.run import MATCHUP_PREFIX
from ..write.names import LANDSAT_MARKER, OUTPUT_PREFIX

LANDSAT_SUFFIXES = (".tif", ".tiff")
GOCI_MARKER = "_subset"
GOCI_PREFERRED = "_subset_footprint"
GOCI_SUFFIX = ".nc"


@dataclass(frozen=True)
class SceneFolder:
    """One scene folder and what was found in it.

    Attributes:
        name: the folder name (the Landsat scene id).
        folder: the folder.
        landsat, goci: the pair's files, ``None`` when not found.
        problem: why there is no usable pair ("" when there is one).
        ambiguous: True when the problem is several candidates (a failure, not a no-pair).
    """

    name: str
    folder: Path
    landsat: Path = None
    goci: Path = None
    problem: str = ""
    ambiguous: bool = False


def discover_scenes(input_root):
    """Return a :class:`SceneFolder` for each scene folder under ``input_root``, by name.

    Scene folders are the root's immediate sub-folders (hidden ones skipped); the root itself
    counts as a scene folder too when it directly holds a Landsat or GOCI file.
    """
    input_root = Path(input_root)
    folders = sorted(
        (p for p in input_root.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.name,
    )
    if _candidates(input_root, _is_landsat) or _candidates(input_root, _is_goci):
        folders.insert(0, input_root)
    return [find_pair(folder) for folder in folders]


def find_pair(folder):
    """Return the :class:`SceneFolder` of ``folder``: its pair or why there is none.

    A Landsat file is a ``.tif``/``.tiff`` whose name contains ``_TOA_RAD_B``; a GOCI file is a
    ``.nc`` whose name contains ``_subset``; the plugin's own products (``GOCI_on_Landsat_…``,
    ``Landsat_on_GOCI_…``, written into the scene folder when OUTPUT_ROOT is the input root)
    are neither. Among several GOCI candidates ``_subset_footprint`` names win; several
    candidates left of one kind make the scene ambiguous (never a guess).
    """
    folder = Path(folder)
    try:
        landsat = _candidates(folder, _is_landsat)
        goci = _candidates(folder, _is_goci)
    except OSError as error:  # unreadable (a drive's system folder), or removed meanwhile
        return SceneFolder(folder.name, folder, problem=f"cannot read {folder} "
                           f"({error.strerror or error}); no pair looked for there")  # fmt: skip
    if len(goci) > 1:
        goci = [p for p in goci if GOCI_PREFERRED in p.name] or goci
    missing = [
        text
        for text, found in (
            (f"no Landsat *{LANDSAT_MARKER}*.tif", landsat),
            (f"no GOCI *{GOCI_MARKER}*.nc", goci),
        )
        if not found
    ]
    if missing:
        return SceneFolder(folder.name, folder, problem=f"{' and '.join(missing)} in {folder}")
    ambiguous = [
        f"{len(found)} {kind} files ({', '.join(p.name for p in found)})"
        for kind, found in (("Landsat", landsat), ("GOCI", goci))
        if len(found) > 1
    ]
    if ambiguous:
        return SceneFolder(
            folder.name,
            folder,
            ambiguous=True,
            problem=f"{folder} holds {' and '.join(ambiguous)}: keep one pair per scene folder "
            "(move the others away) and run again.",
        )
    return SceneFolder(folder.name, folder, landsat[0], goci[0])


def _candidates(folder, test):
    ours = (OUTPUT_PREFIX, MATCHUP_PREFIX)
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith((".", *ours)) and test(p.name)
    )


def _is_landsat(name):
    return LANDSAT_MARKER in name and name.lower().endswith(LANDSAT_SUFFIXES)


def _is_goci(name):
    return GOCI_MARKER in name and name.lower().endswith(GOCI_SUFFIX)
