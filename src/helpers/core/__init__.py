"""Stage 0, used by every other stage: errors, paths, atomic writing, number formats, settings."""
