"""Helpers for the workreport-progress notebooks: load, compute, classify, chart, narrate, run."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("workreport-progress")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+local"
