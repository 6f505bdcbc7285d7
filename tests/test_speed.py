"""The analysis computed once per batch, the lean charts and the pack's own sortable table.

Nothing here is timed: speed is measured as ratios in ``benchmarks/run.py``.
"""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from PIL import Image

from helpers.compute import cache
from helpers.compute.engine import Analysis, analyse
from helpers.present import notebook as nb


def test_cached_analysis_is_handed_back_unchanged(tmp_path, data_copy):
    computed = analyse(2022, 3, data_copy)
    path = cache.save(computed, tmp_path, 2022, 3, str(data_copy), "")
    loaded = cache.load(str(path), 2022, 3, str(data_copy), "")
    assert isinstance(loaded, Analysis)
    pd.testing.assert_frame_equal(loaded.subtargets, computed.subtargets)
    pd.testing.assert_frame_equal(loaded.tasks, computed.tasks)
    assert loaded.provenance == computed.provenance


def test_cached_analysis_is_refused_when_anything_it_depends_on_differs(tmp_path, data_copy):
    computed = analyse(2022, 3, data_copy)
    path = str(cache.save(computed, tmp_path, 2022, 3, str(data_copy), ""))
    assert cache.load(path, 2022, 2, str(data_copy), "") is None  # another quarter
    assert cache.load(path, 2022, 3, "", "") is None  # another data folder
    assert cache.load("", 2022, 3, str(data_copy), "") is None  # JupyterLab: no file
    assert cache.load(str(tmp_path / "gone.pickle"), 2022, 3, str(data_copy), "") is None
    progress = data_copy / "2022" / "Q3" / "progress.csv"
    progress.write_bytes(progress.read_bytes() + b"\n")  # the data changed since
    assert cache.load(path, 2022, 3, str(data_copy), "") is None
    returned = data_copy / "2022" / "Q3" / "returned_actuals.csv"
    path = str(cache.save(analyse(2022, 3, data_copy), tmp_path, 2022, 3, str(data_copy), ""))
    if not returned.exists():  # a file that appears since counts as a change too
        returned.write_text("task_id\n", encoding="utf-8")
        assert cache.load(path, 2022, 3, str(data_copy), "") is None


def test_a_foreign_file_is_not_used(tmp_path):
    junk = tmp_path / "analysis.pickle"
    junk.write_bytes(b"not a pickle")
    assert cache.load(str(junk), 2022, 3, "", "") is None


def test_setup_uses_the_cached_analysis(tmp_path, data_copy, monkeypatch):
    computed = analyse(2022, 3, data_copy)
    path = str(cache.save(computed, tmp_path, 2022, 3, str(data_copy), ""))
    monkeypatch.setattr(nb, "display", lambda *a, **k: None)
    monkeypatch.setattr(nb, "analyse", lambda *a, **k: pytest.fail("the engine ran again"))
    got = nb.setup(2022, 3, str(data_copy), "", path)
    assert got.provenance == computed.provenance


def test_figure_is_a_palette_png_at_page_width(analysis):
    from helpers.present import charts

    fig = charts.indicator_chart(analysis.indicators, analysis.settings)
    width_inches = fig.get_size_inches()[0]
    image = Image.open(io.BytesIO(nb.figure_png(fig)))
    assert image.format == "PNG" and image.mode == "P"
    assert image.size[0] == round(width_inches * nb.FIGURE_DPI)


def test_interactive_table_is_escaped_complete_and_needs_no_library(monkeypatch):
    shown = []
    monkeypatch.setattr(nb, "display", lambda obj: shown.append(obj.data))
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    df = pd.DataFrame({"任务": [evil, "乙"], "完成率": ["10.0%", "9.5%"]})
    nb.show_interactive(df, caption="附件3")
    page = "".join(shown)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'class="wr-table wr-sortable"' in page and 'class="wr-search"' in page
    assert page.count("<tr>") == 3  # the heading and every row, shown without the script too
    script = re.search(r"<script>(.*?)</script>", page, flags=re.S).group(1)
    assert "src=" not in script and "http" not in script
    assert len(script) < 4000


def test_chart_look_is_seaborns_whitegrid_without_importing_it():
    import subprocess
    import sys

    code = (
        "import matplotlib as mpl; from matplotlib import rcParamsDefault as d;"
        "import seaborn as sns; sns.set_theme(style='whitegrid');"
        "from helpers.present.fonts import WHITEGRID as w;"
        "diff = {k for k in d if mpl.rcParams[k] != d[k]} - {'image.cmap'};"
        "assert diff == set(w), diff ^ set(w);"
        "assert all(mpl.rcParams[k] == v for k, v in w.items())"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    code = (
        "import sys; from helpers.present import charts, notebook, tables;"
        "charts.setup_fonts(); assert 'seaborn' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_notebook_imports_only_what_it_draws_with():
    """A page without charts never imports matplotlib; a chart is shown without pyplot (and its
    inline backend); the batch imports nbformat without building jsonschema's IRI grammar."""
    import subprocess
    import sys

    code = (
        "import sys; from helpers.present import notebook as nb, tables;"
        "from helpers.compute import history;"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported';"
        "from helpers.present import charts; from helpers.compute.engine import analyse;"
        "a = analyse(2022, 3); nb.display = lambda *x: None;"
        "nb.show_figure(charts.indicator_chart(a.indicators, a.settings));"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported';"
        "import helpers.run.batch;"
        "assert 'nbformat' in sys.modules and 'rfc3987_syntax' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
