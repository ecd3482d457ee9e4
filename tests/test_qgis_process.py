"""Real qgis_process runs of the packaged plugin in a throw-away profile."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
import rasterio
from reference import assert_within_spec, reference_resample


def test_zip_installed_in_a_fresh_profile_lists_every_algorithm(qgis_process):
    listing = json.loads(qgis_process("--json", "list", check=True).stdout)
    algorithms = listing["providers"]["gociresample"]["algorithms"]
    assert set(algorithms) == {
        "gociresample:resamplepair",
        "gociresample:batchresample",
        "gociresample:comparelandsat",
        "gociresample:matchups",
    }


def test_a_missing_library_keeps_the_algorithms_and_says_how_to_install_it(
    qgis_process, scene, tmp_path
):
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "netCDF4.py").write_text("raise ImportError('hidden by the test')\n")
    env = {"PYTHONPATH": str(hidden)}
    listing = json.loads(qgis_process("--json", "list", check=True, env=env).stdout)
    assert "gociresample:batchresample" in listing["providers"]["gociresample"]["algorithms"]
    completed = qgis_process(
        "run",
        "gociresample:resamplepair",
        "--",
        f"GOCI={scene.goci}",
        f"LANDSAT={scene.landsat}",
        f"OUTPUT={tmp_path / 'o.tif'}",
        env=env,
    )
    message = completed.stdout + completed.stderr
    assert completed.returncode != 0 and "Traceback" not in message
    assert "goci-resample needs netCDF4" in message
    assert "sudo apt install python3-netcdf4" in message
    assert "OSGeo4W" in message and "QGIS.app" in message
    assert not (tmp_path / "o.tif").exists()


def test_resamplepair_writes_the_output_and_returns_results(qgis_process, scene, tmp_path):
    output = tmp_path / "nearest.tif"
    completed = qgis_process(
        "--json",
        "run",
        "gociresample:resamplepair",
        "--",
        f"GOCI={scene.goci}",
        f"LANDSAT={scene.landsat}",
        "METHOD=1",
        "INVALID=1",
        "BANDS=490,660",
        f"OUTPUT={output}",
        check=True,
    )
    results = json.loads(completed.stdout)["results"]
    assert results["OUTPUT"] == str(output)
    with rasterio.open(output) as dataset:
        ours = dataset.read()
        assert dataset.descriptions == ("L_TOA_490", "L_TOA_660")
    assert results["VALID_FRACTION"] == np.isfinite(ours).all(axis=0).mean()
    reference = reference_resample(scene.goci, scene.landsat, [490, 660], "nearest", "propagate")
    assert_within_spec(ours, reference, "nearest")
    assert output.with_suffix(".json").is_file() and output.with_suffix(".qml").is_file()


def test_user_error_exits_non_zero_with_the_message_and_writes_nothing(
    qgis_process, scene, tmp_path
):
    output = tmp_path / "out.tif"
    completed = qgis_process(
        "run",
        "gociresample:resamplepair",
        "--",
        f"GOCI={scene.goci}",
        f"LANDSAT={scene.landsat}",
        "BANDS=443,999",
        f"OUTPUT={output}",
    )
    assert completed.returncode != 0
    assert "has no band L_TOA_999" in completed.stdout + completed.stderr
    assert list(tmp_path.iterdir()) == []


def test_batchresample_returns_the_counts_and_writes_the_report(qgis_process, batch_root, tmp_path):
    root, good = batch_root

    def batch(*extra):
        return qgis_process("--json", "run", "gociresample:batchresample", "--",
                            f"INPUT_ROOT={root}", f"OUTPUT_ROOT={tmp_path}", "METHOD=1", *extra,
                            check=True)  # fmt: skip

    completed = batch("WORKERS=2")
    results = json.loads(completed.stdout)["results"]
    assert (results["PROCESSED"], results["SKIPPED"], results["FAILED"], results["NO_PAIR"]) == (
        3,
        0,
        3,
        1,
    )
    assert results["REPORT"] == str(tmp_path / "batch_report.csv")
    assert sorted(p.parent.name for p in tmp_path.rglob("*.tif")) == sorted(good)
    again = batch()
    assert json.loads(again.stdout)["results"]["SKIPPED"] == 3


def test_shipped_model_chains_resamplepair_with_a_native_algorithm(qgis_process, scene, tmp_path):
    from conftest import REPO

    model = REPO / "resources" / "models" / "resample_pair_statistics.model3"
    completed = qgis_process(
        "--json",
        "run",
        str(model),
        "--",
        f"GOCI={scene.goci}",
        f"LANDSAT={scene.landsat}",
        "STATS_BAND=4",
        f"resample:RESAMPLED={tmp_path / 'resampled.tif'}",
        f"statistics:STATISTICS={tmp_path / 'statistics.html'}",
        check=True,
    )
    results = json.loads(completed.stdout)["results"]
    assert results["resample:RESAMPLED"] == str(tmp_path / "resampled.tif")
    with rasterio.open(tmp_path / "resampled.tif") as dataset:
        red = dataset.read(4)
    html = (tmp_path / "statistics.html").read_text()
    mean = float(html.split("Mean value: ")[1].split("<")[0])
    assert mean == pytest.approx(float(np.nanmean(red)), rel=1e-4)


@pytest.mark.parametrize("row", ["not-netcdf", "no-latitude", "lat-all-nan", "landsat-no-crs"])
def test_bad_inputs_exit_non_zero_with_the_message_of_the_table(qgis_process, scene, tmp_path, row):
    from bad_inputs import BAD_INPUTS, EXPECTED

    goci, landsat, options = BAD_INPUTS[row](tmp_path, scene)
    output = tmp_path / "out" / "o.tif"
    completed = qgis_process(
        "run",
        "gociresample:resamplepair",
        "--",
        f"GOCI={goci}",
        f"LANDSAT={landsat}",
        f"BANDS={','.join(str(w) for w in options.wavelengths)}",
        f"OUTPUT={output}",
    )
    assert completed.returncode != 0
    assert EXPECTED[row] in completed.stdout + completed.stderr
    assert "Traceback" not in completed.stdout + completed.stderr
    assert not output.exists()


def test_comparelandsat_writes_table_report_and_offset(qgis_process, goci1_scene, tmp_path):
    scene = goci1_scene
    import csv

    from goci_resample_plugin.core import resample_pair

    resampled = resample_pair(scene.goci, scene.landsat, tmp_path / "r.tif").output
    completed = qgis_process(
        "--json", "run", "gociresample:comparelandsat", "--", f"RESAMPLED={resampled}",
        f"LANDSAT={scene.landsat}", "BAND_PAIRS=555:3,660:4", "BLOCK=16",
        f"OUTPUT_TABLE={tmp_path / 't.csv'}", f"OUTPUT_REPORT={tmp_path / 'r.html'}",
        f"OUTPUT_DIFFERENCE={tmp_path / 'd.tif'}", check=True,
    )  # fmt: skip
    results = json.loads(completed.stdout)["results"]
    # 18 × 18 km: the offset is not measurable (its 95 % uncertainty is too wide): no number
    offsets = ("SHIFT_X_M", "SHIFT_Y_M", "SHIFT_EAST_M", "SHIFT_NORTH_M",
               "SHIFT_EAST_UNCERTAINTY_M", "SHIFT_NORTH_UNCERTAINTY_M")  # fmt: skip
    assert all(results[k] is None or math.isnan(results[k]) for k in offsets), results
    assert results["SHIFT_CONFIDENCE"] == 0.0
    rows = list(csv.DictReader((tmp_path / "t.csv").open()))
    assert [(r["goci_band"], r["scale"]) for r in rows] == [
        ("L_TOA_555", "30m"), ("L_TOA_555", "block16"), ("L_TOA_660", "30m"),
        ("L_TOA_660", "block16"),
    ]  # fmt: skip
    assert float(rows[1]["r2"]) > 0.99
    with rasterio.open(tmp_path / "d.tif") as difference:
        assert difference.descriptions == ("L_TOA_555-B3", "L_TOA_660-B4")
        relative = difference.read(2)
    assert np.nanmedian(np.abs(relative)) < 0.05
    report = (tmp_path / "r.html").read_text()
    assert report.count('src="data:image/png;base64,') == 2
    assert "offset is <b>not measurable</b> on L_TOA_660:B4: too uncertain" in report


def test_the_algorithms_speak_the_users_language(qgis_process, tmp_path):
    """A profile whose QGIS locale is zh_CN lists the algorithms in Chinese."""
    import shutil

    profile = tmp_path / "zh_profile"
    plugins = Path("profiles") / "default" / "python" / "plugins"
    shutil.copytree(qgis_process.profile / plugins, profile / plugins)
    settings = profile / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    settings.parent.mkdir(parents=True)
    settings.write_text("[locale]\nuserLocale=zh_CN\noverrideFlag=true\n", encoding="utf-8")
    profile.chmod(0o700)
    env = {"QGIS_CUSTOM_CONFIG_PATH": str(profile), "XDG_CONFIG_HOME": str(profile),
           "XDG_RUNTIME_DIR": str(profile)}  # fmt: skip
    qgis_process("plugins", "enable", "goci_resample_plugin", check=True, env=env)
    listing = json.loads(qgis_process("--json", "list", check=True, env=env).stdout)
    names = {
        algorithm_id: details["name"]
        for algorithm_id, details in listing["providers"]["gociresample"]["algorithms"].items()
    }
    assert names["gociresample:resamplepair"] == "单景：将 GOCI 重采样到 Landsat 网格"
    assert names["gociresample:batchresample"] == "文件夹（多景）：重采样每一对 GOCI/Landsat"
    assert names["gociresample:comparelandsat"] == "比较 Landsat 网格上的 GOCI 与 Landsat"


def test_valid_cover_only_through_qgis_process_matches_the_reference(
    qgis_process, goci2_scene, tmp_path
):
    output = tmp_path / "cover.tif"
    qgis_process("run", "gociresample:resamplepair", "--", f"GOCI={goci2_scene.goci}",
                 f"LANDSAT={goci2_scene.landsat}", "METHOD=0", "INVALID=2", "BANDS=555,660",
                 f"OUTPUT={output}", check=True)  # fmt: skip
    with rasterio.open(output) as dataset:
        ours = dataset.read()
        assert dataset.tags()["INVALID"] == "cover"
    reference = reference_resample(goci2_scene.goci, goci2_scene.landsat, [555, 660], "gauss",
                                   "cover")  # fmt: skip
    assert_within_spec(ours, reference, "gauss")


def test_cubic_with_quality_through_qgis_process_matches_the_reference(
    qgis_process, goci2_scene, tmp_path
):
    """METHOD 3 through ``qgis_process``: SPEC §3's interpolator on the user's land-masked
    data, and the quality raster says what entered each value."""
    from reference import reference_interpolate

    output, qa = tmp_path / "cubic.tif", tmp_path / "cubic_qa.tif"
    qgis_process("run", "gociresample:resamplepair", "--", f"GOCI={goci2_scene.goci}",
                 f"LANDSAT={goci2_scene.landsat}", "METHOD=3", "INVALID=0", "BANDS=660",
                 "RADIUS=300", "COMPRESSION=1", f"OUTPUT={output}", f"OUTPUT_QA={qa}",
                 check=True)  # fmt: skip
    with rasterio.open(output) as dataset, rasterio.open(qa) as quality:
        ours = dataset.read(1).astype(np.float64)
        assert dataset.tags()["METHOD"] == "cubic" and "RADIUS_M" not in dataset.tags()
        assert dataset.compression.name == quality.compression.name == "zstd"  # COMPRESSION=1
        count, distance, weight_sum = quality.read().astype(np.float64)
    pixels = np.random.default_rng(3).choice(ours.size, 20_000, replace=False)
    reference = reference_interpolate(goci2_scene.goci, goci2_scene.landsat, [660], "cubic",
                                      "skip", pixels)[0]  # fmt: skip
    got = ours.ravel()[pixels]
    assert (np.isnan(got) != np.isnan(reference)).sum() <= 2
    both = np.isfinite(got) & np.isfinite(reference)
    assert both.mean() > 0.2
    np.testing.assert_allclose(got[both], reference[both], rtol=1e-4)
    valid = np.isfinite(ours)
    assert ((count[valid] >= 1) & (count[valid] <= 16)).all()
    assert (count[valid] == 16).mean() > 0.6  # the whole 4 × 4 support, away from the mask
    assert np.allclose(weight_sum[valid & (count == 16)], 1.0, atol=1e-6)
    assert (distance[valid] <= 250 * 2**0.5).all()  # the nearest support pixel: in its cell
    assert (count[~valid] == 0).all() and np.isnan(distance[~valid]).all()


def test_batchresample_with_bilinear_names_every_output_after_the_method(
    qgis_process, batch_root, tmp_path
):
    root, good = batch_root
    qgis_process("run", "gociresample:batchresample", "--", f"INPUT_ROOT={root}",
                 f"OUTPUT_ROOT={tmp_path}", "METHOD=2", "INVALID=2", "COMPRESSION=1",
                 check=True)  # fmt: skip
    outputs = sorted(tmp_path.rglob("*.tif"))
    assert sorted(p.parent.name for p in outputs) == sorted(good)
    assert all(p.name.endswith("_BILINEAR.tif") for p in outputs)
    with rasterio.open(outputs[0]) as dataset:
        assert dataset.tags()["METHOD"] == "bilinear" and dataset.tags()["INVALID"] == "cover"
        assert dataset.compression.name == "zstd"


def test_matchups_through_qgis_process_write_every_file_and_count_the_passing(
    qgis_process, goci2_scene, tmp_path
):
    """gociresample:matchups on the user's land-masked data: the four files, MATCHUPS equal
    to the NetCDF's passing pixels in 660 nm, and a second run reuses them."""
    import netCDF4

    files = {"OUTPUT": tmp_path / "m.nc", "OUTPUT_POINTS": tmp_path / "m.gpkg",
             "OUTPUT_TABLE": tmp_path / "m.csv", "OUTPUT_REPORT": tmp_path / "m.html"}  # fmt: skip

    def run():
        completed = qgis_process("--json", "run", "gociresample:matchups", "--",
                                 f"GOCI={goci2_scene.goci}", f"LANDSAT={goci2_scene.landsat}",
                                 *(f"{k}={v}" for k, v in files.items()), check=True)  # fmt: skip
        return json.loads(completed.stdout)["results"], completed.stdout + completed.stderr

    results, _ = run()
    assert all(path.is_file() for path in files.values())
    with netCDF4.Dataset(files["OUTPUT"]) as dataset:
        passing = int(np.asarray(dataset["matchups/passes_660"][:]).sum())
    assert results["MATCHUPS"] == passing > 100
    _, log = run()
    assert "reused" in log
