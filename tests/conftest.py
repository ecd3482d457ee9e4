"""Shared fixtures: generated scene pairs and a packaged plugin in a throw-away QGIS profile."""

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "scripts"))

from sample_data import SceneSpec, goci2_spec, write_scene  # noqa: E402

QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/lib/qgis/qgis_process.bin"


@pytest.fixture(scope="session")
def scene(tmp_path_factory):
    """The default: a 600 × 600 pixel scene in the user's real format (GOCI-II 250 m subset,
    the clip step's 5 bands, NaN raw-invalid pixels inside the footprint, fill outside)."""
    return write_scene(tmp_path_factory.mktemp("scene"), goci2_spec(width=600, height=600, seed=1))


@pytest.fixture(scope="session")
def goci1_scene(tmp_path_factory):
    """The GOCI-I 500 m variant (new naming generation) with fill pixels and a footprint edge."""
    return write_scene(tmp_path_factory.mktemp("goci1"), SceneSpec(width=600, height=600, seed=1))


@pytest.fixture(scope="session")
def goci2_scene(tmp_path_factory):
    """The user's real format: a GOCI-II 250 m subset of all 12 bands after the land-mask
    step (``.nc.bak`` beside it) and its Landsat file, as the clip step writes them."""
    from sample_data import GOCI2_WAVELENGTHS_NM

    spec = goci2_spec(width=900, height=900, goci_wavelengths=GOCI2_WAVELENGTHS_NM,
                      land_masked=True, seed=5)  # fmt: skip
    return write_scene(tmp_path_factory.mktemp("goci2"), spec)


@pytest.fixture(scope="session")
def old_scene(tmp_path_factory):
    """An older-generation scene elsewhere (no overlap with ``scene``): rows/cols,
    mask/inside_footprint, int16 with scale_factor, and a rotated Landsat transform."""
    spec = SceneSpec(
        scene="LC08_L1TP_115034_20190505_20190520_01_T1",
        width=500,
        height=450,
        centre_lon=127.2,
        centre_lat=36.8,
        goci_generation="old",
        goci_dtype="int16",
        rotation_deg=10.0,
        seed=2,
    )
    return write_scene(tmp_path_factory.mktemp("old_scene"), spec)


@pytest.fixture(scope="session")
def batch_root(tmp_path_factory):
    """An input root with three good scenes, a folder with no pair, an ambiguous folder, a
    corrupt NetCDF and a pair that does not overlap. Returns (root, good scene names)."""
    root = tmp_path_factory.mktemp("batch") / "input"
    good = []
    for number in range(3):
        spec = goci2_spec(
            scene=f"LC08_L1TP_11803{number}_20210429_20210507_02_T1",
            width=220,
            height=200,
            centre_lat=31.0 + 0.3 * number,
            seed=10 + number,
        )
        good.append(write_scene(root, spec).scene_dir.name)
    lonely = write_scene(
        root, SceneSpec(scene="LC08_L1TP_116040_20200412_20200422_01_T1", width=50, height=50)
    )
    lonely.goci.unlink()
    ambiguous = write_scene(
        root, SceneSpec(scene="LC08_L1TP_116041_20200412_20200422_01_T1", width=50, height=50)
    )
    shutil.copy(ambiguous.goci, ambiguous.goci.with_name("COMS_GOCI_L1B_GA_2_subset_footprint.nc"))
    corrupt = write_scene(
        root, SceneSpec(scene="LC08_L1TP_116042_20200412_20200422_01_T1", width=50, height=50)
    )
    corrupt.goci.write_bytes(corrupt.goci.read_bytes()[:3000])
    apart = write_scene(
        root, SceneSpec(scene="LC08_L1TP_116043_20200412_20200422_01_T1", width=50, height=50)
    )
    elsewhere = write_scene(
        tmp_path_factory.mktemp("elsewhere"),
        SceneSpec(
            scene=apart.scene_dir.name, width=50, height=50, centre_lon=126.0, centre_lat=33.0
        ),
    )
    shutil.copy(elsewhere.goci, apart.goci)
    return root, good


def _load_packager():
    spec = importlib.util.spec_from_file_location("package", REPO / "scripts" / "package.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def qgis_process(tmp_path_factory):
    """Run ``qgis_process.bin`` in a fresh profile into which the ZIP that ``make package``
    builds was installed (unpacked into the profile's plugins folder, as *Install from ZIP*
    does) and enabled.

    Returns a function ``run(*args, check=False, env=None) -> subprocess.CompletedProcess``;
    ``env`` adds environment variables for that run.
    """
    import zipfile

    profile = tmp_path_factory.mktemp("profile")
    profile.chmod(0o700)
    archive = _load_packager().build_zip(tmp_path_factory.mktemp("dist") / "plugin.zip")
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(profile / "profiles" / "default" / "python" / "plugins")
    base_env = dict(os.environ)
    base_env.pop("QGIS_PLUGINPATH", None)
    base_env.update(
        QT_QPA_PLATFORM="offscreen",
        QGIS_CUSTOM_CONFIG_PATH=str(profile),
        XDG_CONFIG_HOME=str(profile),
        XDG_RUNTIME_DIR=str(profile),
    )

    def run(*args, check=False, env=None):
        """Run qgis_process.bin with ``args``; ``env`` adds variables (e.g. another profile)."""
        completed = subprocess.run(
            [QGIS_PROCESS, *args],
            env=base_env | (env or {}),
            capture_output=True,
            text=True,
            timeout=600,
        )
        if check and completed.returncode != 0:
            raise AssertionError(
                f"qgis_process {args} failed:\n{completed.stdout}\n{completed.stderr}"
            )
        return completed

    run("plugins", "enable", "goci_resample_plugin", check=True)
    run.profile, run.binary, run.env = profile, QGIS_PROCESS, base_env
    return run
