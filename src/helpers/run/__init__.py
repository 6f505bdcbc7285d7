"""Stage 4: run — the papermill batch and the command line."""
