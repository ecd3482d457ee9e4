"""Faults for real: a full disk, a folder that cannot be made; nothing lost, nothing partial."""

import subprocess
import sys

import pytest
from conftest import REPO

from goci_resample_plugin.core import GociResampleError, ResampleOptions, resample_pair

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


@pytest.mark.parametrize("short_by", [100, 20_000, 400_000], ids=["at-close", "last-tiles",
                                                                  "mid-write"])
def test_full_disk_fails_clearly_and_keeps_the_previous_output(scene, good_output, tmp_path,
                                                               short_by):
    """RLIMIT_FSIZE makes every file larger than the limit fail to grow, as a full disk does."""
    target = tmp_path / good_output.name
    for suffix in (".tif", ".json", ".qml"):
        target.with_suffix(suffix).write_bytes(good_output.with_suffix(suffix).read_bytes())
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    limit = good_output.stat().st_size - short_by
    code = FULL_DISK.format(repo=str(REPO), limit=limit, goci=str(scene.goci),
                            landsat=str(scene.landsat), output=str(target))
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("ERROR"), completed.stdout
    assert "Check the free space" in completed.stdout and str(target) in completed.stdout
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_output_folder_that_cannot_be_made_is_a_clear_error(scene, tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(GociResampleError) as raised:
        resample_pair(scene.goci, scene.landsat, blocker / "out" / "o.tif",
                      ResampleOptions(wavelengths=(443,)))
    assert "Cannot create the output folder" in str(raised.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not_a_folder"]
