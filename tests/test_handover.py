"""What a batch run hands its notebooks besides the analysis: the charts it drew, and kernels
started ahead of time. Neither may change what a notebook shows or does.

Nothing here is timed: speed is measured as ratios in ``benchmarks/run.py``.
"""

from __future__ import annotations

import ast
import json
import sys
import time
from pathlib import Path

import nbformat
import pytest

from helpers.core import paths
from helpers.core.errors import DataError
from helpers.present import figures
from helpers.present import notebook as nb
from helpers.present.figures import CHARTS, FigureStore
from helpers.run import kernels


# --- charts -----------------------------------------------------------------------------------
def test_every_notebook_names_its_charts_and_every_chart_is_shown():
    shown = {
        p.stem: figures.notebook_charts(p) for p in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))
    }
    assert shown["00_report"] == ["tasks_by_section"]
    assert shown["02_key_tasks"] == ["subtargets", "subtargets_by_section"]
    assert shown["03_owners"] == ["leaders", "lead_units"]
    assert sorted(n for names in shown.values() for n in names) == sorted(CHARTS)


def test_the_run_draws_every_chart_its_notebooks_show_that_has_something_to_show(analysis):
    notebooks = sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    named = [n for p in notebooks for n in figures.notebook_charts(p)]
    # The built-in register has sections: every chart is drawn, in the order shown.
    assert figures.run_charts(notebooks, analysis) == named
    # A chart by section is shown only under ``if by_section:`` (``nb.has_sections``), so a
    # register without sections shows none of it in JupyterLab either.
    for p in notebooks:
        code = "\n".join(
            c.source for c in nbformat.read(p, as_version=4).cells if c.cell_type == "code"
        )
        tree = ast.parse(code)
        assert ("by_section = nb.has_sections(analysis)" in code) == bool(
            figures.BY_SECTION & set(figures.notebook_charts(p))
        ), p.name
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and ast.unparse(node.test) == "by_section":
                continue
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.Expr) and "show_chart" in ast.unparse(child):
                    assert not any(f'"{n}"' in ast.unparse(child) for n in figures.BY_SECTION), (
                        p.name,
                        ast.unparse(child),
                    )


def test_a_chart_handed_over_is_the_chart_the_notebook_would_draw(analysis, tmp_path):
    store = FigureStore(tmp_path / "charts")
    store.promise(["lead_units", "indicators"])
    store.draw_all(analysis, ["lead_units", "indicators"])
    for name in ("lead_units", "indicators"):
        assert store.take(name) == figures.draw(analysis, name)
    png, alt = store.take("lead_units")
    assert png.startswith(b"\x89PNG") and alt == "各牵头单位任务推进情况"


def test_show_chart_shows_the_handed_chart_else_draws_it(analysis, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(nb, "display", lambda obj: shown.append(obj.data))
    store = FigureStore(tmp_path / "charts")
    store.promise(["indicators"])
    store.put("indicators", b"\x89PNG-handed", "图题")
    monkeypatch.setattr(nb, "_charts", store)
    monkeypatch.setattr(nb, "_handed", analysis)  # what setup() loaded from the run
    nb.show_chart(analysis, "indicators")
    assert 'alt="图题"' in shown[-1] and "iVBORy1oYW5kZWQ=" in shown[-1]  # base64 of the bytes
    # A notebook's own analysis (filtered, changed) is drawn from itself, not taken from the run.
    import dataclasses

    mine = dataclasses.replace(analysis, indicators=analysis.indicators.head(3))
    nb.show_chart(mine, "indicators")
    assert "iVBORy1oYW5kZWQ=" not in shown[-1] and 'src="data:image/png;base64,iVBOR' in shown[-1]
    monkeypatch.setattr(nb, "_charts", None)  # JupyterLab: drawn here
    nb.show_chart(analysis, "indicators")
    assert "iVBORy1oYW5kZWQ=" not in shown[-1] and 'src="data:image/png;base64,iVBOR' in shown[-1]


def test_the_notebook_draws_what_the_run_does_not_promise_or_could_not_draw(tmp_path):
    store = FigureStore(tmp_path / "charts")
    assert store.take("indicators") is None  # no list yet: not a batch run's store
    store.promise(["indicators", "leaders"])
    assert store.take("subtargets") is None  # not promised: no wait
    store.fail("leaders", RuntimeError("boom"))
    start = time.monotonic()
    assert store.take("leaders") is None  # failed: drawn (and the error shown) in the notebook
    assert store.take("indicators", timeout=0.05) is None  # never came
    assert time.monotonic() - start < 5
    store.abandon()  # the run stopped before drawing it: no wait at all
    start = time.monotonic()
    assert store.take("indicators") is None and time.monotonic() - start < 5


def test_a_failing_chart_is_marked_and_the_rest_still_drawn(analysis, tmp_path, monkeypatch):
    def broken(analysis):
        raise ValueError("坏图")

    monkeypatch.setitem(CHARTS, "broken", broken)
    store = FigureStore(tmp_path / "charts")
    store.promise(["broken", "leaders"])
    store.draw_all(analysis, ["broken", "leaders"])
    assert (store.folder / "broken.error").read_text(encoding="utf-8") == "ValueError: 坏图"
    assert store.take("broken") is None and store.take("leaders") is not None


def test_an_unknown_chart_name_says_which_exist(analysis):
    with pytest.raises(DataError, match="tasks_by_section"):
        figures.draw(analysis, "no_such_chart")


# --- kernels started ahead ------------------------------------------------------------------
def test_a_notebooks_modules_are_its_imports(tmp_path):
    nb_file = tmp_path / "x.ipynb"
    book = nbformat.v4.new_notebook()
    book.cells = [
        nbformat.v4.new_code_cell("import json, os.path\nfrom helpers.present import tables, nb_x"),
        nbformat.v4.new_code_cell("%matplotlib inline"),  # does not parse: skipped
        nbformat.v4.new_code_cell("from helpers.compute import history\nimport json"),
    ]
    nbformat.write(book, nb_file)
    assert kernels.notebook_modules(nb_file) == [
        "json",
        "os.path",
        "helpers.present.tables",
        "helpers.present.nb_x",  # not a module: preloading it imports its package
        "helpers.compute.history",
    ]
    assert kernels.notebook_modules(paths.NOTEBOOKS_DIR / "04_annexes.ipynb") == [
        "helpers.present.notebook"
    ]


@pytest.mark.notebook
def test_a_kernel_started_ahead_runs_a_notebook_as_a_fresh_one_would(tmp_path):
    import papermill as pm

    book = nbformat.v4.new_notebook()
    book.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    probe = (
        "import sys\n"
        "print(sorted(n for n in dir() if not n.startswith('_')), 'json' in sys.modules)"
    )
    book.cells = [nbformat.v4.new_code_cell(probe), nbformat.v4.new_code_cell("json")]
    src = tmp_path / "probe.ipynb"
    nbformat.write(book, src)
    fresh = tmp_path / "fresh.ipynb"
    with pytest.raises(pm.PapermillExecutionError, match="NameError"):
        pm.execute_notebook(
            str(src), str(fresh), kernel_name="python3", progress_bar=False, cwd=str(tmp_path)
        )

    kernels.start_spare(["json", "no_such_module_here"], tmp_path)
    spare = kernels.take(tmp_path)
    assert spare is not None and kernels.take(tmp_path) is None  # taken once
    warm = tmp_path / "warm.ipynb"
    try:
        with pytest.raises(pm.PapermillExecutionError, match="NameError"):
            pm.execute_notebook(
                str(src), str(warm), kernel_name="python3", progress_bar=False, cwd=str(tmp_path),
                engine_name=kernels.register_engine(), km=spare.km,
            )  # fmt: skip
    finally:
        kernels.shutdown(spare, keep_log=True)
    # (papermill puts a markdown cell naming the failed cell first)
    out_fresh = [c for c in nbformat.read(fresh, as_version=4).cells if c.cell_type == "code"]
    out_warm = [c for c in nbformat.read(warm, as_version=4).cells if c.cell_type == "code"]
    names_fresh = out_fresh[0].outputs[0]["text"].rsplit(" ", 1)[0]
    names_warm, preloaded = out_warm[0].outputs[0]["text"].rsplit(" ", 1)
    assert names_warm == names_fresh  # preloading bound no name: `json` is still undefined
    assert preloaded.strip() == "True"  # but the module was imported as the kernel started
    assert [c.execution_count for c in out_warm] == [1, 2]  # counts start at 1 as usual
    assert out_warm[1].outputs[0]["ename"] == "NameError"
    assert not _alive(spare)  # ended with its notebook
    log = tmp_path / "warm.log"
    kernels.append_log(spare, log)
    assert not spare.log.exists()


def _alive(spare) -> bool:
    from jupyter_core.utils import run_sync

    return run_sync(spare.km.is_alive)()


@pytest.mark.notebook
def test_kernels_nobody_took_end_with_their_worker(tmp_path):
    import subprocess

    code = (
        "import sys, json; from pathlib import Path; from helpers.run import kernels;"
        f"kernels.start_spare([], Path({str(tmp_path)!r}));"
        f"kernels.start_spare([], Path({str(tmp_path)!r}));"
        "print(json.dumps([s.km.provisioner.pid for s in kernels._spares]))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    pids = json.loads(out.stdout)
    assert len(pids) == kernels.AHEAD
    import psutil

    deadline = time.monotonic() + 20
    while any(psutil.pid_exists(p) and psutil.Process(p).status() != "zombie" for p in pids):
        assert time.monotonic() < deadline, "a kernel started ahead outlived its process"
        time.sleep(0.1)


@pytest.mark.notebook
def test_a_worker_forked_from_a_process_with_spares_neither_takes_them_nor_leaks_its_own(tmp_path):
    # A process that started kernels ahead itself (as this test process does) forks the run's
    # workers: a worker must not take the parent's kernels, and must end its own at exit.
    import glob
    import multiprocessing
    import tempfile

    pattern = str(Path(tempfile.gettempdir()) / "workreport-kernel-*")
    kernels.start_spare([], tmp_path)
    before = set(glob.glob(pattern))
    try:
        pool = multiprocessing.get_context("fork").Pool(1)
        assert pool.apply(_child_spares) == 0
        pool.apply(kernels.start_spare, ([], tmp_path))
        pool.close()
        pool.join()  # the worker ends normally, as a run's workers do
    finally:
        kernels.shutdown_spares()
    assert not (set(glob.glob(pattern)) - before), "a worker's kernel log outlived it"


def _child_spares() -> int:
    return len(kernels._spares)


@pytest.mark.notebook
def test_a_kernel_that_cannot_start_fails_each_notebook_not_the_run(tmp_path, monkeypatch, capsys):
    # A broken python3 kernel: each notebook fails with the reason, the run exits 1 (not a
    # crash blaming the output folder), and no kernel log is left behind.
    import glob
    import tempfile

    from helpers.run.batch import run_many

    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [
                    "/nonexistent/python",
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                ],
                "display_name": "Python 3",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    pattern = str(Path(tempfile.gettempdir()) / "workreport-kernel-*")
    before = set(glob.glob(pattern))
    status = run_many(
        [2022], [3], paths.DATA_DIR, tmp_path / "out", jobs=1, timeout=60, settings_file="",
        notebooks_dir=paths.NOTEBOOKS_DIR, progress=False,
    )  # fmt: skip
    assert status == 1
    err = capsys.readouterr().err
    assert err.count("失败：2022年第3季度") == 6  # each notebook, with the reason, as before
    assert "/nonexistent/python" in err or "FileNotFoundError" in err
    assert not (set(glob.glob(pattern)) - before)
