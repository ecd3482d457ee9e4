"""The real QGIS desktop under Xvfb, with the packaged plugin enabled in a fresh profile:
driven by tests/desktop_drive.py as a user would (few steps, each checked here)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO

XVFB_RUN = shutil.which("xvfb-run")


@pytest.fixture(scope="module")
def desktop(qgis_process, scene, tmp_path_factory):
    """Run QGIS once through every step; return (answer, folder)."""
    folder = tmp_path_factory.mktemp("desktop")
    task = {
        "goci": str(scene.goci),
        "landsat": str(scene.landsat),
        "output": str(folder / "GOCI_on_Landsat_desktop_GAUSS.tif"),
        "table": str(folder / "t.csv"),
        "report": str(folder / "r.html"),
        "difference": str(folder / "d.tif"),
        "matchups": str(folder / "Landsat_on_GOCI_desktop.nc"),
        "batch_outputs": [str(folder / "row1.tif"), str(folder / "row2.tif")],
        "model": str(REPO / "resources" / "models" / "resample_pair_statistics.model3"),
        "folder": str(folder),
        "answer": str(folder / "answer.json"),
    }
    (folder / "task.json").write_text(json.dumps(task))
    env = dict(qgis_process.env, GOCI_DESKTOP_TASK=str(folder / "task.json"))
    env.pop("QT_QPA_PLATFORM", None)  # a real X display (Xvfb), not offscreen
    command = [XVFB_RUN, "-a", "-s", "-screen 0 1600x1000x24", "qgis", "--noversioncheck",
               "--nologo", "--profiles-path", str(qgis_process.profile), "--code",
               str(REPO / "tests" / "desktop_drive.py")]  # fmt: skip
    completed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    answer_path = folder / "answer.json"
    assert answer_path.is_file(), f"QGIS ended without an answer:\n{completed.stderr[-3000:]}"
    answer = json.loads(answer_path.read_text())
    assert "error" not in answer, answer["error"]
    if os.environ.get("GOCI_DOCS_IMG"):  # make docs: the user guide's picture of the desktop
        shutil.copy(folder / "window.png", Path(os.environ["GOCI_DOCS_IMG"]) / "desktop_map.png")
        shutil.copy(folder / "matchups.png", Path(os.environ["GOCI_DOCS_IMG"]) / "matchups_map.png")
    return answer, folder


def test_the_dialog_run_loads_result_and_landsat_in_the_scene_group(desktop, scene):
    answer, _ = desktop
    scene_name = scene.scene_dir.name
    tree = answer["after_dialog"]
    assert list(tree["groups"]) == [scene_name] and not tree["top_level_layers"]
    goci, landsat = tree["groups"][scene_name]
    assert goci["name"] == f"GOCI GAUSS {scene_name}" and landsat["name"] == f"Landsat {scene_name}"
    assert goci["bands"] == landsat["bands"] == [4, 3, 2]
    assert goci["red_limits"] == landsat["red_limits"]  # the same stretch on both


def test_the_canvas_shows_the_layers(desktop):
    from qgis.PyQt.QtGui import QImage

    answer, _ = desktop
    image = QImage(answer["canvas"]).convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    bits = np.frombuffer(image.constBits().asstring(image.sizeInBytes()), dtype=np.uint8)
    pixels = bits.reshape(height, image.bytesPerLine())[:, : width * 3].reshape(height, width, 3)
    drawn = (pixels != 255).any(axis=2)  # the canvas background is white
    assert drawn.mean() > 0.3 and pixels[drawn].std() > 10


def test_the_example_model_is_valid_in_the_model_designer(desktop):
    answer, _ = desktop
    assert answer["model"] == {"valid": True, "issues": []}


def test_the_difference_raster_joins_the_scene_group(desktop, scene):
    answer, _ = desktop
    scene_name = scene.scene_dir.name
    names = [layer["name"] for layer in answer["after_compare"]["groups"][scene_name]]
    assert names[0] == f"GOCI − Landsat {scene_name}"
    assert answer["after_compare"]["groups"][scene_name][0]["renderer"] == "singlebandpseudocolor"
    assert answer["steps"][:4] == ["dialog-run", "canvas", "model", "compare"]


def test_the_batch_panel_runs_each_row_to_its_own_output(desktop):
    import rasterio

    answer, folder = desktop
    assert answer["batch_rows"] == 2 and answer["steps"][-1] == "batch"
    for name in ("row1.tif", "row2.tif"):
        with rasterio.open(folder / name) as dataset:
            assert dataset.tags()["METHOD"] == "nearest" and dataset.count == 5


def test_the_matchup_points_load_in_the_scene_group_coloured_by_the_red_ratio(desktop, scene):
    """Match-ups in the desktop: the points join the scene's group, every point there, coloured
    by the GOCI/Landsat ratio at 660 nm in classes around 1."""
    answer, folder = desktop
    assert answer["matchups"] > 100
    [points] = [layer for layer in answer["after_matchups"]["groups"][scene.scene_dir.name]
                if layer["name"].startswith("Match-ups")]  # fmt: skip
    assert points["renderer"] == "graduatedSymbol" and points["attribute"] == "ratio_660"
    lows = [low for low, _ in points["ranges"]]
    assert lows == sorted(lows) and any(low < 1 < high for low, high in points["ranges"])
    assert points["features"] > answer["matchups"]
    assert (folder / "matchups.png").stat().st_size > 10_000
