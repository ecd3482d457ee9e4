"""One scene of a batch: resample its pair (or find it up to date), optionally compare it with
Landsat, and turn whatever goes wrong into the scene's report row."""

import math
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..control import RunControl
from ..errors import GociResampleError, ResampleCancelled
from ..options import ProductRequest
from ..write import comparison_paths, output_name

OK, SKIPPED, FAILED, NO_PAIR, NOT_RUN = "ok", "skipped", "failed", "no-pair", "not-run"
STATUSES = (OK, SKIPPED, FAILED, NO_PAIR, NOT_RUN)
"""``not-run``: the batch was cancelled before it reached the scene."""


@dataclass(frozen=True)
class SceneResult:
    """What happened to one scene folder.

    Attributes:
        scene: the folder name.
        status: ``ok``, ``skipped``, ``failed``, ``no-pair`` or ``not-run``.
        message: what was done or what was wrong (names the file and the fix).
        seconds: wall time spent on the scene.
        output: the output GeoTIFF (``None`` when there is none).
        valid_fraction: fraction of the grid valid in every band (``None`` when unknown).
        landsat: the scene's Landsat file, when there is an output (to show them together).
        figures: key figures of the comparison with Landsat when asked for (report columns
            ``COMPARE_COLUMNS``).
    """

    scene: str
    status: str
    message: str = ""
    seconds: float = 0.0
    output: Path = None
    valid_fraction: float = None
    landsat: Path = None
    figures: dict = field(default_factory=dict)


def process_scene(scene, output_root, options, request=None, control=None):
    """Resample one ``SceneFolder`` into ``output_root/<scene>/`` as ``request`` (a
    ``ProductRequest``: overwrite, ``.npy``, quality ``<stem>_QA.tif``, REGISTER, compare) asks,
    and return its :class:`SceneResult`; never raises for a bad scene (its problem becomes the
    message).

    An output already complete for this run is reused (``skipped``) unless
    ``request.overwrite``; a stale one is redone. With ``request.compare`` the output is also
    compared with Landsat (``<stem>_comparison.csv``/``.html`` next to it, key figures in the
    result).

    Raises:
        ResampleCancelled: the control asked to stop; nothing partial is left.
    """
    started = time.perf_counter()
    request = request or ProductRequest()
    control = control or RunControl()
    if scene.problem:
        return SceneResult(scene.name, FAILED if scene.ambiguous else NO_PAIR, scene.problem)

    def failed(message):
        return SceneResult(scene.name, FAILED, message, time.perf_counter() - started)

    try:
        from ..compare import make_product

        output = Path(output_root) / scene.name / output_name(scene.goci, options)
        result, registration = make_product(scene.goci, scene.landsat, output, options, request,
                                             control)  # fmt: skip
        figures = _register_figures(registration) if registration else {}
    except ResampleCancelled:
        raise
    except Exception as error:  # one bad scene never stops the batch
        return failed(_problem(error, scene, control))
    if result.reused:
        status, message = SKIPPED, "output already complete; set OVERWRITE to redo it"
    else:
        status, message = OK, f"{result.valid_fraction:.1%} of the grid valid in every band"
        if result.replaced_because:
            message += f"; the existing output was redone: {result.replaced_because}"
    if figures.get("register_note"):
        message += f"; REGISTER: {figures.pop('register_note')}"
    done = SceneResult(scene.name, status, message, time.perf_counter() - started, output,
                       result.valid_fraction, scene.landsat, figures)  # fmt: skip
    if request.compare:
        done = _with_comparison(done, scene, started, request.overwrite, control)
    return _with_matchups(done, scene, request, started, control) if request.matchups else done


def _problem(error, scene, control):
    """What the scene's row says of ``error``, raised while one of its products was made (the
    traceback of an unexpected one goes to the log)."""
    if isinstance(error, GociResampleError):
        return str(error)
    if isinstance(error, MemoryError):
        return "ran out of memory; run with fewer WORKERS."
    control.info(traceback.format_exc())
    return (f"unexpected error with {scene.goci.name} / {scene.landsat.name}: "
            f"{type(error).__name__}: {error}. Please report it with these files.")  # fmt: skip


def _with_matchups(result, scene, request, started, control):
    """``result`` with the scene's match-ups made next to its output (their count in the
    figures, or why they failed in the message)."""
    from ..matchups import match_pair, matchup_name

    output = result.output.parent / matchup_name(scene.goci)
    try:
        matched = match_pair(scene.goci, scene.landsat, output, control=control,
                             overwrite=request.overwrite, register=request.register)  # fmt: skip
    except ResampleCancelled:  # the batch stops; the scene's raster stands, resumed next time
        raise
    except Exception as error:  # the scene's raster stands: its row says what failed
        return replace(result, message=f"{result.message}; match-ups failed: "
                       f"{_problem(error, scene, control)}",
                       seconds=time.perf_counter() - started)  # fmt: skip
    figures = {"matchups_passing": str(matched.passing)}
    return replace(result, figures=result.figures | figures, seconds=time.perf_counter() - started)


def _register_figures(registration):
    """The report's REGISTER columns (and a note for the message when nothing was applied)."""
    found, left = registration.found, registration.residual
    if not registration.applied:
        return {"register_note": f"not applied, {registration.reason}"}
    return {
        "register_east_m": f"{found.east_m:.1f}",
        "register_north_m": f"{found.north_m:.1f}",
        "register_confidence": f"{found.confidence:.3f}",
        "register_residual_m": f"{math.hypot(left.east_m, left.north_m):.1f}" if left else "",
    }


def _with_comparison(result, scene, started, overwrite, control):
    """``result`` with the comparison's key figures (or why it failed, in the message)."""
    from ..compare import compare_pair
    from ..compare.registration import describe_shift

    table, report = comparison_paths(result.output)
    try:
        comparison = compare_pair(result.output, result.landsat, table, report,
                                  overwrite=overwrite, control=control)  # fmt: skip
    except ResampleCancelled:  # the batch stops; the scene's raster stands, resumed next time
        raise
    except Exception as error:  # the scene's raster stands: its row says what failed
        return replace(result, message=f"{result.message}; comparison failed: "
                       f"{_problem(error, scene, control)}",
                       seconds=time.perf_counter() - started)  # fmt: skip
    shift, pairs = comparison.shift, comparison.pairs
    measured = shift.measurable  # e.g. small scenes: too uncertain
    uncertainty = shift.uncertainty_m
    figures = {
        "shift_east_m": f"{shift.east_m:.1f}" if measured else "",
        "shift_north_m": f"{shift.north_m:.1f}" if measured else "",
        "shift_east_uncertainty_m": f"{uncertainty[0]:.1f}" if measured else "",
        "shift_north_uncertainty_m": f"{uncertainty[1]:.1f}" if measured else "",
        "shift_confidence": f"{shift.confidence:.3f}" if measured else "",
        "r2_by_band": ";".join(f"{p.goci_wavelength_nm}={p.blocks.r2:.4f}" for p in pairs),
        "bias_by_band": ";".join(f"{p.goci_wavelength_nm}={p.blocks.bias:.4g}" for p in pairs),
    }
    where = f"offset {describe_shift(shift)}"
    if measured:
        confidence = f"95 %, confidence {shift.confidence:.2f}"
        where = f"GOCI sits {describe_shift(shift)} of Landsat ({confidence})"
    return replace(result, message=f"{result.message}; {where}", figures=result.figures | figures,
                   seconds=time.perf_counter() - started)  # fmt: skip
