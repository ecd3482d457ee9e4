"""Which match-ups pass (SPEC §8): over the BOX × BOX GOCI pixels centred on a GOCI pixel,
every pixel has Landsat coverage ≥ MIN_COVERAGE and a valid GOCI value, and the coefficient of
variation (std / mean, ddof 0) of the box's Landsat means and that of its GOCI values are both
≤ MAX_CV. A box that leaves the GOCI grid fails (as for coverage)."""

from dataclasses import dataclass

import numpy as np

REASONS = ("coverage", "goci_invalid", "landsat_cv", "goci_cv")
"""Why a match-up fails, in the order they are tested (the first that applies counts)."""


@dataclass
class Screening:
    """One band pair's screening on the GOCI grid (rows, cols).

    Attributes:
        passes: bool, the match-up passes.
        cv_landsat, cv_goci: float64, the box's coefficients of variation (NaN where the box
            leaves the grid or holds an invalid value).
        failed: {reason: match-ups failing first for it} over the GOCI pixels with a Landsat
            mean (``REASONS``).
    """

    passes: np.ndarray
    cv_landsat: np.ndarray
    cv_goci: np.ndarray
    failed: dict


def screen(goci, landsat_mean, coverage, box, max_cv, min_coverage):
    """Screen one band pair.

    Args:
        goci: (rows, cols) GOCI values, NaN = invalid.
        landsat_mean, coverage: (rows, cols) the Landsat band's footprint mean and coverage.
        box, max_cv, min_coverage: as in ``MatchupOptions``.

    Returns:
        :class:`Screening`.
    """
    covered = _box_all(coverage >= min_coverage, box)
    valid_goci = _box_all(np.isfinite(goci), box)
    cv_landsat = _box_cv(np.where(covered, landsat_mean, np.nan), landsat_mean, box)
    cv_goci = _box_cv(np.where(valid_goci, goci, np.nan), goci, box)
    candidates = np.isfinite(landsat_mean)
    with np.errstate(invalid="ignore"):
        tests = [covered, valid_goci, cv_landsat <= max_cv, cv_goci <= max_cv]
    failed, left = {}, candidates
    for reason, test in zip(REASONS, tests):
        failed[reason] = int((left & ~test).sum())
        left = left & test
    return Screening(left, cv_landsat, cv_goci, failed)


def _box_views(values, box, fill):
    """The box × box (rows, cols) views of ``values`` padded by ``fill``: view ``k`` holds at
    each pixel the ``k``-th pixel (row-major) of the box centred on it."""
    half = box // 2
    padded = np.pad(values, half, constant_values=fill)
    rows, cols = values.shape
    return [padded[i : i + rows, j : j + cols] for i in range(box) for j in range(box)]


def _box_all(mask, box):
    """(rows, cols) bool: every pixel of the box is True (False where it leaves the grid)."""
    views = _box_views(mask, box, False)
    every = views[0].copy()
    for view in views[1:]:
        every &= view
    return every


def _box_cv(centres, values, box):
    """(rows, cols) std / mean (ddof 0, two passes: the mean, then the mean squared
    deviation from it) of ``values`` over each box, where ``centres`` is finite (NaN
    elsewhere, where the box holds NaN or leaves the grid, and where the mean is not
    positive)."""
    views = _box_views(np.asarray(values, dtype=np.float64), box, np.nan)
    mean = views[0].copy()
    for view in views[1:]:
        mean += view
    mean /= len(views)
    squares = np.zeros_like(mean)
    for view in views:
        squares += (view - mean) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        cv = np.sqrt(squares / len(views)) / mean
        return np.where(np.isfinite(centres) & (mean > 0), cv, np.nan)
