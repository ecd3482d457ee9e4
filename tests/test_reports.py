"""The HTML reports a user opens in a browser: their statistics table fits a 1200 px window
(before, slope and intercept scrolled off), is headed in words with its units, and the offset
is told with its uncertainty or why it is not measurable."""

import html
import os
import subprocess
import sys
from pathlib import Path

import pytest

from goci_resample_plugin.core import compare_pair, resample_pair
from goci_resample_plugin.core.compare.report import UNITS_NOTE
from goci_resample_plugin.core.matchups.run import match_pair

WIDTH = Path(__file__).with_name("page_width.py")


def _needed_width(page):
    """CSS px the page needs in a 1200 px window (QtWebKit, in a process of its own)."""
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(["/usr/bin/python3", str(WIDTH), str(page)], capture_output=True,
                          text=True, timeout=120, env=environment, check=True)  # fmt: skip
    return int(done.stdout.split()[-1])


@pytest.fixture(scope="module")
def reports(scene, tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports 报告")  # a space and Chinese in the path
    resampled = resample_pair(scene.goci, scene.landsat, folder / "r.tif").output
    compare_pair(resampled, scene.landsat, folder / "t.csv", folder / "comparison.html")
    match_pair(scene.goci, scene.landsat, folder / "mu.nc")
    return folder / "comparison.html", folder / "mu.html"


@pytest.mark.skipif(sys.platform != "linux", reason="renders with the system QtWebKit")
@pytest.mark.parametrize("which", [0, 1], ids=["comparison", "match-ups"])
def test_the_report_table_fits_the_page_in_words_with_units(reports, which):
    page = reports[which]
    assert 0 < _needed_width(page) <= 1200
    text = page.read_text(encoding="utf-8")
    for heading in ("Band pair", "Mean Landsat", "Bias", "% of Landsat", "RMSE", "R²", "Gain",
                    "Intercept"):  # fmt: skip
        assert f">{heading}<" in text or f"{heading})" in text, heading
    assert "<th>mean_landsat</th>" not in text and "<th>slope</th>" not in text
    assert html.escape(UNITS_NOTE) in text
    assert "L_TOA_660 / B4<br><small>660 / 655 nm</small>" in text


def test_the_comparison_report_says_why_its_offset_is_not_measurable(reports):
    """18 × 18 km: too small to know the offset; the report says so instead of a number."""
    text = reports[0].read_text(encoding="utf-8")
    assert "The offset is <b>not measurable</b> on L_TOA_660:B4: too uncertain" in text
    assert "confidence 1.000" not in text
