"""The grid engine's geometry, worked out once per pair (numpy): a lattice of exactly
projected target positions, the fractional GOCI (row, col) index of each lattice point, the
cubic Lagrange weights between lattice points and the smallest GOCI pixel spacing.
"""

import numpy as np

LATTICE_STEP = 16
"""Target pixels between exactly projected lattice points (480 m at 30 m). Interpolated
positions then still agree with PROJ to float64 rounding and the fractional source index to
far below the grid engine's ``CENTRE_ERROR`` (measured by ``scripts/bench_kernel.py``:
``bench/kernel.md``)."""

LATTICE_CHUNK_POINTS = 1 << 20
"""Lattice points set up at once: the working arrays of a chunk
(``SETUP_BYTES_PER_LATTICE_POINT``) stay bounded, so set-up memory is the lattice itself
(``LATTICE_BYTES_PER_POINT``) whatever the grid size."""

SETUP_BYTES_PER_LATTICE_POINT = 250
"""Working memory (bytes) per lattice point while one chunk of the lattice is set up."""

LATTICE_BYTES_PER_POINT = 7 * 8
"""Bytes kept per lattice point: its lon/lat, 3-D position and fractional source (row, col)."""


def lattice_shape(width, height, step=LATTICE_STEP):
    """(rows, cols) of the lattice of a ``width`` × ``height`` target grid."""
    return (height - 1) // step + 4, (width - 1) // step + 4


def _lattice_chunks(lattice_rows, lattice_cols):
    """Slices of lattice rows holding about ``LATTICE_CHUNK_POINTS`` points each."""
    rows = max(1, LATTICE_CHUNK_POINTS // lattice_cols)
    return [slice(start, min(lattice_rows, start + rows)) for start in range(0, lattice_rows, rows)]


def target_lonlat(grid, step):
    """(LR, LC, 2) lon/lat (degrees) of target pixel centres at rows/cols ``(p - 1) * step``,
    projected chunk by chunk."""
    lattice_rows, lattice_cols = lattice_shape(grid.width, grid.height, step)
    rows = (np.arange(lattice_rows) - 1) * step
    cols = (np.arange(lattice_cols) - 1) * step
    lattice = np.empty((lattice_rows, lattice_cols, 2))
    for chunk in _lattice_chunks(lattice_rows, lattice_cols):
        lon, lat = grid.pixel_lonlat(rows[chunk, np.newaxis], cols[np.newaxis, :])
        lattice[chunk, :, 0], lattice[chunk, :, 1] = lon, lat
    return lattice


def cubic_weights(step):
    """(step, 4) Lagrange weights of nodes -1, 0, 1, 2 at fractions 0, 1/step, ..."""
    f = np.arange(step, dtype=np.float64)[:, np.newaxis] / step
    return np.hstack(
        [
            -f * (f - 1) * (f - 2) / 6,
            (f + 1) * (f - 1) * (f - 2) / 2,
            -(f + 1) * f * (f - 2) / 2,
            (f + 1) * f * (f - 1) / 6,
        ]
    )


def smallest_spacing(xyz):
    """Smallest singular value (metres) of the local source grid Jacobian over all cells:
    any two sources m index steps apart are at least about m times this far apart."""
    u = (xyz[:, 1:] - xyz[:, :-1])[:-1]
    v = (xyz[1:] - xyz[:-1])[:, :-1]
    a = np.einsum("ijk,ijk->ij", u, u)
    b = np.einsum("ijk,ijk->ij", u, v)
    c = np.einsum("ijk,ijk->ij", v, v)
    smallest = (a + c) / 2 - np.sqrt(((a - c) / 2) ** 2 + b**2)
    with np.errstate(invalid="ignore"):
        return float(np.sqrt(np.nanmin(np.where(smallest >= 0, smallest, np.nan))))


def source_index(lattice, source_xyz, located, near):
    """Return ((LR, LC, 2) fractional source (row, col) of each lattice point, refined).

    Starts from the nearest located source and takes one Newton step on the local source grid,
    chunk by chunk of lattice rows. ``refined`` is False when some lattice point within
    ``near`` metres of its nearest source had no local derivative to refine with (a large
    geolocation hole).
    """
    from pykdtree.kdtree import KDTree

    rows, cols = located.shape
    flat = np.flatnonzero(located.ravel())
    tree = KDTree(source_xyz[flat])
    grid_xyz = np.where(located[..., np.newaxis], source_xyz.reshape(rows, cols, 3), np.nan)
    derivatives = (_index_derivative(grid_xyz, axis=1), _index_derivative(grid_xyz, axis=0))
    centre = np.empty((*lattice.shape[:2], 2))
    refined = True
    for chunk in _lattice_chunks(*lattice.shape[:2]):
        points = lattice[chunk].reshape(-1, 3)
        distance, nearest = tree.query(points, k=1)
        i, j = np.divmod(flat[nearest.ravel()], cols)
        d_row, d_col = newton_step(points - grid_xyz[i, j], derivatives[0][i, j],
                                    derivatives[1][i, j])  # fmt: skip
        usable = np.isfinite(d_col) & np.isfinite(d_row)
        refined &= bool(usable[distance.ravel() < near].all())
        step = np.stack([i + np.where(usable, d_row, 0.0), j + np.where(usable, d_col, 0.0)], 1)
        centre[chunk] = step.reshape(-1, lattice.shape[1], 2)
    return centre, refined


def newton_step(offset, u, v):
    """Index steps (rows, cols) that best explain ``offset`` (n, 3) in the local source grid
    with column derivative ``u`` and row derivative ``v`` (n, 3), by least squares."""
    uu, uv, vv = (u * u).sum(1), (u * v).sum(1), (v * v).sum(1)
    ou, ov = (offset * u).sum(1), (offset * v).sum(1)
    determinant = uu * vv - uv * uv
    with np.errstate(invalid="ignore", divide="ignore"):
        return (ov * uu - ou * uv) / determinant, (ou * vv - ov * uv) / determinant


def _index_derivative(grid_xyz, axis, fill_passes=3):
    """(rows, cols, 3) change of position (metres) per source index step along ``axis``
    (0 = rows, 1 = columns): the central difference where both neighbours are located, else
    the one-sided one; pixels with neither take a neighbour's value (the field is smooth),
    up to ``fill_passes`` pixels away; NaN beyond."""
    steps = np.diff(grid_xyz, axis=axis)
    pad = [(0, 0)] * 3
    pad[axis] = (1, 0)
    backward = np.pad(steps, pad, constant_values=np.nan)
    pad[axis] = (0, 1)
    forward = np.pad(steps, pad, constant_values=np.nan)
    with np.errstate(invalid="ignore"):
        derivative = np.where(
            np.isfinite(forward) & np.isfinite(backward),
            (forward + backward) / 2,
            np.where(np.isfinite(forward), forward, backward),
        )
    for _ in range(fill_passes):
        missing = ~np.isfinite(derivative).all(axis=2)
        if not missing.any():
            break
        for shift_axis in (0, 1):
            for shift in (1, -1):
                neighbour = _shifted(derivative, shift, shift_axis)
                take = missing & np.isfinite(neighbour).all(axis=2)
                derivative[take] = neighbour[take]
                missing &= ~take
    return derivative


def _shifted(array, shift, axis):
    """``array`` moved by ``shift`` (±1) along ``axis``; the vacated edge is NaN (no wrap)."""
    moved = np.full_like(array, np.nan)
    source = [slice(None)] * array.ndim
    target = [slice(None)] * array.ndim
    source[axis] = slice(None, -1) if shift > 0 else slice(1, None)
    target[axis] = slice(1, None) if shift > 0 else slice(None, -1)
    moved[tuple(target)] = array[tuple(source)]
    return moved


def grow(mask, steps):
    """``mask`` dilated by ``steps`` index steps along rows and columns (a square window)."""
    grown = mask.copy()
    for _ in range(steps):
        before = grown.copy()
        grown[1:] |= before[:-1]
        grown[:-1] |= before[1:]
    for _ in range(steps):
        before = grown.copy()
        grown[:, 1:] |= before[:, :-1]
        grown[:, :-1] |= before[:, 1:]
    return grown
