"""Stage 3: the quarter's cycle with the units — the Excel form and its intake."""
