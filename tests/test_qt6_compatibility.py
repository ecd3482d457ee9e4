"""The package avoids what Qt 6 / QGIS 4 removed: a scan for known Qt5-only patterns."""

import re

import pytest
from conftest import REPO

FORBIDDEN = {
    "exec_() is gone in PyQt6; use exec()": r"\.exec_\(",
    "import Qt only through qgis.PyQt": r"^\s*(from|import)\s+PyQt[56]\b",
    "QVariant types are gone from QGIS 4 signatures": r"\bQVariant\b",
    "unscoped QgsProcessing source types": r"\bQgsProcessing\.Type[A-Z]",
    "unscoped number types": r"\bQgsProcessingParameterNumber\.(Double|Integer)\b",
    "unscoped file behaviours": r"\bQgsProcessingParameterFile\.(File|Folder)\b",
    "unscoped parameter flags": r"\bQgsProcessingParameterDefinition\.Flag[A-Z]",
    "unscoped Qt enums": r"\bQt\.(Align|Wait|Checked|Unchecked|UserRole|DisplayRole)\w*",
    "unscoped layer types": r"\bQgsMapLayer(Type)?\.(Raster|Vector)Layer\b",
    "no iface in algorithms (None in qgis_process)": r"from qgis\.utils import iface",
}


def _python_files():
    return sorted((REPO / "goci_resample_plugin").rglob("*.py"))


@pytest.mark.parametrize("reason", sorted(FORBIDDEN))
def test_no_qt5_only_pattern(reason):
    pattern = re.compile(FORBIDDEN[reason], re.MULTILINE)
    hits = [
        f"{path.relative_to(REPO)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in _python_files()
        for text in [path.read_text(encoding="utf-8")]
        for match in pattern.finditer(text)
    ]
    assert not hits, f"{reason}: {', '.join(hits)}"


@pytest.mark.parametrize(
    ("reason", "bad"),
    [
        ("exec_() is gone in PyQt6; use exec()", "dialog.exec_()"),
        ("import Qt only through qgis.PyQt", "from PyQt5.QtCore import Qt"),
        ("unscoped number types", "QgsProcessingParameterNumber.Double"),
        ("unscoped parameter flags", "QgsProcessingParameterDefinition.FlagAdvanced"),
    ],
)
def test_the_scan_catches_what_it_names(reason, bad):
    assert re.search(FORBIDDEN[reason], bad, re.MULTILINE)
