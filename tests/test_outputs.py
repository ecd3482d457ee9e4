"""The written GeoTIFF, sidecar and style, read back; outputs appear whole or not at all."""

import json
import math
import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest
import rasterio
from rows import covers

from goci_resample_plugin.core import (
    WARNING,
    GociResampleError,
    ResampleCancelled,
    ResampleOptions,
    RunControl,
    output_name,
    resample_pair,
    scene_name,
)
from goci_resample_plugin.core.provenance import plugin_version


@pytest.fixture(scope="module")
def written(scene, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / output_name(scene.goci, ResampleOptions())
    return resample_pair(
        scene.goci, scene.landsat, out, ResampleOptions(wavelengths=(443, 555, 660, 490))
    )


def test_geotiff_is_exactly_the_landsat_grid(scene, written):
    with rasterio.open(scene.landsat) as landsat, rasterio.open(written.output) as out:
        assert (out.width, out.height) == (landsat.width, landsat.height)
        assert out.transform == landsat.transform
        assert out.crs == landsat.crs
        assert out.tags()["AREA_OR_POINT"] == landsat.tags()["AREA_OR_POINT"]
        assert out.dtypes == ("float32",) * 4
        assert math.isnan(out.nodata)
        assert out.profile["tiled"] and out.profile["compress"] == "deflate"
        assert out.tags(ns="IMAGE_STRUCTURE").get("PREDICTOR") == "3"


def test_zstd_holds_the_same_numbers_and_a_change_of_codec_redoes_the_output(
    scene, written, tmp_path
):
    """COMPRESSION ZSTD: the same pixels as the DEFLATE output (both lossless), the float
    predictor kept; asking for the other codec redoes an up-to-date output and says why."""
    options = ResampleOptions(wavelengths=(443, 555, 660, 490), compression="zstd")
    output = tmp_path / written.output.name
    control = RunControl()
    zstd = resample_pair(scene.goci, scene.landsat, output, options, control)
    with rasterio.open(zstd.output) as ours, rasterio.open(written.output) as deflate:
        assert ours.compression.name == "zstd" and deflate.compression.name == "deflate"
        assert ours.tags(ns="IMAGE_STRUCTURE").get("PREDICTOR") == "3"
        assert np.array_equal(ours.read(), deflate.read(), equal_nan=True)
    assert json.loads(zstd.sidecar.read_text())["parameters"]["compression"] == "zstd"
    again = resample_pair(scene.goci, scene.landsat, output, options)
    assert again.reused
    redone = resample_pair(scene.goci, scene.landsat, output,
                           ResampleOptions(wavelengths=(443, 555, 660, 490)))  # fmt: skip
    assert not redone.reused and "compression=zstd instead of deflate" in redone.replaced_because
    with rasterio.open(output) as dataset:
        assert dataset.compression.name == "deflate"
    with pytest.raises(GociResampleError, match="COMPRESSION must be one of deflate, zstd"):
        ResampleOptions(compression="lzw")


def test_bands_in_wavelength_order_with_descriptions_and_metadata(scene, written):
    with rasterio.open(written.output) as out:
        assert out.descriptions == ("L_TOA_443", "L_TOA_490", "L_TOA_555", "L_TOA_660")
        assert [out.tags(b)["WAVELENGTH_NM"] for b in (1, 2, 3, 4)] == ["443", "490", "555", "660"]
        assert out.tags(1)["UNITS"] == "W m-2 sr-1 um-1"
        tags = out.tags()
        assert tags["METHOD"] == "gauss" and float(tags["RADIUS_M"]) == 800.0
        assert float(tags["SIGMA_M"]) == 320.0 and tags["NEIGHBOURS"] == "16"
        assert tags["INVALID"] == "skip"
        assert tags["GOCI_FILE"] == scene.goci.name and tags["LANDSAT_FILE"] == scene.landsat.name
        assert tags["GOCI_RESAMPLE_VERSION"] == plugin_version()
        data = out.read()
    assert np.isfinite(data).mean() > 0.5
    # The bands hold the radiance of their own wavelength: 443 nm is brighter than 660 nm here.
    assert np.nanmean(data[0]) != pytest.approx(np.nanmean(data[3]), rel=1e-3)


def test_sidecar_json_records_inputs_parameters_statistics_and_versions(scene, written):
    sidecar = json.loads(written.sidecar.read_text())
    assert written.sidecar.name == written.output.with_suffix(".json").name
    assert sidecar["inputs"] == {"goci": str(scene.goci), "landsat": str(scene.landsat)}
    assert sidecar["parameters"]["radius_m"] == 800.0
    assert [b["name"] for b in sidecar["bands"]] == [
        "L_TOA_443",
        "L_TOA_490",
        "L_TOA_555",
        "L_TOA_660",
    ]
    with rasterio.open(written.output) as out:
        first = out.read(1)
    assert sidecar["bands"][0]["valid_fraction"] == pytest.approx(np.isfinite(first).mean())
    assert sidecar["bands"][0]["mean"] == pytest.approx(
        np.nanmean(first.astype(np.float64)), rel=1e-9
    )
    assert sidecar["valid_fraction"] == pytest.approx(written.valid_fraction)
    assert set(sidecar["seconds"]) >= {"read", "resample", "write", "total"}
    assert sidecar["versions"]["pyresample"] and sidecar["engine"] == written.engine


def test_style_is_a_true_colour_composite_stretched_to_the_data(written):
    root = ElementTree.parse(written.style).getroot()
    renderer = root.find("pipe/rasterrenderer")
    assert renderer.get("type") == "multibandcolor"
    # bands 443, 490, 555, 660 → red 660 = band 4, green 555 = band 3, blue 490 = band 2
    assert (renderer.get("redBand"), renderer.get("greenBand"), renderer.get("blueBand")) == (
        "4",
        "3",
        "2",
    )
    red_min = float(renderer.find("redContrastEnhancement/minValue").text)
    red_max = float(renderer.find("redContrastEnhancement/maxValue").text)
    assert (red_min, red_max) == pytest.approx((written.bands[3]["p2"], written.bands[3]["p98"]))
    assert red_min < red_max


def test_scene_name_and_output_name():
    assert scene_name("/d/LC08_X_T1_TOA_RAD_B1-2-3-4-5.tif") == "LC08_X_T1"
    assert output_name("/d/G_subset_footprint.nc", ResampleOptions(method="nearest")) == (
        "GOCI_on_Landsat_G_subset_footprint_NEAREST.tif"
    )


@covers("cancel")
def test_cancel_leaves_no_file_and_keeps_the_previous_output(scene, written, tmp_path):
    target = tmp_path / "out.tif"
    target.write_bytes(written.output.read_bytes())
    previous = target.read_bytes()
    calls = []

    def cancel_on_second_block():
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(ResampleCancelled):
        resample_pair(
            scene.goci,
            scene.landsat,
            target,
            ResampleOptions(neighbours=200),
            RunControl(cancelled=cancel_on_second_block),
            overwrite=True,
        )
    assert len(calls) == 2
    assert target.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.tif"]


@covers("no-overlap")
def test_no_overlap_fails_before_writing_and_names_both_extents(scene, old_scene, tmp_path):
    with pytest.raises(GociResampleError) as raised:
        resample_pair(scene.goci, old_scene.landsat, tmp_path / "x.tif")
    message = str(raised.value)
    assert "do not overlap" in message and "GOCI lon" in message and "Landsat lon" in message
    assert scene.goci.name in message and old_scene.landsat.name in message
    assert list(tmp_path.iterdir()) == []


@covers("output-not-ours")
def test_output_that_is_not_ours_is_kept_unless_overwrite(scene, tmp_path):
    target = tmp_path / "notes.tif"
    target.write_bytes(b"somebody else's file")
    with pytest.raises(GociResampleError) as raised:
        resample_pair(scene.goci, scene.landsat, target, ResampleOptions(wavelengths=(443,)))
    assert "not written by goci-resample" in str(raised.value) and "OVERWRITE" in str(raised.value)
    assert target.read_bytes() == b"somebody else's file"
    resample_pair(
        scene.goci, scene.landsat, target, ResampleOptions(wavelengths=(443,)), overwrite=True
    )
    assert target.read_bytes()[:2] in (b"II", b"MM")


@covers("output-is-an-input")
def test_output_onto_an_input_is_refused_even_with_overwrite(scene, tmp_path):
    landsat = tmp_path / scene.landsat.name
    landsat.write_bytes(scene.landsat.read_bytes())
    before = landsat.read_bytes()
    with pytest.raises(GociResampleError) as raised:
        resample_pair(scene.goci, landsat, landsat, overwrite=True)
    assert "destroy the input" in str(raised.value)
    assert landsat.read_bytes() == before


@covers("sigma-much-larger", "radius-below-half-pixel")
def test_parameters_that_leave_holes_or_over_smooth_are_warned(goci1_scene, tmp_path):
    scene = goci1_scene  # 500 m pixels: RADIUS 300 m leaves holes
    lines = []
    resample_pair(
        scene.goci,
        scene.landsat,
        tmp_path / "o.tif",
        ResampleOptions(radius_m=300.0, sigma_m=400.0, wavelengths=(443,)),
        RunControl(log=lambda level, text: lines.append((level, text))),
    )
    warnings = [text for level, text in lines if level == WARNING]
    assert len(warnings) == 2
    assert "holes" in warnings[0] and "m apart in" in warnings[0]
    assert "SIGMA 400 m is larger than RADIUS 300 m" in warnings[1]
