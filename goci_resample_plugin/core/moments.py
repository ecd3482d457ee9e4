"""Streaming means, variances and covariances, exact to float64 rounding whatever the data's
offset from zero: the one accumulator behind output statistics and comparisons."""

import numpy as np


class Moments:
    """Count, means and centred co-moments of ``variables`` variables, fed block by block.

    Each block is centred on its own mean (two-pass, float64) and merged with the running
    totals by the pairwise update of Chan, Golub & LeVeque (1979): for counts n_a, n_b and
    means m_a, m_b, with δ = m_b − m_a,

        n = n_a + n_b,  m = m_a + δ·n_b/n,  C = C_a + C_b + δ δᵀ·n_a·n_b/n,

    where C is the matrix of sums of centred products. No raw sum of squares is ever formed,
    so values of radiance ~100 with a spread of 0.5 keep their precision.
    """

    def __init__(self, variables=1):
        self.count = 0
        self.mean = np.zeros(variables)
        self.comoment = np.zeros((variables, variables))

    def add(self, *columns):
        """Add a block: one 1-D array per variable, all of the same length (may be empty)."""
        size = np.size(columns[0])
        if size == 0:
            return
        if len(columns) == 1:  # a band's statistics: no copy into a block (a third faster)
            centred = np.ravel(columns[0]).astype(np.float64)
            block_mean = np.array([centred.mean()])
            centred -= block_mean[0]
            products = np.einsum("i,i->", centred, centred).reshape(1, 1)
        else:
            block = np.empty((len(columns), size))
            for row, column in zip(block, columns):
                row[:] = np.ravel(column)
            block_mean = block.mean(axis=1)
            block -= block_mean[:, np.newaxis]  # centred, in place
            # numpy's own loop, not BLAS: OpenBLAS threads this product, and its threads then
            # spin for a while, taking a core from the kernel and the GeoTIFF's compression
            products = np.einsum("ij,kj->ik", block, block)
        delta = block_mean - self.mean
        total = self.count + size
        self.comoment += products + np.outer(delta, delta) * (self.count * size / total)
        self.mean += delta * (size / total)
        self.count = total

    def covariance(self):
        """(variables, variables) population covariance (divided by the count); NaN if empty."""
        if not self.count:
            return np.full_like(self.comoment, np.nan)
        return self.comoment / self.count
