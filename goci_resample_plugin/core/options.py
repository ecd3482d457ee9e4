"""Resampling parameters, their defaults (from the design note) and their checks."""

import math
from dataclasses import asdict, dataclass

from .errors import GociResampleError

METHODS = ("gauss", "nearest", "bilinear", "cubic")
"""In ``METHOD`` enum order (SPEC §5): 0 Gaussian, 1 Nearest, 2 bilinear, 3 cubic."""
INTERPOLATORS = ("bilinear", "cubic")
"""The methods that interpolate in GOCI's index space: RADIUS, SIGMA and NEIGHBOURS play no
part in them (SPEC §3)."""
DISTANCE_PARAMETERS = ("radius_m", "sigma_m", "neighbours")
"""The parameters only the distance methods (Gaussian, Nearest) use."""
INVALID_POLICIES = ("skip", "propagate", "cover")
MAX_NEIGHBOURS = 10_000
"""Most NEIGHBOURS accepted: a 5 km RADIUS holds ~1300 GOCI-II pixels; beyond this the search
arrays alone (tens of bytes per neighbour and target pixel) would exhaust any machine."""
COMPRESSIONS = ("deflate", "zstd")
"""In ``COMPRESSION`` enum order: 0 DEFLATE (every TIFF reader), 1 ZSTD (GDAL-based readers;
faster to write only where ISA-L is missing); how each is written: ``write.geotiff.CODECS``."""
METHOD_SUFFIX = {"gauss": "GAUSS", "nearest": "NEAREST", "bilinear": "BILINEAR", "cubic": "CUBIC"}


@dataclass(frozen=True)
class ResampleOptions:
    """How to resample GOCI onto the Landsat grid (SPEC §3) and compress the result.

    Attributes:
        method: "gauss" (Gaussian-weighted mean of the nearest sources), "nearest",
            "bilinear" or "cubic" (Keys a = −0.5), the last two in GOCI's index space.
        radius_m: radius of influence in metres; only sources strictly closer count
            (Gaussian and Nearest only).
        sigma_m: Gaussian width σ in metres, weights exp(-d²/σ²) (Gaussian only).
        neighbours: how many nearest sources the Gaussian weighs (Gaussian only).
        invalid: "skip" (invalid sources take no part), "propagate" (a target pixel whose
            weighted neighbours include an invalid source is NaN) or "cover" (as skip, but NaN
            where the nearest located source is invalid: no value past valid data's edge).
        wavelengths: GOCI bands to resample, in nm; empty = every band in the file.
        shift_east_m, shift_north_m: move the GOCI geolocation by this many metres east and
            north (local tangent plane) before resampling: the correction REGISTER applies
            (0 = the file's geolocation as it is).
        compression: the GeoTIFF's lossless codec, "deflate" (level 1, read by every TIFF
            reader) or "zstd" (level 1: the same size, compression ~40 % cheaper; read by
            GDAL-based software such as QGIS and rasterio, not by every TIFF reader). The
            numbers are the same either way.
    """

    method: str = "gauss"
    radius_m: float = 800.0
    sigma_m: float = 320.0
    neighbours: int = 16
    invalid: str = "skip"
    wavelengths: tuple = ()
    shift_east_m: float = 0.0
    shift_north_m: float = 0.0
    compression: str = "deflate"

    def __post_init__(self):
        if self.method not in METHODS:
            raise GociResampleError(
                f"METHOD must be one of {', '.join(METHODS)}, not {self.method!r}."
            )
        if self.invalid not in INVALID_POLICIES:
            raise GociResampleError(
                f"INVALID must be one of {', '.join(INVALID_POLICIES)}, not {self.invalid!r}."
            )
        if self.compression not in COMPRESSIONS:
            raise GociResampleError(
                f"COMPRESSION must be one of {', '.join(COMPRESSIONS)}, not {self.compression!r}."
            )
        if not self.radius_m > 0:
            raise GociResampleError(
                f"RADIUS must be a positive distance in metres, not {self.radius_m}."
            )
        if not self.sigma_m > 0:
            raise GociResampleError(
                f"SIGMA must be a positive distance in metres, not {self.sigma_m}."
            )
        if not (math.isfinite(self.shift_east_m) and math.isfinite(self.shift_north_m)):
            raise GociResampleError("A geolocation shift must be a finite number of metres.")
        if int(self.neighbours) != self.neighbours or self.neighbours < 1:
            raise GociResampleError(
                f"NEIGHBOURS must be a whole number ≥ 1, not {self.neighbours}."
            )
        if self.neighbours > MAX_NEIGHBOURS:
            raise GociResampleError(
                f"NEIGHBOURS {self.neighbours:g} is more than any RADIUS holds GOCI pixels "
                f"(at most {MAX_NEIGHBOURS}; 250 m pixels within 800 m: about 32). Choose a "
                "number of the order of the pixels within RADIUS."
            )

    @property
    def suffix(self):
        """``GAUSS``, ``NEAREST``, ``BILINEAR`` or ``CUBIC``, as in output file names."""
        return METHOD_SUFFIX[self.method]

    @property
    def interpolates(self):
        """True for the index-space interpolators (bilinear, cubic)."""
        return self.method in INTERPOLATORS

    @property
    def reach_m(self):
        """How far (metres) from a Landsat pixel a GOCI pixel can count: RADIUS for Gaussian
        and Nearest, 0 for the interpolators (a GOCI pixel counts where the Landsat pixel lies
        in its cells)."""
        return 0.0 if self.interpolates else self.radius_m

    def as_dict(self):
        """The options that apply to the method as a JSON-ready dict (units in the key names):
        an interpolator's output does not record, nor depend on, RADIUS, SIGMA or NEIGHBOURS."""
        applied = asdict(self) | {"wavelengths": list(self.wavelengths)}
        if self.interpolates:
            for name in DISTANCE_PARAMETERS:
                del applied[name]
        return applied


@dataclass(frozen=True)
class ProductRequest:
    """What a run produces besides the GeoTIFF: one object for ``resample_pair``, REGISTER, the
    batch scene and runner and the Processing algorithms.

    Attributes:
        overwrite: recompute even an up-to-date output, and replace files at the output names
            that goci-resample did not write (an input is never replaced).
        write_npy: also write each band as ``<stem>_<band>.npy``.
        quality: the per-pixel quality raster: None (none), True (``<stem>_QA.tif`` next to
            the output, as the batch names it) or a path.
        register: correct GOCI's geolocation against the Landsat file first (REGISTER).
        compare: also compare the output with Landsat (batch ``COMPARE``).
        matchups: also make the scene's match-ups at GOCI scale (batch ``MATCHUPS``).
        in_batch: the run is a scene of a batch holding its output root's lock (set by
            ``run_batch``); any other run refuses to write into a root a batch is writing.
        inputs_before: the inputs' identities (``write.input_identities``) taken before
            REGISTER read them (set by ``make_product``), so that an input rewritten between
            the registration and the resampling leaves the output unvouched for.
    """

    overwrite: bool = False
    write_npy: bool = False
    quality: object = None
    register: bool = False
    compare: bool = False
    matchups: bool = False
    in_batch: bool = False
    inputs_before: object = None


MAX_BOX = 15
"""Largest screening box (GOCI pixels): the protocols use 3 or 5; the screening's work grows
with BOX², and a box wider than the scene passes nothing."""


@dataclass(frozen=True)
class MatchupOptions:
    """How Landsat is aggregated onto GOCI's pixels and the match-ups screened (SPEC §8).

    Attributes:
        band_pairs: ``((GOCI nm, Landsat band number), ...)``; empty pairs each GOCI band with
            the Landsat band nearest in wavelength (within 40 nm), as ``comparelandsat`` does.
        box: the screening box, ``box`` × ``box`` GOCI pixels centred on the match-up (odd).
        max_cv: largest coefficient of variation (std / mean, ddof 0) of the box's Landsat
            means and of its GOCI values.
        min_coverage: smallest fraction of a box pixel's footprint with valid Landsat data.
        shift_east_m, shift_north_m: move the GOCI geolocation by this many metres east and
            north first (the correction REGISTER applies).
    """

    band_pairs: tuple = ()
    box: int = 3
    max_cv: float = 0.15
    min_coverage: float = 0.9
    shift_east_m: float = 0.0
    shift_north_m: float = 0.0

    def __post_init__(self):
        if int(self.box) != self.box or not 1 <= self.box <= MAX_BOX or self.box % 2 == 0:
            raise GociResampleError(
                f"BOX must be an odd whole number from 1 to {MAX_BOX} (3, 5, ...), not {self.box}."
            )
        goci_nm = [nm for nm, _ in self.band_pairs]
        repeated = sorted({nm for nm in goci_nm if goci_nm.count(nm) > 1})
        if repeated:
            raise GociResampleError(
                f"BAND_PAIRS gives GOCI {', '.join(map(str, repeated))} nm more than once: a "
                "match-up compares one GOCI band with one Landsat band. Give each GOCI band "
                "once (e.g. 443:1,490:2,555:3,660:4,865:5)."
            )
        if not self.max_cv > 0:
            raise GociResampleError(f"MAX_CV must be a positive fraction, not {self.max_cv}.")
        if not 0 < self.min_coverage <= 1:
            raise GociResampleError(
                f"MIN_COVERAGE must be a fraction above 0 and at most 1, not {self.min_coverage}."
            )
        if not (math.isfinite(self.shift_east_m) and math.isfinite(self.shift_north_m)):
            raise GociResampleError("A geolocation shift must be a finite number of metres.")

    def as_dict(self):
        """The options as a JSON-ready dict."""
        return asdict(self) | {"band_pairs": [list(pair) for pair in self.band_pairs]}
