"""Which characters the report's chart fonts can draw, and labels made safe to draw.

Charts draw with Noto Sans CJK SC (from ``mplfonts``) and fall back to matplotlib's DejaVu Sans.
A character neither has (an emoji in a unit's name, say) would draw as an empty box and, in the
notebooks, stop the report; ``safe_label`` replaces it with □, and the engine lists every such
character in the data checks. ``$`` is escaped so that a label is never read as mathtext.

This lives in ``core`` so that the checks (compute) and the charts (present) share it.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

REPLACEMENT = "□"
CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
_DOLLAR = re.compile(r"(?<!\\)\$")


def _font_files() -> list[Path]:
    files = []
    spec = importlib.util.find_spec("mplfonts")
    for root in [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []:
        files.extend(sorted(root.rglob(CJK_FONT_FILE))[:1])
    import matplotlib

    files.append(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")
    return [f for f in files if f.is_file()]


@functools.cache
def drawable() -> frozenset[int]:
    """The code points the chart fonts have glyphs for (empty when no font can be read)."""
    from matplotlib import ft2font

    points: set[int] = set()
    for f in _font_files():
        try:
            points.update(ft2font.FT2Font(str(f)).get_charmap())
        except (OSError, RuntimeError):  # pragma: no cover - an unreadable font file
            continue
    return frozenset(points)


def missing_glyphs(text: object) -> str:
    """The characters of ``text`` no chart font can draw, each once, in order.

    >>> missing_glyphs("区体育局🎉🎈🎉"), missing_glyphs("T004 完成率 5.5%")
    ('🎉🎈', '')
    """
    have = drawable()
    if not have or not isinstance(text, str):
        return ""
    seen: dict[str, None] = {}
    for ch in text:
        if ord(ch) not in have and not ch.isspace() and ch not in seen:
            seen[ch] = None
    return "".join(seen)


def safe_label(text: object) -> str:
    """A label matplotlib draws as written: no mathtext, no glyph it lacks.

    >>> safe_label("$x$单位🎉")
    '\\\\$x\\\\$单位□'
    """
    text = "" if text is None else str(text)
    for ch in missing_glyphs(text):
        text = text.replace(ch, REPLACEMENT)
    return _DOLLAR.sub(r"\\$", text)
