"""Which rows of docs/robustness.md a test covers: ``@covers("full-disk")`` marks the test and
records the row, so the table can be checked against the tests that really exist."""

import pytest

COVERED = set()


def covers(*rows):
    """Mark a test as covering ``rows`` (the table's case ids) and record them."""
    COVERED.update(rows)
    return pytest.mark.robustness(*rows)
