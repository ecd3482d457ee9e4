"""The interface every resampling engine implements (:mod:`.grid_engine`, :mod:`.kdtree`)."""


class Resampler:
    """What an engine offers the pair (each engine subclasses this and owns its set-up).

    Attributes:
        name: the engine's name as recorded in the sidecar and the GeoTIFF tags.
    """

    name = ""
    label = ""
    """The engine's name in messages ("KD-tree")."""
    first_use = False
    """True when the engine must first be prepared (compiled) before it resamples."""

    def resample_rows(self, row_start, row_stop, quality=None, out=None):
        """Return (bands, row_stop - row_start, width) float32 for target rows; NaN = no
        value. ``quality``: None, or a (3, rows, width) float32 array receiving the per-pixel
        quality (:data:`.QUALITY_BANDS`) from the same pass. ``out``: None, or an array of
        the result's shape the engine may fill and return instead of a new one."""
        raise NotImplementedError

    def assign_rows(self, row_start, row_stop):
        """(rows, width) int64: the GOCI pixel (flat index row × cols + col) each target pixel
        of the rows belongs to for the match-ups (SPEC §8), −1 for none (the index-space
        engines only)."""
        raise NotImplementedError(f"the {self.name} engine does not assign footprints")

    def bytes_per_target_pixel(self):
        """Working memory (bytes) per target pixel of a block of rows."""
        raise NotImplementedError

    def prepare(self, control):
        """Wait until the engine can resample, reporting progress 0..1 on ``control`` and
        stopping on its cancel (nothing to wait for by default)."""

    def settle(self):
        """Wait for whatever the engine runs in the background (nothing by default)."""

    def fallback(self):
        """The engine to run the work again with after :class:`EngineMismatch` (its own
        reference); the KD-tree engine is the reference and never needs one."""
        raise NotImplementedError(f"the {self.name} engine has no fallback")

    @staticmethod
    def memory_bytes(width, height):
        """Set-up memory (bytes) beyond the GOCI arrays on a ``width`` × ``height`` grid."""
        return 0
