"""The grid engine gives the KD-tree (reference) engine's results on varied geometry, says
which engine ran, and falls back when it cannot be trusted."""

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest
import rasterio
from conftest import REPO
from netcdf_files import edited_copy, rewritten
from reference import assert_within_spec
from sample_data import SceneSpec, write_scene

from goci_resample_plugin.core import (
    ResampleOptions,
    RunControl,
    read_goci_subset,
    resample_pair,
)

CASES = [(m, p) for m in ("gauss", "nearest") for p in ("skip", "propagate", "cover")]


def _run(pair, path, engine, **options):
    result = resample_pair(pair.goci, pair.landsat, path, ResampleOptions(**options), engine=engine)
    with rasterio.open(path) as dataset:
        return result, dataset.read(), dataset.tags()


def _assert_same(tmp_path, pair, **options):
    grid_result, fast, tags = _run(pair, tmp_path / "grid.tif", "grid", **options)
    _, reference, _ = _run(pair, tmp_path / "kdtree.tif", "kdtree", **options)
    assert grid_result.engine == "grid" and tags["ENGINE"] == "grid"
    assert_within_spec(fast, reference.astype(np.float64), options.get("method", "gauss"), 0.2)


@pytest.mark.parametrize(("method", "invalid"), CASES)
def test_rotated_landsat_transform(old_scene, tmp_path, method, invalid):
    _assert_same(tmp_path, old_scene, method=method, invalid=invalid)


@pytest.mark.parametrize(("method", "invalid"), CASES)
def test_fill_clusters_and_footprint_edge(scene, tmp_path, method, invalid):
    _assert_same(tmp_path, scene, method=method, invalid=invalid)


@pytest.mark.parametrize("invalid", ["skip", "propagate"])
def test_more_sources_within_radius_than_neighbours(scene, tmp_path, invalid):
    _assert_same(
        tmp_path,
        scene,
        method="gauss",
        invalid=invalid,
        radius_m=2000.0,
        sigma_m=900.0,
        neighbours=6,
    )


def _crop_goci(source, target, rows):
    """Copy a GOCI subset keeping only the first ``rows`` rows (a Landsat grid then reaches
    past the GOCI grid's edge)."""

    def crop(content):
        for variables in content.values():
            for entry in variables.values():
                entry[3] = entry[3][:rows]

    return rewritten(source, target, crop)


@pytest.mark.parametrize(("method", "invalid"), CASES)
def test_landsat_grid_past_the_goci_grid_edge(scene, tmp_path, method, invalid):
    from types import SimpleNamespace

    rows = read_goci_subset(scene.goci, (443,)).shape[0] // 2
    cropped = _crop_goci(scene.goci, tmp_path / "G_subset_footprint.nc", rows)
    pair = SimpleNamespace(goci=cropped, landsat=scene.landsat)
    _assert_same(tmp_path, pair, method=method, invalid=invalid)


def test_steeply_rotated_grid_int16_with_many_fill_pixels(tmp_path):
    spec = SceneSpec(
        width=300,
        height=280,
        centre_lon=131.0,
        centre_lat=37.5,
        rotation_deg=-25,
        goci_generation="old",
        goci_dtype="int16",
        fill_fraction=0.05,
        seed=4,
    )
    _assert_same(tmp_path, write_scene(tmp_path, spec), method="gauss", invalid="skip")


@pytest.mark.parametrize(("engine", "method"), [("grid", "gauss"), ("grid", "cubic"),
                                               ("kdtree", "nearest")])  # fmt: skip
def test_many_strips_of_many_blocks_give_the_same_product(scene, tmp_path, monkeypatch, engine,
                                                          method):  # fmt: skip
    """The strips' arrays are reused in turn while the writer writes: a wide scene (several
    blocks of rows per strip) and a tall one (many strips) must give the very values and
    quality of a scene written in one block per strip."""
    from goci_resample_plugin.core import pair
    from goci_resample_plugin.core.resample import engines

    def product(name):
        raster, quality = tmp_path / f"{name}.tif", tmp_path / f"{name}_qa.tif"
        resample_pair(scene.goci, scene.landsat, raster, ResampleOptions(method=method),
                      engine=engine, quality_output=quality)  # fmt: skip
        with rasterio.open(raster) as values, rasterio.open(quality) as qa:
            return values.read(), qa.read()

    values, quality = product("whole")
    monkeypatch.setattr(pair, "STRIP_ROWS", 64)  # 600 rows: 9 strips of 64 and one of 24
    monkeypatch.setattr(engines, "BLOCK_BUDGET_BYTES", 600 * 200 * 10)  # about 10 rows a block
    many_values, many_quality = product("many")
    assert np.isfinite(values).mean() > 0.3
    np.testing.assert_array_equal(many_values, values)
    np.testing.assert_array_equal(many_quality, quality)


def test_the_background_compile_is_the_variant_the_engine_runs(scene, tmp_path):
    """A first run compiles the kernel in the background on tiny arrays; their types must be
    those ``resample_rows`` passes, or every first run compiles a second variant."""
    from goci_resample_plugin.core.resample import grid_kernel
    from goci_resample_plugin.core.resample.grid_engine import _tiny_call

    _tiny_call(grid_kernel.resample_strip, 5)
    result, _, _ = _run(scene, tmp_path / "o.tif", "grid", invalid="cover")
    assert result.engine == "grid"
    assert len(grid_kernel.resample_strip.signatures) == 1


def test_scrambled_geolocation_falls_back_to_the_reference_engine(scene, tmp_path):
    """A grid whose rows are shuffled is not smooth: the grid engine must not be trusted."""

    def scramble(dataset):
        order = np.random.default_rng(0).permutation(len(dataset["navigation_data/latitude"]))
        for name in ("navigation_data/latitude", "navigation_data/longitude",
                     "geophysical_data/L_TOA_443"):  # fmt: skip
            dataset[name][:] = dataset[name][:][order]

    goci = edited_copy(scene.goci, tmp_path / "S_subset_footprint.nc", scramble)
    lines = []
    result = resample_pair(
        goci,
        scene.landsat,
        tmp_path / "out.tif",
        ResampleOptions(wavelengths=(443,)),
        RunControl(log=lambda level, text: lines.append(text)),
    )
    assert result.engine == "kdtree"
    assert any("KD-tree engine" in line for line in lines)


HIDDEN_NUMBA = """
import sys, json
sys.modules["numba"] = None  # as on a QGIS without numba
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core import RunControl, resample_pair
lines = []
control = RunControl(log=lambda level, text: lines.append(text))
result = resample_pair({goci!r}, {landsat!r}, {output!r}, control=control)
print(json.dumps({{"engine": result.engine, "log": lines}}))
"""


def test_without_numba_the_reference_engine_runs_and_says_so(scene, tmp_path):
    output = tmp_path / "out.tif"
    code = HIDDEN_NUMBA.format(
        repo=str(REPO), goci=str(scene.goci), landsat=str(scene.landsat), output=str(output)
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    answer = json.loads(completed.stdout.splitlines()[-1])
    assert answer["engine"] == "kdtree"
    assert any("numba is not available" in line for line in answer["log"])
    sidecar = json.loads(output.with_suffix(".json").read_text())
    assert sidecar["engine"] == "kdtree"
    with rasterio.open(output) as dataset:
        assert dataset.tags()["ENGINE"] == "kdtree"


FRESH_INSTALL = """
import json, sys
sys.path.insert(0, {plugins!r})
from goci_resample_plugin.core import ResampleOptions, RunControl, resample_pair
lines = []
control = RunControl(log=lambda level, text: lines.append(text))
result = resample_pair({goci!r}, {landsat!r}, {output!r}, ResampleOptions(wavelengths=(660,)),
                       control, overwrite=True)
print(json.dumps({{"engine": result.engine, "log": lines}}))
"""


def test_a_fresh_installation_says_once_that_the_fast_engine_is_prepared(scene, tmp_path):
    """A copy of the plugin without numba's cache, as after installing the ZIP: the first run
    says why it takes longer, the second does not; numba's deprecation warnings stay out."""
    import shutil

    plugins = tmp_path / "plugins"
    shutil.copytree(REPO / "goci_resample_plugin", plugins / "goci_resample_plugin",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    shutil.copy(REPO / "metadata.txt", plugins / "goci_resample_plugin" / "metadata.txt")
    shutil.copytree(REPO / "resources", plugins / "goci_resample_plugin" / "resources")
    paths = dict(goci=str(scene.goci), landsat=str(scene.landsat), output=str(tmp_path / "o.tif"))
    code = FRESH_INSTALL.format(plugins=str(plugins), **paths)
    said = []
    for _ in range(2):
        completed = subprocess.run([sys.executable, "-W", "always::DeprecationWarning", "-c",
                                    code], capture_output=True, text=True, check=True)  # fmt: skip
        answer = json.loads(completed.stdout.splitlines()[-1])
        assert answer["engine"] == "grid"
        assert "DeprecationWarning" not in completed.stderr
        said.append(any("Preparing the fast engine" in line for line in answer["log"]))
    assert said == [True, False]


def test_the_log_says_how_far_the_gaussian_reaches_on_250_m_pixels(
    goci1_scene, goci2_scene, tmp_path
):
    from goci_resample_plugin.core.resample import checks

    checks._TOLD.clear()  # a new session: the note is said once per session
    notes = {}
    for name, pair in (("500m", goci1_scene), ("250m", goci2_scene)):
        lines = []
        control = RunControl(log=lambda level, text, lines=lines: lines.append(text))
        options = ResampleOptions(wavelengths=(660,))
        resample_pair(pair.goci, pair.landsat, tmp_path / f"{name}.tif", options, control)
        notes[name] = [line for line in lines if "so the weights reach" in line]
    assert not notes["500m"]  # about 8 pixels within 800 m: NEIGHBOURS 16 takes them all
    [note] = notes["250m"]
    assert "NEIGHBOURS 16 keeps the nearest" in note
    assert re.search(r"\((24\d|25\d) m apart\)", note) and "set NEIGHBOURS 32" in note


FIRST_RUN = """
import json, sys, time
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core import ResampleOptions, RunControl, resample_pair
seen, lines = [], []
control = RunControl(progress=lambda f: seen.append((time.perf_counter(), f)),
                     log=lambda level, text: lines.append(text))
resample_pair({goci!r}, {landsat!r}, {output!r}, ResampleOptions(wavelengths=(660,)), control)
print(json.dumps({{"seen": seen, "log": lines}}))
"""


def test_the_first_run_shows_progress_while_the_kernel_compiles(scene, tmp_path):
    """The first run after installing sat at 0 % for most of the run, then jumped: the compile
    now moves the bar (its share of it) and stays cancellable."""
    code = FIRST_RUN.format(repo=str(REPO), goci=str(scene.goci), landsat=str(scene.landsat),
                            output=str(tmp_path / "o.tif"))  # fmt: skip
    env = os.environ | {"NUMBA_CACHE_DIR": str(tmp_path / "numba")}  # an empty cache
    completed = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                               text=True, timeout=300, check=True)  # fmt: skip
    answer = json.loads(completed.stdout.splitlines()[-1])
    assert any("Fast engine compiled" in line for line in answer["log"])
    compiling = [(t, f) for t, f in answer["seen"] if 0 < f < 0.3]
    assert len(compiling) >= 3  # the bar moves while the kernel compiles
    gaps = [b[0] - a[0] for a, b in zip(answer["seen"], answer["seen"][1:])]
    assert max(gaps) < 2.0, max(gaps)  # never a long silence
    fractions = [f for _, f in answer["seen"]]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
