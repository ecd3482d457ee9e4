"""REGISTER: GOCI's misregistration measured against Landsat and corrected while resampling,
on synthetic pairs whose GOCI geolocation is off by a known offset (``goci_offset_m``: GOCI's
content sits that many metres east/north of where Landsat has it)."""

import json
import math

import numpy as np
import pytest
import rasterio
from sample_data import SceneSpec, geolocation_error_m, goci2_spec, write_scene

from goci_resample_plugin.core import (
    WARNING,
    GociResampleError,
    ResampleOptions,
    RunControl,
    resample_pair,
    resample_registered,
    run_batch,
)
from goci_resample_plugin.core.batch import read_report

WITHIN_M = 30.0
CASES = [
    ("goci2", (150.0, 90.0), False),
    ("goci2", (-300.0, 200.0), False),
    ("goci2", (0.0, -400.0), False),
    ("goci2", (200.0, -120.0), True),  # land-masked: a land/sea edge in the field
    ("goci1", (250.0, -150.0), False),
    ("goci1", (-500.0, 300.0), False),
]


def _scene(root, generation, offset, land_masked=False, size=1500):
    """(scene files, true offset): GOCI's geolocation off by ``offset`` metres in the GOCI
    projection, which is ``true`` (east, north) metres at the scene."""
    if generation == "goci2":
        spec = goci2_spec(width=size, height=size, seed=3, goci_offset_m=offset,
                          land_masked=land_masked)  # fmt: skip
    else:
        spec = SceneSpec(width=size, height=size, seed=3, goci_offset_m=offset)
    return write_scene(root, spec), geolocation_error_m(spec)


def _logged():
    lines = []
    return lines, RunControl(log=lambda level, text: lines.append((level, text)))


@pytest.mark.parametrize(("generation", "offset", "land_masked"), CASES)
def test_known_offsets_are_corrected(tmp_path, generation, offset, land_masked):
    scene, true = _scene(tmp_path, generation, offset, land_masked)
    lines, control = _logged()
    result, registration = resample_registered(scene.goci, scene.landsat, tmp_path / "o.tif",
                                               control=control)  # fmt: skip
    assert registration.applied, registration.reason
    found = registration.found
    assert math.hypot(found.east_m - true[0], found.north_m - true[1]) <= WITHIN_M
    # what is left on the written output (a correction with the wrong sign leaves 2 × offset)
    left = registration.residual
    assert math.hypot(left.east_m, left.north_m) <= WITHIN_M
    sidecar = json.loads(result.sidecar.read_text(encoding="utf-8"))
    made_with, recorded = sidecar["parameters"], sidecar["registration"]
    assert recorded["applied"] and recorded["found_east_m"] == pytest.approx(found.east_m)
    assert recorded["confidence"] >= 0.9 and recorded["residual_north_m"] == left.north_m
    assert made_with["shift_east_m"] == pytest.approx(-found.east_m)
    assert made_with["shift_north_m"] == pytest.approx(-found.north_m)
    with rasterio.open(result.output) as written:
        assert float(written.tags()["SHIFT_EAST_M"]) == pytest.approx(-found.east_m)
    assert any("REGISTER: GOCI sat" in text for _, text in lines)


def test_an_aligned_pair_stays_as_it_is(tmp_path):
    scene, _ = _scene(tmp_path, "goci2", (0.0, 0.0))
    result, registration = resample_registered(scene.goci, scene.landsat, tmp_path / "r.tif")
    plain = resample_pair(scene.goci, scene.landsat, tmp_path / "p.tif")
    assert not registration.applied and "already aligned" in registration.reason
    assert (registration.east_m, registration.north_m) == (0.0, 0.0)
    with rasterio.open(result.output) as ours, rasterio.open(plain.output) as reference:
        assert np.array_equal(ours.read(), reference.read(), equal_nan=True)


def test_an_implausible_offset_is_refused_and_the_output_left_unshifted(tmp_path):
    scene, true = _scene(tmp_path, "goci2", (1200.0, 0.0))  # about 5 GOCI-II pixels
    lines, control = _logged()
    result, registration = resample_registered(scene.goci, scene.landsat, tmp_path / "o.tif",
                                               control=control)  # fmt: skip
    assert not registration.applied and "more than 3 GOCI pixels" in registration.reason
    assert registration.found.east_m == pytest.approx(true[0], abs=WITHIN_M)
    [warning] = [text for level, text in lines if level == WARNING]
    assert "offset not applied" in warning and "same scene" in warning
    made_with = json.loads(result.sidecar.read_text(encoding="utf-8"))["parameters"]
    assert made_with["shift_east_m"] == 0.0 and made_with["shift_north_m"] == 0.0


def test_too_small_a_scene_to_measure_is_resampled_unshifted(scene, tmp_path):
    """18 × 18 km: below the area an offset is measured on (it would be tens of metres off)."""
    result, registration = resample_registered(scene.goci, scene.landsat, tmp_path / "o.tif",
                                               ResampleOptions(wavelengths=(660,)))  # fmt: skip
    assert not registration.applied and "not measurable" in registration.reason
    assert result.output.is_file()


def test_a_file_not_ours_at_the_output_is_refused_before_the_probe(scene, tmp_path):
    """The user's own file at OUTPUT: refused at once, untouched, nothing probed or written."""
    output = tmp_path / "o.tif"
    output.write_bytes(b"the user's own file")
    lines, control = _logged()
    with pytest.raises(GociResampleError) as refused:
        resample_registered(scene.goci, scene.landsat, output, ResampleOptions(), control)
    assert output.name in str(refused.value) and "OVERWRITE" in str(refused.value)
    assert lines == []  # the probe resample would have logged its engine and figures
    assert output.read_bytes() == b"the user's own file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.tif"]


def test_register_through_qgis_process(qgis_process, tmp_path):
    scene, true = _scene(tmp_path / "in", "goci2", (-300.0, 200.0))
    completed = qgis_process("--json", "run", "gociresample:resamplepair", "--",
                             f"GOCI={scene.goci}", f"LANDSAT={scene.landsat}", "BANDS=555,660",
                             "REGISTER=true", f"OUTPUT={tmp_path / 'o.tif'}",
                             check=True)  # fmt: skip
    results = json.loads(completed.stdout)["results"]
    error = math.hypot(results["SHIFT_EAST_M"] - true[0], results["SHIFT_NORTH_M"] - true[1])
    assert error <= WITHIN_M
    assert "REGISTER: GOCI sat" in completed.stdout + completed.stderr


def test_register_in_a_batch_fills_the_report(tmp_path):
    root = tmp_path / "input"
    shifted, true = _scene(root, "goci2", (150.0, 90.0))
    batch = run_batch(root, tmp_path / "out", ResampleOptions(wavelengths=(660,)),
                      register=True)  # fmt: skip
    assert batch.counts()["ok"] == 1
    [row] = read_report(batch.report)
    assert row["scene"] == shifted.scene_dir.name
    east, north = float(row["register_east_m"]), float(row["register_north_m"])
    assert math.hypot(east - true[0], north - true[1]) <= WITHIN_M
    assert float(row["register_confidence"]) >= 0.9 and float(row["register_residual_m"]) <= 30
