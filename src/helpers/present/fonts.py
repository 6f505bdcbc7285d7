"""Make matplotlib draw Chinese text: register the Noto Sans CJK SC font shipped by ``mplfonts``."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import matplotlib as mpl
import seaborn as sns
from matplotlib import font_manager

from helpers.core.messages import say

FONT_FILE = "NotoSansCJKsc-Regular.otf"
"""The font file looked for inside the installed ``mplfonts`` package (SIL Open Font License)."""

# Filled on the first successful call; later calls skip the file search and registration.
_registered_family: str | None = None


def find_font_file() -> Path:
    """Return the path of ``NotoSansCJKsc-Regular.otf`` inside the installed ``mplfonts`` package.

    The package is located without importing it (importing ``mplfonts`` pulls in extra
    dependencies and is not needed to read a file it ships).

    Returns
    -------
    Path
        The ``.otf`` file.

    Raises
    ------
    RuntimeError
        If ``mplfonts`` is not installed or does not contain the font.
    """
    hint = say("fonts.hint", font=FONT_FILE)
    spec = importlib.util.find_spec("mplfonts")
    if spec is None:
        raise RuntimeError(say("fonts.no_package", hint=hint))
    roots = [Path(p) for p in (spec.submodule_search_locations or [])]
    if not roots and spec.origin:
        roots = [Path(spec.origin).parent]
    for root in roots:
        direct = root / "fonts" / FONT_FILE
        if direct.is_file():
            return direct
        # The folder layout inside the wheel may change between releases.
        found = sorted(root.rglob(FONT_FILE))
        if found:
            return found[0]
    raise RuntimeError(
        say("fonts.no_font", roots="、".join(str(r) for r in roots), font=FONT_FILE, hint=hint)
    )


def _one_weight_filter(record: logging.LogRecord) -> bool:
    """Drop matplotlib's note that a bold weight fell back to the one weight the font has."""
    return "Failed to find font weight" not in record.getMessage()


def setup_fonts() -> str:
    """Set a clean seaborn theme and make Noto Sans CJK SC the first sans-serif font.

    ``sns.set_theme`` resets the font list, so the theme is set first and the font after it.
    The font file is looked up and registered once per process; later calls only re-apply the
    rcParams (a few microseconds), so every chart function can call this safely.

    Returns
    -------
    str
        The font's family name, ``"Noto Sans CJK SC"``.

    Raises
    ------
    RuntimeError
        If the font cannot be found (``mplfonts`` is not installed).

    Examples
    --------
    >>> setup_fonts()
    'Noto Sans CJK SC'
    >>> import matplotlib as mpl
    >>> mpl.rcParams["font.sans-serif"][0]
    'Noto Sans CJK SC'
    """
    global _registered_family
    if _registered_family is None:
        path = find_font_file()
        font_manager.fontManager.addfont(str(path))
        _registered_family = font_manager.FontProperties(fname=str(path)).get_name()
        # The shipped font has one weight: bold labels are drawn at that weight. matplotlib says
        # so on every bold label ("findfont: Failed to find font weight bold …"), and the note
        # lands on the report's page as a warning; it is expected, so it is not shown.
        logging.getLogger("matplotlib.font_manager").addFilter(_one_weight_filter)
    family = _registered_family

    sns.set_theme(style="whitegrid")
    rest = [f for f in mpl.rcParams["font.sans-serif"] if f != family]
    mpl.rcParams["font.sans-serif"] = [family, *rest]
    mpl.rcParams["font.family"] = "sans-serif"
    # Draw negative numbers with the ASCII hyphen-minus, which every font has, rather than U+2212.
    mpl.rcParams["axes.unicode_minus"] = False
    # The bundled CJK font has one weight; matplotlib says so on every bold title ("findfont:
    # Failed to find font weight bold …, now using 400") and the notebook's stderr would carry
    # that onto a page. The fallback is the intended one, so the message is not shown.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    return family
