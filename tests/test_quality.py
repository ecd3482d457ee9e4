"""The per-pixel quality raster (``quality_output`` / OUTPUT_QA): checked against pyresample's
own neighbour search, the same from both engines, part of the product."""

import json

import numpy as np
import pytest
import rasterio
from reference import reference_quality

from goci_resample_plugin.core import (
    QUALITY_BANDS,
    GociResampleError,
    ResampleOptions,
    RunControl,
    resample_pair,
)


def _quality(path):
    with rasterio.open(path) as dataset:
        return dataset.read().astype(np.float64), dataset.descriptions, dataset.profile


@pytest.mark.parametrize("engine", ["grid", "kdtree"])
@pytest.mark.parametrize("method", ["gauss", "nearest"])
def test_quality_matches_pyresample_neighbour_info(scene, tmp_path, engine, method):
    options = ResampleOptions(method=method, wavelengths=(443, 660))
    result = resample_pair(scene.goci, scene.landsat, tmp_path / "o.tif", options,
                           engine=engine, quality_output=tmp_path / "o_QA.tif")  # fmt: skip
    ours, descriptions, profile = _quality(result.quality)
    expected = reference_quality(scene.goci, scene.landsat, 443, method)
    assert descriptions == tuple(name for name, _, _ in QUALITY_BANDS)
    with rasterio.open(scene.landsat) as landsat:
        assert (profile["width"], profile["height"]) == (landsat.width, landsat.height)
        assert profile["transform"] == landsat.transform
    same_count = ours[0] == expected[0]
    assert same_count.mean() >= 1 - 1e-5
    assert np.array_equal(np.isnan(ours[1]), np.isnan(expected[1]))
    both = same_count & (expected[0] > 0)
    assert np.allclose(ours[1][both], expected[1][both], rtol=1e-6, atol=1e-3)
    assert np.allclose(ours[2][both], expected[2][both], rtol=1e-6)
    # a known answer that a bug would change: at 250 m, 800 m and 16 neighbours most pixels
    # use all 16, the nearest GOCI pixel is within half a diagonal (~180 m)
    if method == "gauss":
        assert np.median(ours[0][both]) == 16
    assert 100 < np.nanmax(ours[1]) < 800 and np.nanmin(ours[1]) < 20
    with rasterio.open(result.output) as written:
        no_value = np.isnan(written.read(1))
    assert (ours[0][no_value] == 0).all() and (ours[0][~no_value] >= 1).all()


def test_quality_raster_is_part_of_the_product(scene, tmp_path):
    output, quality = tmp_path / "o.tif", tmp_path / "qa" / "o_QA.tif"
    options = ResampleOptions(wavelengths=(443,))
    first = resample_pair(scene.goci, scene.landsat, output, options, quality_output=quality)
    sidecar = json.loads(first.sidecar.read_text(encoding="utf-8"))
    assert sidecar["quality"]["path"] == str(quality) and quality.is_file()
    again = resample_pair(scene.goci, scene.landsat, output, options, quality_output=quality)
    assert again.reused and again.quality == quality
    elsewhere = tmp_path / "o_QA2.tif"
    lines = []
    control = RunControl(log=lambda level, text: lines.append(text))
    redone = resample_pair(scene.goci, scene.landsat, output, options, control,
                           quality_output=elsewhere)  # fmt: skip
    assert not redone.reused and elsewhere.is_file()
    assert any("without the quality raster o_QA2.tif" in line for line in lines)
    leftovers = [p.name for p in tmp_path.rglob("*") if ".partial" in p.name]
    assert leftovers == []


@pytest.mark.parametrize(
    ("name", "message"),
    [("o.tif", "OUTPUT_QA and OUTPUT are the same file"), ("o_QA.png", "must be a GeoTIFF")],
)
def test_bad_quality_names_are_refused_before_any_work(scene, tmp_path, name, message):
    with pytest.raises(GociResampleError, match=message):
        resample_pair(scene.goci, scene.landsat, tmp_path / "o.tif",
                      quality_output=tmp_path / name)  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_a_foreign_file_at_the_quality_name_is_kept(scene, tmp_path):
    foreign = tmp_path / "mine.tif"
    foreign.write_bytes(b"the user's own file")
    with pytest.raises(GociResampleError):
        resample_pair(scene.goci, scene.landsat, tmp_path / "o.tif", quality_output=foreign)
    assert foreign.read_bytes() == b"the user's own file"


def test_output_qa_through_qgis_process(qgis_process, scene, tmp_path):
    """The Processing shell passes OUTPUT_QA on and returns it; without it none is written."""
    output, quality = tmp_path / "o.tif", tmp_path / "quality.tif"
    completed = qgis_process("--json", "run", "gociresample:resamplepair", "--",
                             f"GOCI={scene.goci}", f"LANDSAT={scene.landsat}", "BANDS=443",
                             f"OUTPUT={output}", f"OUTPUT_QA={quality}", check=True)  # fmt: skip
    results = json.loads(completed.stdout)["results"]
    assert results["OUTPUT_QA"] == str(quality)
    ours, descriptions, _ = _quality(quality)
    assert descriptions[0] == "GOCI_PIXELS" and np.nanmax(ours[0]) == 16
    plain = tmp_path / "plain.tif"
    qgis_process("run", "gociresample:resamplepair", "--", f"GOCI={scene.goci}",
                 f"LANDSAT={scene.landsat}", "BANDS=443", f"OUTPUT={plain}",
                 check=True)  # fmt: skip
    assert sorted(p.name for p in tmp_path.glob("*.tif")) == ["o.tif", "plain.tif", "quality.tif"]


def test_write_qa_in_a_batch_through_qgis_process(qgis_process, batch_root, tmp_path):
    root, good = batch_root
    qgis_process("run", "gociresample:batchresample", "--", f"INPUT_ROOT={root}",
                 f"OUTPUT_ROOT={tmp_path}", "METHOD=1", "WRITE_QA=true", check=True)  # fmt: skip
    written = sorted(p.relative_to(tmp_path).parent.name for p in tmp_path.rglob("*_QA.tif"))
    assert written == sorted(good)
    for path in tmp_path.rglob("*_QA.tif"):
        ours, _, _ = _quality(path)
        counts = set(np.unique(ours[0]).tolist())
        assert counts <= {0.0, 1.0} and 1.0 in counts  # Nearest: one GOCI pixel or none


def test_cancel_leaves_neither_raster_nor_quality_half_written(scene, tmp_path):
    from goci_resample_plugin.core import ResampleCancelled

    calls = []

    def cancel_on_second_block():
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(ResampleCancelled):
        resample_pair(scene.goci, scene.landsat, tmp_path / "o.tif",
                      ResampleOptions(neighbours=200), RunControl(cancelled=cancel_on_second_block),
                      quality_output=tmp_path / "o_QA.tif")  # fmt: skip
    assert len(calls) > 1 and list(tmp_path.iterdir()) == []
