"""resample_pair agrees with the pyresample reference of SPEC §3 (both methods, both policies)."""

import numpy as np
import pytest
import rasterio
from reference import agreement, reference_resample

from goci_resample_plugin.core import ResampleOptions, resample_pair

CASES = [(m, p) for m in ("gauss", "nearest") for p in ("skip", "propagate")]


def _resample_and_compare(pair, tmp_path, method, invalid, **parameters):
    options = ResampleOptions(method=method, invalid=invalid, **parameters)
    result = resample_pair(pair.goci, pair.landsat, tmp_path / "out.tif", options)
    with rasterio.open(result.output) as dataset:
        ours = dataset.read()
    wavelengths = [band["wavelength_nm"] for band in result.bands]
    reference = reference_resample(
        pair.goci, pair.landsat, wavelengths, method, invalid,
        radius=options.radius_m, sigma=options.sigma_m, neighbours=options.neighbours,
    )
    return ours, reference


def _assert_within_spec(ours, reference, method):
    relative, mismatch, same = agreement(ours, reference)
    assert np.isfinite(reference).mean() > 0.3, "the test scene must overlap"
    assert mismatch <= 1e-5, f"NaN pattern differs on {mismatch:.2e} of pixels"
    if method == "gauss":
        assert relative <= 1e-6, f"max relative difference {relative:.2e}"
    else:
        assert same >= 0.99999, f"nearest identical on only {same:.6%}"


@pytest.mark.parametrize(("method", "invalid"), CASES)
def test_new_generation_scene_matches_reference(scene, tmp_path, method, invalid):
    ours, reference = _resample_and_compare(scene, tmp_path, method, invalid)
    _assert_within_spec(ours, reference, method)


@pytest.mark.parametrize(("method", "invalid"), CASES)
def test_old_generation_rotated_int16_scene_matches_reference(old_scene, tmp_path, method, invalid):
    ours, reference = _resample_and_compare(old_scene, tmp_path, method, invalid)
    _assert_within_spec(ours, reference, method)


def test_more_sources_in_radius_than_neighbours_keeps_the_nearest(scene, tmp_path):
    # 2 km radius holds ~50 GOCI pixels: the k-nearest cut must choose the same 6 as pyresample.
    ours, reference = _resample_and_compare(
        scene, tmp_path, "gauss", "skip", radius_m=2000.0, sigma_m=900.0, neighbours=6,
    )
    _assert_within_spec(ours, reference, "gauss")


def test_propagate_leaves_holes_that_skip_fills(scene, tmp_path):
    skip = resample_pair(scene.goci, scene.landsat, tmp_path / "skip.tif",
                         ResampleOptions(invalid="skip"))
    propagate = resample_pair(scene.goci, scene.landsat, tmp_path / "propagate.tif",
                              ResampleOptions(invalid="propagate"))
    assert propagate.bands[0]["valid_fraction"] < skip.bands[0]["valid_fraction"]
