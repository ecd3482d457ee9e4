"""Property test: mutated GOCI subsets either resample to a valid output or raise the project's
own error with a message, never another exception, a crash or a hang."""

import numpy as np
import pytest
import rasterio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from netcdf_files import load, save
from rows import covers
from sample_data import SceneSpec, write_scene

from goci_resample_plugin.core import GociResampleError, ResampleOptions, resample_pair


@pytest.fixture(scope="module")
def small_pair(tmp_path_factory):
    return write_scene(tmp_path_factory.mktemp("fuzz"), SceneSpec(width=90, height=80, seed=3))


VARIABLES = [
    ("/navigation_data", "latitude"),
    ("/navigation_data", "longitude"),
    ("/geophysical_data", "L_TOA_443"),
    ("/geophysical_data", "L_TOA_660"),
    ("/mask", "inside_mask"),
]


def _mutate(content, operation, where, amount):
    group, name = VARIABLES[where % len(VARIABLES)]
    entry = content[group][name]
    data = np.array(entry[3])
    if operation == "drop":
        del content[group][name]
    elif operation == "rename":
        content[group][name.upper() + "_X"] = content[group].pop(name)
    elif operation == "drop-group":
        content.pop(group)
    elif operation == "reshape":
        entry[3] = data[: max(1, int(data.shape[0] * amount))]
    elif operation == "transpose":
        entry[3] = data.T
    elif operation == "to-int8":
        entry[3] = data.astype(np.int8)
    elif operation == "to-string-attribute":
        entry[2]["scale_factor"] = "0.01"
    elif operation == "fill-of-another-type":
        entry[2]["_FillValue"] = np.int64(-32768) if data.dtype.kind == "f" else -999.5
    elif operation == "reverse-valid-range":
        entry[2]["valid_range"] = np.array([1e6, -1e6])
    elif operation == "inject":
        flat = data.astype(np.float64).ravel()
        count = int(flat.size * amount)
        flat[:count] = [np.nan, np.inf, -np.inf, -999.0, 1e38][count % 5]
        entry[3] = flat.reshape(data.shape).astype(data.dtype if data.dtype.kind == "f" else "f8")
    elif operation == "all-fill":
        entry[3] = np.full(data.shape, -999.0, dtype=np.float32)
        entry[2]["_FillValue"] = np.float32(-999.0)


OPERATIONS = [
    "drop",
    "rename",
    "drop-group",
    "reshape",
    "transpose",
    "to-int8",
    "to-string-attribute",
    "fill-of-another-type",
    "reverse-valid-range",
    "inject",
    "all-fill",
    "truncate",
    "empty",
]


@covers("malformed-any")
@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    operations=st.lists(
        st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 9), st.floats(0.05, 0.95)),
        min_size=1,
        max_size=3,
    )
)
def test_mutated_goci_file_gives_output_or_a_clear_error(small_pair, tmp_path_factory, operations):
    folder = tmp_path_factory.mktemp("case")
    mutated = folder / "M_subset_footprint.nc"
    content = load(small_pair.goci)
    cut = None
    for operation, where, amount in operations:
        if operation in ("truncate", "empty"):
            cut = 0 if operation == "empty" else amount
            continue
        try:
            _mutate(content, operation, where, amount)
        except KeyError:  # the variable was already dropped or renamed
            continue
    save(content, mutated)
    if cut is not None:
        data = mutated.read_bytes()
        mutated.write_bytes(data[: int(len(data) * cut)])
    output = folder / "out.tif"
    try:
        result = resample_pair(
            mutated, small_pair.landsat, output, ResampleOptions(method="nearest")
        )
    except GociResampleError as error:
        message = str(error)
    else:
        message = None
    if message is not None:
        assert message.strip(), "an error needs a message"
        assert not output.exists()
        return
    with rasterio.open(result.output) as dataset:
        assert dataset.count >= 1 and np.isfinite(dataset.read()).any()
