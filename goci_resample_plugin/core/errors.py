"""The errors a user can cause, each carrying a message that names the file and the fix."""


class GociResampleError(Exception):
    """A problem with the inputs, the parameters or the output location.

    The message is complete and meant for the user as it is: it names the file concerned,
    what is wrong and what to do about it. The Processing layer turns it into a
    ``QgsProcessingException``; batch runs write it to the report.
    """


class ResampleCancelled(GociResampleError):
    """The user cancelled the run; nothing was written."""

    def __init__(self, message="Cancelled by the user; no output was written."):
        super().__init__(message)
