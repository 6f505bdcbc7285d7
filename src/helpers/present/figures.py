"""The report's charts by name, and the charts a batch run draws once and hands to notebooks.

Each notebook shows its charts with ``nb.show_chart(analysis, "<name>")``; :data:`CHARTS` says
what each name draws (a function of the analysis). In JupyterLab the chart is drawn in the
notebook. In a batch run (``workreport run``) the run draws every chart of the quarter once,
in its own process and in the order the notebooks show them, while the notebooks' kernels
start and run; a notebook that reaches a chart takes the drawing from the run's
:class:`FigureStore` (next to the analysis the run handed over, so made from the same
analysis) instead of importing matplotlib and drawing it again. A chart the run could not
draw, or does not list, the notebook draws itself, so an error shows in the notebook's own
cell as it would without the run.

This module imports nothing heavy: matplotlib is imported only where a chart is drawn.
"""

from __future__ import annotations

import ast
import base64
import json
import os
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from helpers.core.notebook_source import code_trees

#: Resolution of the charts: a 10-inch chart is 1,100 pixels wide, the width of a page's text.
FIGURE_DPI = 110
#: Colours kept in a chart's PNG: a chart has a few flat colours and their anti-aliased edges,
#: so a palette image looks the same as the full-colour one at about a third of its size.
FIGURE_COLOURS = 128
#: A missing CJK glyph draws a box: drawing a chart makes it an error, never a silent defect.
MISSING_GLYPH = r"Glyph .* missing from font"


def figure_png(fig) -> bytes:
    """The figure as a palette PNG at :data:`FIGURE_DPI` (raises if a glyph is missing)."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    fig.set_dpi(FIGURE_DPI)
    canvas = FigureCanvasAgg(fig)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=MISSING_GLYPH)
        canvas.draw()
    rgb = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB")
    image = rgb.quantize(FIGURE_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def figure_alt(fig) -> str:
    """A chart's alternative text: its title."""
    title = getattr(fig, "_suptitle", None)
    return title.get_text() if title is not None else "图表"


# The charts. Each takes the analysis and returns a matplotlib Figure.
def _tasks_by_section(analysis):
    from helpers.present import charts

    return charts.status_count_chart(
        analysis.tasks,
        "section",
        "computed_status",
        analysis.settings,
        "各工作板块任务推进状态（数据测算）",
    )


def _indicators(analysis):
    from helpers.present import charts

    return charts.indicator_chart(analysis.indicators, analysis.settings)


def _subtargets(analysis):
    from helpers.present import charts, tables

    return charts.subtarget_chart(tables.chart_subtargets(analysis), analysis.settings)


def _subtargets_by_section(analysis):
    from helpers.present import charts

    return charts.status_count_chart(
        analysis.subtargets, "section", "status", analysis.settings, "各工作板块量化子目标状态"
    )


def _leaders(analysis):
    from helpers.present import charts, tables

    label = analysis.settings.report.leader_label
    return charts.scorecard_chart(
        tables.owner_scorecard(analysis, "leaders"), analysis.settings, f"各{label}牵头任务推进情况"
    )


def _lead_units(analysis):
    from helpers.present import charts, tables

    return charts.scorecard_chart(
        tables.owner_scorecard(analysis, "lead_units"), analysis.settings, "各牵头单位任务推进情况"
    )


#: The report's charts: name → what it draws from the analysis.
CHARTS: dict[str, Callable] = {
    "tasks_by_section": _tasks_by_section,
    "indicators": _indicators,
    "subtargets": _subtargets,
    "subtargets_by_section": _subtargets_by_section,
    "leaders": _leaders,
    "lead_units": _lead_units,
}


#: The charts by a grouping an office may leave out of its register (tables.GROUPINGS): such a
#: chart has nothing to show when no task has that grouping.
GROUPED_BY = {
    "tasks_by_section": "section",
    "subtargets_by_section": "section",
    "leaders": "leaders",
}
#: The charts by 工作板块 (shown in the notebooks under ``if by_section:``).
BY_SECTION = frozenset(n for n, column in GROUPED_BY.items() if column == "section")


def applies(analysis, name: str) -> bool:
    """Whether the chart ``name`` has anything to show for the analysis: a chart by a grouping
    has not when no task has it (``tables.has_grouping``). The notebooks show such a chart only
    when the grouping is there; the batch does not draw it (:func:`run_charts`)."""
    if name in GROUPED_BY:
        from helpers.present.tables import has_grouping

        return has_grouping(analysis, GROUPED_BY[name])
    return True


def draw(analysis, name: str) -> tuple[bytes, str]:
    """Draw the chart ``name`` from the analysis: its PNG and its alternative text."""
    if name not in CHARTS:
        from helpers.core.errors import DataError

        raise DataError.at("notebook", f"没有名为“{name}”的图表；可用：{'、'.join(CHARTS)}")
    fig = CHARTS[name](analysis)
    return figure_png(fig), figure_alt(fig)


def notebook_charts(path: Path) -> list[str]:
    """The chart names a notebook shows (``….show_chart(analysis, "<name>")``), in order."""
    names: list[str] = []
    for tree in code_trees(path):
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "show_chart"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value in CHARTS
                and node.args[1].value not in names
            ):
                names.append(node.args[1].value)
    return names


def run_charts(notebooks: list[Path], analysis) -> list[str]:
    """The charts a batch run draws for its notebooks: those they name (:func:`notebook_charts`)
    that have anything to show for this analysis (:func:`applies`), in the order shown."""
    return [n for nb in notebooks for n in notebook_charts(nb) if applies(analysis, n)]


class FigureStore:
    """A folder of charts a batch run draws for its notebooks (beside the analysis it hands
    over): ``charts.json`` lists the charts the run will draw, written before any notebook
    starts; then each chart arrives as ``<name>.json`` (PNG and alternative text), or as
    ``<name>.error`` if drawing it failed. Every file is written whole (renamed into place)."""

    LIST = "charts.json"
    ABANDONED = "abandoned"

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    @classmethod
    def beside(cls, analysis_file: str | Path) -> FigureStore:
        return cls(Path(str(analysis_file) + ".charts"))

    def _write(self, name: str, text: str) -> None:
        tmp = self.folder / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.folder / name)

    def promise(self, names: list[str]) -> None:
        """Say which charts will come (before the notebooks start)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._write(self.LIST, json.dumps(names, ensure_ascii=False))

    def put(self, name: str, png: bytes, alt: str) -> None:
        data = {"png": base64.b64encode(png).decode("ascii"), "alt": alt}
        self._write(f"{name}.json", json.dumps(data, ensure_ascii=False))

    def abandon(self) -> None:
        """The run stopped before drawing every chart: the notebooks draw the rest themselves."""
        if self.folder.is_dir():
            self._write(self.ABANDONED, "")

    def fail(self, name: str, error: BaseException) -> None:
        self._write(f"{name}.error", f"{type(error).__name__}: {error}")

    def draw_all(self, analysis, names: list[str]) -> None:
        """Draw each chart in turn; a chart that fails is marked so its notebook draws it."""
        for name in names:
            try:
                png, alt = draw(analysis, name)
            except Exception as exc:  # the notebook draws it and shows the error in its cell
                self.fail(name, exc)
            else:
                self.put(name, png, alt)

    def take(self, name: str, timeout: float = 600.0) -> tuple[bytes, str] | None:
        """The chart ``name`` once the run has drawn it; None if the run does not draw it,
        could not, or has not within ``timeout`` seconds (the notebook then draws it)."""
        try:
            promised = json.loads((self.folder / self.LIST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if name not in promised:
            return None
        done, failed = self.folder / f"{name}.json", self.folder / f"{name}.error"
        abandoned = self.folder / self.ABANDONED
        deadline = time.monotonic() + timeout
        while not done.exists():
            if failed.exists() or abandoned.exists() or time.monotonic() > deadline:
                return None
            time.sleep(0.01)
        try:
            data = json.loads(done.read_text(encoding="utf-8"))
            return base64.b64decode(data["png"]), str(data["alt"])
        except (OSError, ValueError, KeyError):
            return None
