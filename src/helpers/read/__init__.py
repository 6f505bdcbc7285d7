"""Stage 1: read inputs — the source text, the CSV register and returns, numbers in Chinese text."""
