"""Bands and wavelengths: GOCI band names, the BANDS parameter, the Landsat OLI band table.

The one home for ``L_TOA_<nm>`` names and for which wavelength each Landsat band has.
"""

import re

from .errors import GociResampleError

BAND_PREFIX = "L_TOA_"
_BAND_NAME = re.compile(rf"^{BAND_PREFIX}(\d+)$")

OLI_WAVELENGTHS_NM = (443, 482, 561, 655, 865, 1609, 2201)
"""Centre wavelengths (nm) of Landsat 8/9 OLI bands B1..B7, in band order; used when the
bands carry no ``WAVELENGTH_NM`` metadata (the clip step writes none)."""

TRUE_COLOUR_NM = {"red": 660, "green": 555, "blue": 490}
"""Display channels and the GOCI wavelengths (nm) that match Landsat B4 / B3 / B2."""

LANDSAT_TRUE_COLOUR_BANDS = {"red": 4, "green": 3, "blue": 2}
"""Landsat 8/9 OLI bands shown in the same channels as ``TRUE_COLOUR_NM``."""


def band_name(wavelength_nm):
    """Return the GOCI band name of a wavelength: ``443`` → ``L_TOA_443``."""
    return f"{BAND_PREFIX}{wavelength_nm}"


def landsat_band_name(band):
    """Return the name of a Landsat band's variable in the match-up NetCDF: ``4`` →
    ``L_TOA_B4`` (SPEC §8)."""
    return f"{BAND_PREFIX}B{band}"


def band_wavelength(name):
    """Return the wavelength (nm) of a GOCI band name ``L_TOA_<nm>``, or None for other names."""
    match = _BAND_NAME.match(name or "")
    return int(match.group(1)) if match else None


def parse_wavelengths(text):
    """Parse a BANDS parameter such as ``"443, 490,555"`` into a sorted tuple of ints (nm).

    Accepts commas, semicolons or spaces as separators and an optional ``L_TOA_`` prefix or
    ``nm`` suffix; empty text means every band.

    Raises:
        GociResampleError: an entry is not a wavelength.
    """
    entries = [e for e in re.split(r"[,;\s]+", (text or "").strip()) if e]
    wavelengths = []
    for entry in entries:
        digits = entry.upper().removeprefix(BAND_PREFIX).removesuffix("NM")
        if not digits.isdigit():
            raise GociResampleError(
                f"BANDS entry {entry!r} is not a wavelength in nm; write e.g. 443,490,555,660,865 "
                "or leave BANDS empty for every band."
            )
        wavelengths.append(int(digits))
    return tuple(sorted(set(wavelengths)))


def nearest_band(wavelengths, target_nm):
    """Return the 1-based position of the wavelength (nm) nearest ``target_nm``."""
    distances = [abs(w - target_nm) for w in wavelengths]
    return distances.index(min(distances)) + 1


def parse_band_pairs(text):
    """Parse ``"443:1,490:2"`` into ``[(443, 1), (490, 2)]`` (GOCI nm : Landsat band number).

    Raises:
        GociResampleError: an entry is not ``<nm>:<band>``.
    """
    pairs = []
    for entry in [e.strip() for e in (text or "").replace(";", ",").split(",") if e.strip()]:
        nm, _, band = entry.partition(":")
        if not (nm.strip().isdigit() and band.strip().isdigit() and int(band) >= 1):
            raise GociResampleError(
                f"BAND_PAIRS entry {entry!r} is not <GOCI nm>:<Landsat band number>; write e.g. "
                "443:1,490:2,555:3,660:4,865:5 or leave it empty to pair by wavelength."
            )
        pairs.append((int(nm), int(band)))
    return pairs
