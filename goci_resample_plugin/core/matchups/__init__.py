"""Match-ups at GOCI scale (SPEC §8): Landsat aggregated onto GOCI's own pixels, screened for
homogeneity, with the §7 statistics per band pair, for cross-calibration."""

from .footprints import Footprints, FootprintSums
from .run import MatchupResult, match_pair, matchup_files, matchup_name
from .screen import REASONS, Screening, screen

__all__ = [
    "REASONS",
    "FootprintSums",
    "Footprints",
    "MatchupResult",
    "Screening",
    "match_pair",
    "matchup_files",
    "matchup_name",
    "screen",
]
