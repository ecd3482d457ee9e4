"""REGISTER: correct GOCI's misregistration against the Landsat file while resampling.

GOCI-II geolocation errors are of the order of a pixel (hundreds of metres), Landsat's ~12 m.
:func:`resample_registered` resamples the GOCI band nearest 660 nm, measures how far GOCI's
content sits from Landsat's (the comparison's estimator on block means, :mod:`.registration`),
resamples every band with the GOCI geolocation moved back by that offset (in each pixel's local
tangent plane, ``ResampleOptions.shift_east_m``/``shift_north_m``) and measures what is left.
An offset that is not measurable (one direction unconstrained, too uncertain), not significant
(zero inside its 95 % ellipse), unreliable or implausibly large is not applied: the output is
then the unshifted result and the log says why.
"""

import dataclasses
import json
import math
import tempfile
from pathlib import Path

from ..bands import nearest_band
from ..control import RunControl
from ..options import ProductRequest, ResampleOptions
from ..pair import check_planned_files, resample_product
from ..read import available_bands, read_goci_subset
from ..resample.geometry import goci_pixel_spacing_m
from ..write import input_identities
from ..write.atomic import write_text_atomic
from .registration import OFFSET_BAND_NM, Shift, describe_offset, describe_shift
from .statistics import compare_rasters

MIN_CONFIDENCE = 0.9
"""Smallest confidence (correlation of the fitted shift model, 0..1) at which an offset is
applied."""

MAX_SHIFT_PIXELS = 3.0
"""Largest offset applied, in GOCI pixel spacings: beyond it the files more likely do not
belong together than GOCI's geolocation is that far off."""


@dataclasses.dataclass
class Registration:
    """What REGISTER found and did.

    Attributes:
        found: the offset measured before correcting (metres GOCI's content sat east/north
            of Landsat's, confidence, band pair).
        applied: True when the output was resampled with the correction.
        reason: why the offset was not applied ("" when it was).
        residual: the offset measured on the output (None when not measurable).
    """

    found: Shift
    applied: bool
    reason: str = ""
    residual: Shift = None

    @property
    def east_m(self):
        """The offset applied (metres east; 0 when none was)."""
        return self.found.east_m if self.applied else 0.0

    @property
    def north_m(self):
        """The offset applied (metres north; 0 when none was)."""
        return self.found.north_m if self.applied else 0.0


def resample_registered(goci_path, landsat_path, output_path, options=None, control=None, *,
                        engine="auto", overwrite=False, write_npy=False,
                        quality_output=None):  # fmt: skip
    """:func:`~..pair.resample_pair` with GOCI's geolocation corrected against Landsat.

    Args:
        goci_path, landsat_path, output_path, options, control, engine, overwrite, write_npy,
            quality_output: as for ``resample_pair``.

    Returns:
        (PairResult, Registration).

    Raises:
        GociResampleError: as ``resample_pair``.
    """
    request = ProductRequest(overwrite=overwrite, write_npy=write_npy, quality=quality_output,
                             register=True)  # fmt: skip
    return make_product(goci_path, landsat_path, output_path, options, request, control, engine)


def make_product(goci_path, landsat_path, output_path, options, request, control=None,
                 engine="auto"):  # fmt: skip
    """The product a :class:`~..options.ProductRequest` asks for: registered with
    ``request.register`` (see :func:`resample_registered`), else as ``resample_pair``. The one
    place that choice is made, for the batch and the Processing algorithms.

    Returns:
        (PairResult, Registration or None without ``register``).
    """
    options = options or ResampleOptions()
    control = control or RunControl()
    if not request.register:
        return resample_product(goci_path, landsat_path, output_path, options, request, control,
                                engine), None  # fmt: skip
    # refused before the probe, as resample_product would refuse them after it (a style the
    # user saved over ours is judged there, once it is known the output is not reused)
    check_planned_files(goci_path, landsat_path, output_path, options, request, trust_owner=True)
    before = input_identities(goci_path, landsat_path)  # the measurement reads them
    request = dataclasses.replace(request, inputs_before=before)
    registration, red = measure_correction(goci_path, landsat_path, options,
                                           control.part(0, 0.3), engine)  # fmt: skip
    corrected = corrected_options(options, registration)
    result = resample_product(goci_path, landsat_path, output_path, corrected, request,
                              control.part(0.3, 0.95), engine)  # fmt: skip
    found = registration.found
    if registration.applied:
        pairs = [(red, _landsat_band(found))]
        left = compare_rasters(result.output, landsat_path, pairs).shift  # true east/north
        registration.residual = _measured(left)
        left = registration.residual
        control.info(
            f"REGISTER: GOCI sat {_where(found)} of Landsat (confidence "
            f"{found.confidence:.2f}, {found.band_pair}); resampled with the geolocation "
            f"corrected; measured on the result: {_where(left) if left else 'not measurable'}."
        )
    _record(result.sidecar, registration)
    control.progress(1.0)
    return result, registration


def measure_correction(goci_path, landsat_path, options, control, engine="auto"):
    """Measure GOCI's offset against ``landsat_path`` and decide whether to correct it, saying
    so on ``control``: ``(Registration without its residual, the GOCI band measured, nm)``.

    ``options``: anything with ``wavelengths`` and the shift already applied (a
    ``ResampleOptions``; other options are measured with the defaults)."""
    if not isinstance(options, ResampleOptions):
        options = ResampleOptions(shift_east_m=options.shift_east_m,
                                  shift_north_m=options.shift_north_m)  # fmt: skip
    wavelengths = list(options.wavelengths or available_bands(goci_path))
    red = wavelengths[nearest_band(wavelengths, OFFSET_BAND_NM) - 1]
    found, spacing = _offset(goci_path, landsat_path, options, red, control, engine)
    reason = _refusal(found, spacing)
    if reason:
        control.warning(f"REGISTER: offset not applied: {reason}. The output is not shifted.")
    elif not found.significant():
        reason = "already aligned: no offset is significant within the estimate's uncertainty"
        control.info(f"REGISTER: GOCI sits {_where(found)} of Landsat (95 %): {reason}; "
                     "not shifted.")  # fmt: skip
    return Registration(found, not reason, reason), red


def corrected_options(options, registration):
    """``options`` with the geolocation shift moved back by the offset REGISTER applies."""
    return dataclasses.replace(
        options,
        shift_east_m=options.shift_east_m - registration.east_m,
        shift_north_m=options.shift_north_m - registration.north_m,
    )


def _record(sidecar, registration):
    """Add what REGISTER found and left to the output's sidecar (rewritten atomically)."""
    content = json.loads(Path(sidecar).read_text(encoding="utf-8"))
    found, left = registration.found, registration.residual
    content["registration"] = {
        "found_east_m": _number(found.east_m),
        "found_north_m": _number(found.north_m),
        "confidence": found.confidence,
        "found_uncertainty_east_m": _number(found.uncertainty_m[0]),
        "found_uncertainty_north_m": _number(found.uncertainty_m[1]),
        "band_pair": found.band_pair,
        "applied": registration.applied,
        "not_applied_because": registration.reason,
        "residual_east_m": left.east_m if left else None,
        "residual_north_m": left.north_m if left else None,
    }
    write_text_atomic(sidecar, json.dumps(content, indent=2, ensure_ascii=False))


def _offset(goci_path, landsat_path, options, red, control, engine):
    """(Shift of the ``red`` band resampled as it is, in local east/north metres, GOCI pixel
    spacing in metres)."""
    # With "cover", GOCI values end where valid GOCI data ends: no coastal halo to compare
    policy = "cover" if options.invalid == "skip" else options.invalid
    single = dataclasses.replace(options, wavelengths=(red,), invalid=policy)
    quiet = RunControl(progress=control.progress, cancelled=control.cancelled)  # one log: ours
    with tempfile.TemporaryDirectory(prefix="goci-register-") as folder:
        probe = Path(folder) / "probe.tif"
        # a folder of its own: no batch can write there, so its lock is not looked for
        probe_only = ProductRequest(in_batch=True)
        resample_product(goci_path, landsat_path, probe, single, probe_only, quiet, engine)
        shift = compare_rasters(probe, landsat_path).shift  # true east/north
    spacing = goci_pixel_spacing_m(read_goci_subset(goci_path, (red,)))
    return shift, spacing


def _refusal(found, spacing):
    """Why ``found`` must not be applied, or ""."""
    if not found.measurable:
        return f"the offset is not measurable: {found.reason}"
    size = math.hypot(found.east_m, found.north_m)
    if not found.confidence >= MIN_CONFIDENCE:
        return (f"the offset could not be measured reliably (confidence {found.confidence:.2f},"
                f" below {MIN_CONFIDENCE}; too little overlap or texture)")  # fmt: skip
    if size > MAX_SHIFT_PIXELS * spacing:
        return (f"the offset found, {describe_offset(found.east_m, found.north_m)}, is more "
                f"than {MAX_SHIFT_PIXELS:g} GOCI pixels "
                f"({MAX_SHIFT_PIXELS * spacing:.0f} m): implausible for GOCI's geolocation; "
                "check that the two files belong to the same scene")  # fmt: skip
    return ""


def _where(shift):
    return describe_shift(shift)


def _number(value):
    """``value`` for JSON: None when it is NaN."""
    return value if math.isfinite(value) else None


def _landsat_band(shift):
    """The Landsat band number of a ``Shift``'s band pair (``L_TOA_660:B4`` → 4)."""
    return int(shift.band_pair.rsplit(":B", 1)[1])


def _measured(shift):
    """``shift`` when it could be measured, else None."""
    return shift if shift.measurable else None
