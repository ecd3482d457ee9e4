"""compare_rasters: known answers from pairs generated from the same analytic field."""

import math

import numpy as np
import pytest
import rasterio
from sample_data import SceneSpec, write_scene

from goci_resample_plugin.core import (
    GociResampleError,
    compare_rasters,
    parse_band_pairs,
    resample_pair,
)


def _resampled_pair(root, **spec):
    scene = write_scene(root, SceneSpec(width=1500, height=1500, seed=3, **spec))
    return resample_pair(scene.goci, scene.landsat, root / "out.tif").output, scene.landsat


@pytest.fixture(scope="module")
def aligned(tmp_path_factory):
    return _resampled_pair(tmp_path_factory.mktemp("aligned"))


@pytest.fixture(scope="module")
def shifted(tmp_path_factory):
    return _resampled_pair(tmp_path_factory.mktemp("shifted"), goci_offset_m=(150.0, 90.0))


def test_same_field_agrees_at_block_scale(aligned):
    comparison = compare_rasters(*aligned)
    assert [p.goci_wavelength_nm for p in comparison.pairs] == [443, 490, 555, 660, 865]
    assert [p.landsat_band for p in comparison.pairs] == [1, 2, 3, 4, 5]
    for pair in comparison.pairs:
        assert pair.blocks.count > 1000
        assert pair.blocks.r2 > 0.99
        # The generator's Landsat bands sit at OLI wavelengths (482, 561, 655 nm), GOCI's at
        # 490, 555, 660 nm: the field differs by a few per cent between them.
        assert abs(pair.blocks.bias) < 0.05 * pair.blocks.mean_landsat
        assert pair.blocks.bias == pytest.approx(
            pair.blocks.mean_goci - pair.blocks.mean_landsat, rel=1e-9
        )
        assert 0.9 < pair.blocks.slope < 1.1
        assert pair.pixels.r2 < pair.blocks.r2  # Landsat's 30 m texture averages out
    shift = comparison.shift  # aligned: zero within the 95 % intervals, which are tens of m
    assert shift.measurable and not shift.significant()
    assert all(abs(v) < u < 60 for v, u in zip((shift.east_m, shift.north_m), shift.uncertainty_m))


def test_known_misregistration_is_measured(shifted):
    comparison = compare_rasters(*shifted)
    shift, grid = comparison.shift, comparison.grid_shift
    # towards true east/north: the grid's x/y offset turned by the meridian convergence (< 3°)
    assert math.hypot(shift.east_m, shift.north_m) == pytest.approx(
        math.hypot(grid.east_m, grid.north_m), rel=1e-9
    )
    turn = math.degrees(
        math.atan2(shift.north_m, shift.east_m) - math.atan2(grid.north_m, grid.east_m)
    )
    assert 0.1 < abs(turn) < 3
    assert np.trace(shift.covariance_m2) == pytest.approx(np.trace(grid.covariance_m2))
    assert shift.east_m == pytest.approx(150.0, abs=30.0)
    assert shift.north_m == pytest.approx(90.0, abs=30.0)
    assert shift.confidence > 0.9 and shift.band_pair == "L_TOA_660:B4"
    assert shift.significant()


def test_explicit_band_pairs(aligned):
    comparison = compare_rasters(*aligned, band_pairs=parse_band_pairs("660:4, 865:5"))
    assert [(p.goci_name, p.landsat_band) for p in comparison.pairs] == [
        ("L_TOA_660", 4),
        ("L_TOA_865", 5),
    ]
    assert len(comparison.table_rows()) == 4


def test_a_band_pair_without_common_valid_pixels_is_a_clear_error(aligned, tmp_path):
    resampled, landsat = aligned
    empty = tmp_path / "empty_TOA_RAD_B1.tif"
    with rasterio.open(landsat) as src:
        profile = src.profile
    with rasterio.open(empty, "w", **profile) as dst:
        dst.write(np.zeros((profile["count"], profile["height"], profile["width"]), "float32"))
    with pytest.raises(GociResampleError) as raised:
        compare_rasters(resampled, empty)
    assert "no pixel valid in both" in str(raised.value) and empty.name in str(raised.value)


def test_a_band_pair_naming_a_missing_landsat_band_is_refused(aligned):
    with pytest.raises(GociResampleError) as raised:
        compare_rasters(*aligned, band_pairs=[(660, 9)])
    assert "has no band 9; it has 5 bands" in str(raised.value)


def test_bad_band_pairs_text_is_refused():
    with pytest.raises(GociResampleError) as raised:
        parse_band_pairs("443-1")
    assert "<GOCI nm>:<Landsat band number>" in str(raised.value)


def test_an_offset_is_told_in_words_that_say_its_direction():
    """A negative east offset is west: "−53.9 m east" read as east to users."""
    from goci_resample_plugin.core.compare.registration import describe_offset

    assert describe_offset(-53.94, 64.8, 1) == "53.9 m west and 64.8 m north"
    assert describe_offset(12.0, -3.0) == "12 m east and 3 m south"


def test_a_raster_compared_with_itself_is_refused(scene, tmp_path):
    """The dialog pre-selects the GOCI result in the Landsat box: R² 1, bias 0, offset 0."""
    from goci_resample_plugin.core import GociResampleError, compare_pair, resample_pair

    resampled = resample_pair(scene.goci, scene.landsat, tmp_path / "r.tif").output
    with pytest.raises(GociResampleError, match="RESAMPLED and LANDSAT are the same file"):
        compare_pair(resampled, resampled, tmp_path / "t.csv", tmp_path / "r.html")
    assert not (tmp_path / "t.csv").exists() and not (tmp_path / "r.html").exists()


def test_the_neighbours_note_is_said_once_not_on_every_run(scene, tmp_path):
    """The note on NEIGHBOURS filling up before RADIUS told users on every run (and every
    scene of a batch) that the defaults do not fit; it is said once, with what to do."""
    from goci_resample_plugin.core import ResampleOptions, RunControl, resample_pair

    options = ResampleOptions(wavelengths=(660,), radius_m=777.0)  # a key no other test uses
    told = []
    for number in range(2):
        lines = []
        control = RunControl(log=lambda level, text, lines=lines: lines.append(text))
        resample_pair(scene.goci, scene.landsat, tmp_path / f"o{number}.tif", options, control)
        told.append([line for line in lines if "lie within RADIUS 777 m" in line])
    assert len(told[0]) == 1 and told[1] == []
    assert "set NEIGHBOURS" in told[0][0] and "fine as it is" in told[0][0]
