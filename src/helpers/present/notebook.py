"""What the notebooks call: set-up, and showing tables, figures and text safely.

Everything shown is escaped: a unit's progress text is data, never markup, in JupyterLab and in
the HTML sent to readers.
"""

from __future__ import annotations

import gc
import html
import sys
import warnings

import pandas as pd
from IPython.display import HTML, display

from helpers.compute.engine import Analysis, analyse, validate_parameters
from helpers.core.vocab import IndicatorStatus, SubtargetStatus, TaskStatus
from helpers.present.figures import (  # noqa: F401 - FIGURE_DPI, FIGURE_COLOURS for notebooks
    FIGURE_COLOURS,
    FIGURE_DPI,
    FigureStore,
    applies,
    draw,
    figure_alt,
    figure_png,
)
from helpers.present.narrative import REPORT_CSS

#: Sub-target status words in the order tables and charts list them.
SUBTARGET_ORDER = [str(s) for s in SubtargetStatus]
#: Task status words in the order tables list them.
TASK_ORDER = [str(s) for s in TaskStatus]

TABLE_CSS = """
<style>
table.wr-table { border-collapse: collapse; margin: 0.5em 0 1.5em 0; }
table.wr-table th { background: #eef2f7; border: 1px solid #c8d0da; padding: 4px 6px;
  white-space: nowrap; }
table.wr-table td { border: 1px solid #d8dde3; padding: 4px 6px; }
table.wr-table tbody tr:nth-child(even) { background: #f7f9fb; }
table.wr-table td, table.wr-table th { text-align: left !important; vertical-align: top; }
p.wr-caption { font-weight: bold; margin: 1em 0 0.2em 0; }
p.wr-note { color: #555; font-size: 13px; }
</style>
"""


#: The searchable, sortable table's script (about 1.5 KB, no library): a search box filters
#: the rows by every word typed (all must appear in a row), a click on a column heading sorts by
#: that column (numbers as numbers, again to reverse). It is in every such table's output, and
#: runs once per page.
SORTABLE_JS = """
<script>
(function () {
  if (window.wrSortable) { window.wrSortable(); return; }
  function key(td) {
    var t = td.textContent.trim(), n = parseFloat(t.replace(/[,%％]/g, ""));
    return /^[-+]?[0-9.,]+[%％]?$/.test(t) && !isNaN(n) ? n : t;
  }
  function cmp(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    if (typeof a === "number") return -1;
    if (typeof b === "number") return 1;
    return String(a).localeCompare(String(b), "zh-CN");
  }
  window.wrSortable = function () {
    document.querySelectorAll("table.wr-sortable:not([data-ready])").forEach(function (table) {
      table.setAttribute("data-ready", "1");
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var box = table.parentNode.querySelector("input.wr-search");
      var count = table.parentNode.querySelector("span.wr-count");
      function filter() {
        var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
        rows.forEach(function (r) {
          var text = r.textContent.toLowerCase();
          var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
          r.style.display = ok ? "" : "none";
          if (ok) shown++;
        });
        count.textContent = "显示 " + shown + " / " + rows.length + " 条";
      }
      if (box) { box.addEventListener("input", filter); filter(); }
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
        th.title = "点击排序";
        th.style.cursor = "pointer";
        th.addEventListener("click", function () {
          var dir = th.getAttribute("data-sort") === "asc" ? -1 : 1;
          Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {
            h.removeAttribute("data-sort");
          });
          th.setAttribute("data-sort", dir === 1 ? "asc" : "desc");
          rows.sort(function (a, b) { return dir * cmp(key(a.cells[i]), key(b.cells[i])); });
          rows.forEach(function (r) { body.appendChild(r); });
        });
      });
    });
  };
  window.wrSortable();
})();
</script>
"""

SORTABLE_CSS = """
<style>
input.wr-search { font-size: 14px; padding: 3px 6px; margin: 0.3em 0.6em 0.3em 0; width: 20em; }
span.wr-count { color: #555; font-size: 13px; }
table.wr-sortable th[data-sort="asc"]::after { content: " ▲"; }
table.wr-sortable th[data-sort="desc"]::after { content: " ▼"; }
</style>
"""


def setup(
    year, quarter, data_dir: str = "", settings_file: str = "", analysis_file: str = ""
) -> Analysis:
    """Validate the notebook's parameters and return the quarter's analysis.

    Parameters arrive from papermill unchecked (``-p quarter 3`` is an int, ``-p quarter three``
    a string); this fails early with a message naming the parameter. ``workreport run`` passes
    ``analysis_file``, the analysis it computed once for every notebook; it is used only if it
    is still the one these parameters and data give (:mod:`helpers.compute.cache`), and then
    so are the charts the run draws for it (:func:`show_chart`). Empty (as in JupyterLab), the
    engine runs here. Chinese fonts are set up by the first chart drawn.
    """
    from helpers.compute.cache import load

    validate_parameters(year, quarter, data_dir or None, settings_file or None)
    # A missing CJK glyph draws a box: make it an error, never a silent defect in a report.
    warnings.filterwarnings("error", message=r"Glyph .* missing from font")
    display(HTML(REPORT_CSS + TABLE_CSS))
    cached = load(analysis_file, year, quarter, data_dir, settings_file)
    global _charts, _handed
    _charts = FigureStore.beside(analysis_file) if cached is not None else None
    _handed = cached
    if cached is not None:
        # A batch run's kernel lives for this one notebook, and what exists now (the modules
        # imported, the analysis) lives until it exits. Frozen, the garbage collector no longer
        # walks it in every full collection and at exit: about 0.3 s of each notebook's run.
        gc.freeze()
        return cached
    return analyse(year, quarter, data_dir or None, settings_file or None)


def show_text(text: str, css_class: str = "wr-note") -> None:
    """Show a paragraph of text, escaped."""
    display(HTML(f'<p class="{css_class}">{html.escape(text)}</p>'))


def table_html(df: pd.DataFrame) -> str:
    """Render a DataFrame as an HTML table: every cell escaped, line breaks kept as ``<br>``.

    pandas' ``to_html`` shows a line break inside a cell as a literal ``\\n``; progress text has
    many (①…②…), so the table is rendered here.
    """

    def cell(value) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return "—"
        return html.escape(str(value)).replace("\n", "<br>")

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>"
        for row in df.itertuples(index=False)
    )
    return f'<table class="wr-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def show_table(df: pd.DataFrame, caption: str = "", max_rows: int | None = None) -> None:
    """Show a DataFrame as a static HTML table, every cell escaped."""
    shown = df if max_rows is None else df.head(max_rows)
    head = f'<p class="wr-caption">{html.escape(caption)}</p>' if caption else ""
    if shown.empty:
        display(HTML(head + '<p class="wr-note">（无）</p>'))
        return
    display(HTML(head + table_html(shown)))


def show_interactive(df: pd.DataFrame, caption: str = "") -> None:
    """Show a long table as a searchable, sortable table that works offline.

    The table is the same escaped table as :func:`show_table`, with a search box and sortable
    headings from a small script of the pack's own (:data:`SORTABLE_JS`); without scripts it
    is a plain table holding every row.
    """
    if df.empty:  # nothing to search or sort: the plain table says so (an empty group)
        show_table(df, caption)
        return
    head = f'<p class="wr-caption">{html.escape(caption)}</p>' if caption else ""
    table = table_html(df).replace('class="wr-table"', 'class="wr-table wr-sortable"', 1)
    controls = (
        '<div class="wr-controls"><label>搜索：<input type="search" class="wr-search" '
        'placeholder="输入字词筛选（多个字词以空格分隔）"></label>'
        '<span class="wr-count"></span> 点击列标题排序</div>'
    )
    display(HTML(f'<div class="wr-interactive">{head}{controls}{table}</div>'))
    display(HTML(SORTABLE_CSS + SORTABLE_JS))


def show_figure(fig, alt: str = "") -> None:
    """Show a figure as an embedded PNG, once, with alt text, and release it.

    The charts are plain ``Figure`` objects (no pyplot), so the PNG is rendered here rather than
    by the inline backend; the HTML export then carries it as base64, standing alone.
    """
    _show_png(figure_png(fig), alt or figure_alt(fig))
    # A figure made through pyplot is let go of there too; the pack's charts never are, and a
    # notebook that uses none does not import pyplot (nor its inline backend) for this.
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)


def _show_png(png: bytes, alt: str) -> None:
    import base64

    data = base64.b64encode(png).decode("ascii")
    display(
        HTML(
            f'<img class="wr-figure" alt="{html.escape(alt)}" '
            f'src="data:image/png;base64,{data}" style="max-width:100%">'
        )
    )


#: The charts the batch run draws for this notebook's analysis, and that analysis (set by
#: :func:`setup`): a chart is taken from the run only for that very analysis object.
_charts: FigureStore | None = None
_handed: Analysis | None = None


def show_chart(analysis: Analysis, name: str, alt: str = "") -> None:
    """Show one of the report's charts (:data:`helpers.present.figures.CHARTS`) by name.

    In a batch run the run has drawn it from this very analysis, and it is taken as drawn; in
    JupyterLab, or if the run did not draw it, it is drawn here. A chart with nothing to show
    for this analysis (by section, for a register without sections) is a one-line note.
    """
    if not applies(analysis, name):  # a chart by a grouping the register does not have
        from helpers.present.figures import GROUPED_BY
        from helpers.present.tables import grouping_heading
        from helpers.present.wording import NO_GROUPING_CHART, NO_SECTIONS_CHART

        column = GROUPED_BY[name]
        heading = grouping_heading(analysis, column)
        show_text(
            NO_SECTIONS_CHART if column == "section" else NO_GROUPING_CHART.format(name=heading)
        )
        return
    # The run drew its charts from the analysis it handed over; a notebook's own filtered or
    # changed analysis is drawn here.
    ours = _charts is not None and analysis is _handed
    handed = _charts.take(name) if ours else None
    if handed is None:
        png, drawn_alt = draw(analysis, name)
    else:
        png, drawn_alt = handed
    _show_png(png, alt or drawn_alt)


def has_sections(analysis: Analysis) -> bool:
    """Whether the report groups by 工作板块: not for a register none of whose tasks has one.
    The notebooks show their by-section heading, chart and table only then."""
    return has_grouping(analysis, "section")


def has_grouping(analysis: Analysis, column: str) -> bool:
    """Whether any task has a value in ``column`` (``"section"``, ``"leaders"``,
    ``"partner_units"``): a notebook shows its part by that grouping only then."""
    from helpers.present.tables import has_grouping as any_value

    return any_value(analysis, column)


def show_subheading(title: str, note: str = "") -> None:
    """A part's heading (and a line under it), shown from a cell that shows the part only when
    there is something to show (a markdown cell would stay on the page)."""
    text = f"<h2>{html.escape(title)}</h2>"
    if note:
        text += f"<p>{html.escape(note)}</p>"
    display(HTML(text))


def footer(analysis: Analysis) -> None:
    """Show what produced the report: pack version, parameters, data file hashes, time."""
    p = analysis.provenance
    files = "；".join(f"{k}: {v['sha256'][:12]}" for k, v in p["files"].items())
    thresholds = "，".join(f"{k}={v}" for k, v in p["thresholds"].items())
    text = (
        f"生成信息：workreport-progress {p['pack_version']}，{p['generated_at']}；"
        f"参数：{p['parameters']['year']}年第{p['parameters']['quarter']}季度；"
        f"阈值：{thresholds}；数据文件（SHA-256前12位）：{files}"
    )
    display(HTML(f'<div class="wr-footer">{html.escape(text)}</div>'))


def show_body(analysis: Analysis) -> None:
    """Show the report's body in the office's style (escaped)."""
    from helpers.present.narrative import build_body, to_html

    display(HTML(to_html(build_body(analysis))))


def show_memo(analysis: Analysis) -> None:
    """Show the internal memo (内部参考), set apart from the letter (escaped)."""
    from helpers.present.narrative import build_memo, memo_to_html

    display(HTML(memo_to_html(build_memo(analysis))))


def show_annexes(analysis: Analysis) -> None:
    """Show the annex tables the letter cites, numbered as the letter numbers them.

    The annex of tasks filed as 正常推进 (usually the longest) is searchable and sortable.
    """
    from helpers.present import tables
    from helpers.present.narrative import build_body

    body = build_body(analysis)
    for title, key in zip(body.annex_list, body.annexes, strict=True):
        number, _, name = title.partition(".")
        display(HTML(f"<h2>附件{html.escape(number)} {html.escape(name)}</h2>"))
        df = tables.annex_table(analysis, key)
        if key == "normal":
            show_interactive(df)
        else:
            show_table(df)


def show_heading(analysis: Analysis, part: str) -> None:
    """Show the page heading with the year and period taken from the parameters."""
    subject = analysis.settings.report.title_subject
    text = f"{analysis.year}年{subject}推进情况（{analysis.period}）· {part}"
    display(HTML(f"<h2>{html.escape(text)}</h2>"))


def headline_text(analysis: Analysis) -> str:
    """The counts the office's own report states, in one line, for a checked notebook cell.

    Only counts a person can verify against the source document (the indicators' 1/7/2 and the
    tasks' 122/9); the pack's own measures are shown elsewhere.
    """
    s = analysis.summary()
    ind, rep = s["indicators_by_status"], s["tasks_by_reported_status"]
    return (
        f"{analysis.year}年{analysis.period}：指标{s['indicators']}项，符合预期{ind.get(IndicatorStatus.MET, 0)}，"
        f"不达预期{ind.get(IndicatorStatus.MISSED, 0)}，"
        f"符合时间节点要求{ind.get(IndicatorStatus.ON_SCHEDULE, 0)}；"
        f"任务{s['tasks']}项，正常推进{rep.get(TaskStatus.NORMAL, 0)}，"
        f"推进较为滞后{rep.get(TaskStatus.LAGGING, 0)}"
    )
