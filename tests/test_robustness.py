"""Faults for real: a full disk, a folder that cannot be made; nothing lost, nothing partial."""

import importlib
import subprocess
import sys

import numpy as np
import pytest
import rasterio
from bad_inputs import BAD_INPUTS, EXPECTED
from conftest import REPO
from rows import COVERED, covers

from goci_resample_plugin.core import (
    WARNING,
    GociResampleError,
    ResampleOptions,
    RunControl,
    resample_pair,
)

FULL_DISK = """
import resource, signal, sys
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core import GociResampleError, resample_pair
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
try:
    resample_pair({goci!r}, {landsat!r}, {output!r})
except GociResampleError as error:
    print("ERROR", error)
else:
    print("WRITTEN")
"""


@pytest.fixture(scope="module")
def good_output(scene, tmp_path_factory):
    output = tmp_path_factory.mktemp("good") / "GOCI_on_Landsat_x_GAUSS.tif"
    resample_pair(scene.goci, scene.landsat, output)
    return output


@covers("full-disk")
@pytest.mark.parametrize(
    "short_by", [100, 20_000, 400_000], ids=["at-close", "last-tiles", "mid-write"]
)
def test_full_disk_fails_clearly_and_keeps_the_previous_output(
    scene, good_output, tmp_path, short_by
):
    """RLIMIT_FSIZE makes every file larger than the limit fail to grow, as a full disk does."""
    target = tmp_path / good_output.name
    for suffix in (".tif", ".json", ".qml"):
        target.with_suffix(suffix).write_bytes(good_output.with_suffix(suffix).read_bytes())
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    limit = good_output.stat().st_size - short_by
    code = FULL_DISK.format(
        repo=str(REPO),
        limit=limit,
        goci=str(scene.goci),
        landsat=str(scene.landsat),
        output=str(target),
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("ERROR"), completed.stdout
    assert "Check the free space" in completed.stdout and str(target) in completed.stdout
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@covers("folder-cannot-be-made")
def test_output_folder_that_cannot_be_made_is_a_clear_error(scene, tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(GociResampleError) as raised:
        resample_pair(
            scene.goci,
            scene.landsat,
            blocker / "out" / "o.tif",
            ResampleOptions(wavelengths=(443,)),
        )
    assert "Cannot create the output folder" in str(raised.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not_a_folder"]


@covers(*BAD_INPUTS)
@pytest.mark.parametrize("row", sorted(BAD_INPUTS))
def test_bad_input_fails_with_the_message_of_the_table(scene, tmp_path, row):
    goci, landsat, options = BAD_INPUTS[row](tmp_path, scene)
    output = tmp_path / "out" / "o.tif"
    with pytest.raises(GociResampleError) as raised:
        resample_pair(goci, landsat, output, options)
    message = str(raised.value)
    assert EXPECTED[row] in message
    assert any(str(p) in message for p in (goci, landsat)), "the message names the file"
    assert not output.exists()


@covers("landsat-geographic", "landsat-rotated")
@pytest.mark.parametrize(
    ("row", "change"),
    [
        ("landsat-geographic", dict(crs="EPSG:4326")),
        ("landsat-rotated", dict()),
    ],
)
def test_unusual_but_valid_landsat_grids_work(scene, old_scene, tmp_path, row, change):
    """A geographic target grid and a rotated geotransform are resampled, not refused."""
    from types import SimpleNamespace

    from reference import assert_within_spec, reference_resample

    if row == "landsat-geographic":
        from rasterio.warp import calculate_default_transform

        with rasterio.open(scene.landsat) as src:
            transform, width, height = calculate_default_transform(
                src.crs, "EPSG:4326", src.width, src.height, *src.bounds
            )
        landsat = tmp_path / "geo_TOA_RAD_B1.tif"
        with rasterio.open(
            landsat,
            "w",
            driver="GTiff",
            width=width,
            height=height,
            count=1,
            dtype="float32",
            crs="EPSG:4326",
            transform=transform,
        ) as dst:
            dst.write(np.ones((1, height, width), "float32"))
        pair = SimpleNamespace(goci=scene.goci, landsat=landsat)
    else:
        pair = old_scene
    result = resample_pair(
        pair.goci, pair.landsat, tmp_path / "o.tif", ResampleOptions(wavelengths=(660,))
    )
    with rasterio.open(result.output) as dataset:
        ours = dataset.read()
    reference = reference_resample(pair.goci, pair.landsat, [660])
    assert_within_spec(ours, reference, "gauss")


@covers("radius-not-positive", "sigma-not-positive", "neighbours-below-one")
@pytest.mark.parametrize(
    ("row", "options", "fragment"),
    [
        ("radius-not-positive", dict(radius_m=0.0), "RADIUS must be a positive distance"),
        ("sigma-not-positive", dict(sigma_m=-1.0), "SIGMA must be a positive distance"),
        ("neighbours-below-one", dict(neighbours=0), "NEIGHBOURS must be a whole number ≥ 1"),
    ],
)
def test_bad_parameters_are_refused_with_the_message_of_the_table(row, options, fragment):
    with pytest.raises(GociResampleError) as raised:
        ResampleOptions(**options)
    assert fragment in str(raised.value)


def test_docs_table_lists_every_row_the_tests_run():
    table = (REPO / "docs" / "robustness.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip().strip("`")
        for line in table.splitlines()
        if line.startswith("| `")
    }
    for module in (
        "test_robustness",
        "test_outputs",
        "test_batch",
        "test_fuzz_goci",
        "test_nothing_lost",
        "test_nothing_lost_3",
        "test_cluster",
        "test_precompile",
        "test_matchups",
        "test_processing_in_qgis",
    ):
        importlib.import_module(module)  # their @covers marks record the rows they test
    assert rows == COVERED


def _sparse_grid_like(landsat, path, width):
    """A real GeoTIFF on ``landsat``'s grid origin, ``width`` × 8 pixels, written sparse (no
    pixel stored), so it is small on disk but describes a huge grid."""
    with rasterio.open(landsat) as src:
        profile = src.profile | {"width": width, "height": 8, "tiled": True, "blockxsize": 256,
                                 "blockysize": 256, "sparse_ok": True}  # fmt: skip
    with rasterio.open(path, "w", **profile):
        pass
    return path


@covers("grid-too-large")
def test_a_grid_too_large_for_the_memory_stops_before_any_work(goci1_scene, tmp_path):
    """20 000 000 × 8 pixels: one strip alone needs ~100 GB."""
    scene = goci1_scene
    huge = _sparse_grid_like(scene.landsat, tmp_path / "huge_TOA_RAD_B1-2-3-4-5.tif", 20_000_000)
    with pytest.raises(GociResampleError) as raised:
        resample_pair(scene.goci, huge, tmp_path / "o.tif")
    message = str(raised.value)
    assert "of memory but only" in message and "GB are available" in message
    assert huge.name in message
    assert sorted(p.name for p in tmp_path.iterdir()) == [huge.name]


@covers("workers-beyond-memory")
def test_batch_runs_no_more_workers_than_the_memory_holds(batch_root, tmp_path):
    from goci_resample_plugin.core import run_batch

    root, good = batch_root
    lines = []
    huge = tmp_path / "input"
    for scene in (root / name for name in good[:2]):
        (huge / scene.name).mkdir(parents=True)
        for source in scene.iterdir():
            (huge / scene.name / source.name).symlink_to(source)
    # A grid 20 000 000 pixels wide in a third folder: more than any machine holds.
    [landsat] = (huge / scene.name).glob("*_TOA_RAD_B*.tif")
    wide = huge / "LC08_wide"
    wide.mkdir()
    _sparse_grid_like(landsat, wide / "wide_TOA_RAD_B1.tif", 20_000_000)
    [goci] = (huge / scene.name).glob("*_subset_footprint.nc")
    (wide / goci.name).symlink_to(goci.resolve())
    batch = run_batch(
        huge,
        tmp_path / "output",
        ResampleOptions(method="nearest"),
        workers=3,
        control=RunControl(log=lambda level, text: lines.append((level, text))),
    )
    reduced = [text for level, text in lines if text.startswith("WORKERS reduced from 3 to")]
    assert [level for level, text in lines if text.startswith("WORKERS reduced")] == [WARNING]
    assert len(reduced) == 1
    assert batch.counts() == {"ok": 2, "skipped": 0, "failed": 1, "no-pair": 0, "not-run": 0}
    [failed] = [r for r in batch.scenes if r.status == "failed"]
    assert "of memory but only" in failed.message
