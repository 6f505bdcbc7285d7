"""Make matplotlib draw Chinese text: register the Noto Sans CJK SC font shipped by ``mplfonts``."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

from helpers.core.messages import say

FONT_FILE = "NotoSansCJKsc-Regular.otf"
"""The font file looked for inside the installed ``mplfonts`` package (SIL Open Font License)."""

#: What ``seaborn.set_theme(style="whitegrid")`` sets, written out so that a chart does not
#: import seaborn (about half a second per notebook) to get its look. ``image.cmap`` ("rocket",
#: a colormap only seaborn registers) is left out: no chart draws an image.
#: ``tests/test_speed.py`` checks this against seaborn itself.
WHITEGRID = {
    "axes.axisbelow": True,
    "axes.edgecolor": ".8",
    "axes.grid": True,
    "axes.labelcolor": ".15",
    "axes.labelsize": 12.0,
    "axes.linewidth": 1.25,
    "axes.prop_cycle": mpl.cycler(
        "color",
        [
            (0.2980392156862745, 0.4470588235294118, 0.6901960784313725),
            (0.8666666666666667, 0.5176470588235295, 0.3215686274509804),
            (0.3333333333333333, 0.6588235294117647, 0.40784313725490196),
            (0.7686274509803922, 0.3058823529411765, 0.3215686274509804),
            (0.5058823529411764, 0.4470588235294118, 0.7019607843137254),
            (0.5764705882352941, 0.47058823529411764, 0.3764705882352941),
            (0.8549019607843137, 0.5450980392156862, 0.7647058823529411),
            (0.5490196078431373, 0.5490196078431373, 0.5490196078431373),
            (0.8, 0.7254901960784313, 0.4549019607843137),
            (0.39215686274509803, 0.7098039215686275, 0.803921568627451),
        ],
    ),
    "axes.titlesize": 12.0,
    "font.sans-serif": [
        "Arial",
        "DejaVu Sans",
        "Liberation Sans",
        "Bitstream Vera Sans",
        "sans-serif",
    ],
    "font.size": 12.0,
    "grid.color": ".8",
    "grid.linewidth": 1.0,
    "legend.fontsize": 11.0,
    "legend.title_fontsize": 12.0,
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "text.color": ".15",
    "xtick.bottom": False,
    "xtick.color": ".15",
    "xtick.labelsize": 11.0,
    "xtick.major.size": 6.0,
    "xtick.major.width": 1.25,
    "xtick.minor.size": 4.0,
    "xtick.minor.width": 1.0,
    "ytick.color": ".15",
    "ytick.labelsize": 11.0,
    "ytick.left": False,
    "ytick.major.size": 6.0,
    "ytick.major.width": 1.25,
    "ytick.minor.size": 4.0,
    "ytick.minor.width": 1.0,
}

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
    """Set seaborn's "whitegrid" look and make Noto Sans CJK SC the first sans-serif font.

    The look (:data:`WHITEGRID`) resets the font list, so it is set first and the font after it.
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

    mpl.rcParams.update(WHITEGRID)
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
