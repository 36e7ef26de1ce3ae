"""followup: keep every conversation of a job search alive."""

__version__ = "0.1.0"
