"""Run the report for one or more quarters: notebooks with papermill, HTML, Word, tables.

For each quarter: the engine runs first (a data error stops the quarter before any notebook
starts), then every notebook runs in its own process. This process is idle while a kernel runs,
so it does its own share meanwhile: it writes the Word report, and renders each executed
notebook to HTML without code (and its part of the single-file ``report.html``) as soon as that
notebook is done. Everything is built in a staging folder and swapped in only when all of it
succeeded, so a failed re-run never destroys the last good report. A failed notebook is kept in
``<out>/../_failed/`` for inspection, named in the message with its cell, and the run exits 1.
"""

from __future__ import annotations

import functools
import html
import os
import re
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from helpers.core import paths
from helpers.core.errors import DataError
from helpers.core.messages import say


def _import_nbformat():
    """``nbformat``, imported without jsonschema's optional IRI format checker.

    nbformat imports jsonschema, which imports ``rfc3987_syntax`` when it is installed (it is,
    through jupyter-events, for JupyterLab) to check the ``iri`` format; that module builds a
    parser for the whole RFC 3987 grammar when imported: 1-2 s on a small machine, in every
    ``workreport run``, for a format no notebook schema uses (nbformat validates with
    fastjsonschema anyway). Known upstream: python-jsonschema/jsonschema#1428. Only this
    process's import of jsonschema is affected; a later import of ``rfc3987_syntax`` works.
    """
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        import nbformat

        return nbformat
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # "not installed"
    try:
        import nbformat
    finally:
        if sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]
    return nbformat


nbformat = _import_nbformat()

NOTEBOOK_TITLES = {
    "00_report": "总报告",
    "01_indicators": "经济社会发展预期目标",
    "02_key_tasks": "重点工作任务",
    "03_owners": "责任主体",
    "04_annexes": "附件1-3",
    "05_change": "变化与年底预计",
}
# A notebook whose part of the analysis is empty is not run (a 民生实事 register has no
# indicators): the page would say only that there is nothing to show.
SKIP_WHEN_EMPTY = {"01_indicators": "indicators"}


def page_titles(analysis) -> dict[str, str]:
    """Each notebook's title in the navigation, in the office's words: its ``task_noun``
    (重点工作任务, 民生实事项目 …) and as many annexes as the letter cites (附件1-3, 附件1 …)."""
    from helpers.present.narrative import cited_annexes

    n = len(cited_annexes(analysis))
    return NOTEBOOK_TITLES | {
        "02_key_tasks": analysis.settings.report.task_noun,
        "04_annexes": "附件" + ("" if n == 0 else "1" if n == 1 else f"1-{n}"),
    }


def subject(analysis) -> str:
    """What the report is about, for page titles: 2022年第3季度 县民生实事项目推进情况."""
    return f"{analysis.year}年第{analysis.quarter}季度 {analysis.settings.report.title_subject}推进情况"


def report_notebooks(notebooks: list[Path], analysis) -> list[Path]:
    """The notebooks this quarter's report runs: all but those whose data is empty."""
    return [
        nb
        for nb in notebooks
        if nb.stem not in SKIP_WHEN_EMPTY or len(getattr(analysis, SKIP_WHEN_EMPTY[nb.stem]))
    ]


@dataclass
class NotebookResult:
    """What happened to one notebook run."""

    name: str
    ok: bool
    output: Path
    seconds: float
    error: str = ""


def list_notebooks(notebooks_dir: Path) -> list[Path]:
    """The report's notebooks, in order (``NN_name.ipynb``)."""
    found = sorted(p for p in Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise DataError.at(notebooks_dir, say("batch.no_notebooks"))
    return found


def _failed_cell(nb_path: Path) -> str:
    """Name the cell that failed in an executed notebook: its index and first line."""
    try:
        nb = nbformat.read(nb_path, as_version=4)
    except Exception:  # the notebook may be unreadable if the kernel died mid-write
        return ""
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                return say(
                    "batch.failed_cell",
                    cell=i,
                    first=first[:60],
                    ename=out.get("ename"),
                    evalue=out.get("evalue"),
                )
    return ""


def run_notebook(
    src: Path,
    dest: Path,
    parameters: dict,
    timeout: int,
    cwd: Path,
    warm_next: list[str] | None = None,
    log_dir: str = "",
) -> NotebookResult:
    """Execute one notebook with papermill (in this process, a worker of the pool).

    The notebook runs on the kernel this worker started ahead of time, if there is one
    (:mod:`helpers.run.kernels`), else on one started now. ``warm_next`` (the modules the next
    notebook this worker runs imports) starts that notebook's kernel before this one runs, so it
    starts and imports meanwhile. Retries a failed kernel start once, on a new kernel. The HTML
    page is rendered by the run itself, while the next notebook runs (:func:`_build_quarter`).
    """
    import papermill as pm

    from helpers.run import kernels

    # The kernel's own chatter (transport warnings, shutdown notices) goes to a log beside the
    # executed notebook, not to the analyst's terminal. This runs in a worker process.
    log = open(dest.with_suffix(".log"), "ab")  # noqa: SIM115 - kept open for the kernel's life
    os.dup2(log.fileno(), 2)
    start = time.perf_counter()
    engine = kernels.register_engine()
    spare = kernels.take(cwd)
    if warm_next is not None:
        kernels.start_spare(warm_next, cwd, log_dir)
    for attempt in (1, 2):
        try:
            if spare is None:  # a kernel that cannot start fails this notebook, as papermill's
                spare = kernels.start(kernels.notebook_modules(src), cwd, log_dir)
            pm.execute_notebook(
                str(src),
                str(dest),
                parameters=parameters,
                kernel_name=kernels.KERNEL_NAME,
                cwd=str(cwd),
                progress_bar=False,
                execution_timeout=timeout,
                request_save_on_cell_execute=False,
                engine_name=engine,
                km=spare.km,
            )
            return NotebookResult(src.stem, True, dest, time.perf_counter() - start)
        except pm.PapermillExecutionError as exc:
            detail = _failed_cell(dest) or say(
                "batch.failed_at",
                cell=exc.exec_count,
                ename=exc.ename,
                evalue=exc.evalue,
            )
            return NotebookResult(src.stem, False, dest, time.perf_counter() - start, detail)
        except Exception as exc:  # kernel start collisions, cell timeouts, dead kernels
            if attempt == 2 or "timeout" in type(exc).__name__.lower() or "Timeout" in str(exc):
                detail = _failed_cell(dest) or f"{type(exc).__name__}: {exc}"
                return NotebookResult(src.stem, False, dest, time.perf_counter() - start, detail)
        finally:
            # The engine has ended the kernel, unless it failed to start; its log is complete.
            if spare is not None:
                kernels.shutdown(spare, keep_log=True)
                kernels.append_log(spare, dest.with_suffix(".log"))
            spare = None
    raise AssertionError("unreachable")  # pragma: no cover


def _warm_worker() -> None:
    """Import papermill in a worker of the pool while the run computes the analysis."""
    import papermill  # noqa: F401


@functools.cache
def _exporter():
    """The HTML exporter with the offline template, made once per process (its template is
    compiled once, not once per page)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="offline",
        extra_template_basedirs=[str(paths.TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    # A cell tagged wr-test is the notebooks' own check (nbval compares its output): not a page's.
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={"wr-test"}), enabled=True
    )
    return exporter


#: Put before each cell's HTML when a page is rendered for cutting into cells (the offline
#: template's ``any_cell``); removed from every page written.
CELL_MARK = f"<!--wr-cell-{secrets.token_hex(8)}-->"  # no page's text can hold it by chance


def _html(nb, title: str, marks: bool = False) -> str:
    nb.metadata["title"] = title
    resources = {"metadata": {"name": title}, "wr_cell_mark": CELL_MARK if marks else ""}
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return body


def read_executed(path: Path):
    """An executed notebook as papermill wrote it (nbformat 4, validated as it was written)."""
    return nbformat.v4.reads(Path(path).read_text(encoding="utf-8"))


def render_html(executed, dest: Path, title: str) -> str:
    """Render an executed notebook to standalone HTML (no code, nothing loaded from the web),
    write it to ``dest``, and return it with :data:`CELL_MARK` before each cell."""
    from helpers.core.writing import write_text

    nb = read_executed(executed) if isinstance(executed, Path | str) else executed
    page = _html(nb, title, marks=True)
    write_text(page.replace(CELL_MARK, ""), dest)
    return page


#: Cells left out of the single file ``report.html``: the internal memo (内部参考) stays in the
#: report folder, and the provenance footer is shown once, at the end.
SINGLE_FILE_OMITS = ("nb.show_memo(", "nb.footer(")


def single_file_title(about: str) -> str:
    return f"{about}（单文件）"


def single_file_contents(stems: list[str], about: str, titles: dict[str, str] | None = None):
    """The first cell of ``report.html``: what it holds, each part linked."""
    titles = NOTEBOOK_TITLES if titles is None else titles
    toc = "".join(
        f"\n{i}. [{titles.get(stem, stem)}](#wr-part-{i})" for i, stem in enumerate(stems, 1)
    )
    return nbformat.v4.new_markdown_cell(f"**{about}**：{toc}", id="wr-contents")


def single_file_anchor(number: int):
    """The cell that starts part ``number`` (from 1) of ``report.html``: the contents link here."""
    return nbformat.v4.new_markdown_cell(f'<a id="wr-part-{number}"></a>', id=f"wr-part-{number}")


def single_file_role(cell) -> str:
    """What a notebook's cell is in ``report.html``: ``"part"`` (shown), ``"footer"`` (the
    provenance footer, shown once at the end) or ``"omitted"``."""
    if "pages-only" in cell.metadata.get("tags", []):  # e.g. "see the other pages"
        return "omitted"
    if cell.cell_type == "code" and any(s in cell.source for s in SINGLE_FILE_OMITS):
        return "footer" if "nb.footer(" in cell.source else "omitted"
    return "part"


def single_file_part(number: int, nb) -> tuple[list, object | None]:
    """One executed notebook's cells in ``report.html`` (numbered ``number`` from 1), and its
    provenance footer cell (shown once, at the end, from the last part that has one)."""
    cells, footer = [single_file_anchor(number)], None
    for cell in nb.cells:
        role = single_file_role(cell)
        if role == "part":
            cells.append(cell)
        elif role == "footer":
            footer = cell
    return cells, footer


def _on_page(cell) -> bool:
    """Whether nbconvert keeps the cell on a page (:func:`_exporter` removes wr-test cells)."""
    return "wr-test" not in cell.metadata.get("tags", [])


class SingleReport:
    """``report.html``, the one self-contained page holding every part (letter, charts, tables,
    annexes): the file that can be forwarded alone.

    Built from the executed notebooks' own pages, so nothing is run or rendered twice: each
    page is rendered with a mark before every cell, and :meth:`add` takes the cells a part
    shows from it; :meth:`write` renders the contents and the part anchors in one go and joins
    everything. The page is the one nbconvert makes of all the parts in one notebook (a test
    checks).
    """

    def __init__(self, stems: list[str], about: str, titles: dict[str, str] | None = None) -> None:
        self.title = single_file_title(about)
        self.contents = single_file_contents(stems, about, titles)
        self.parts: dict[int, str] = {}
        self.footers: dict[int, str] = {}
        self.metadata: dict | None = None  # the first notebook's, as the page's
        self._empty: str | None = None

    def _render(self, cells, metadata, marks: bool = False) -> str:
        nb = nbformat.v4.new_notebook(metadata=dict(metadata or {}))
        nb.metadata["wr_single_file"] = True
        nb.cells = list(cells)
        return _html(nb, self.title, marks)

    def _chunks(self, page: str, metadata) -> list[str]:
        """The HTML of each cell of a page rendered with marks, as it stands inside ``<main>``."""
        if self._empty is None:  # what <main> holds after the cells: the same on every page
            self._empty = _main_inner(self._render([], metadata))
        inner, empty = _main_inner(page), self._empty
        if not inner.endswith(empty):  # pragma: no cover - a template that wraps the cells
            raise AssertionError("the offline template no longer ends <main> as expected")
        return inner[: len(inner) - len(empty)].split(CELL_MARK)[1:]

    def add(self, index: int, nb, page: str) -> None:
        """Take the part of the notebook at ``index`` (0 for the first) from its ``page``
        (:func:`render_html`)."""
        if index == 0:
            self.metadata = nb.metadata
        shown = [cell for cell in nb.cells if _on_page(cell)]
        chunks = self._chunks(page, nb.metadata)
        if len(chunks) != len(shown):  # pragma: no cover - a template that drops cells
            raise AssertionError("the page's cells are not the notebook's")
        part = []
        for cell, chunk in zip(shown, chunks, strict=True):
            role = single_file_role(cell)
            if role == "part":
                part.append(chunk)
            elif role == "footer":
                self.footers[index] = chunk
        self.parts[index] = "".join(part)

    def write(self, dest: Path) -> Path:
        from helpers.core.writing import write_text

        shell = self._render([], self.metadata)
        cut = shell.index("<main>") + len("<main>")
        numbers = [i + 1 for i in sorted(self.parts)]
        frame = [self.contents] + [single_file_anchor(n) for n in numbers]
        contents, *anchors = self._chunks(self._render(frame, self.metadata, marks=True), None)
        body = contents + "".join(
            anchor + self.parts[i] for anchor, i in zip(anchors, sorted(self.parts), strict=True)
        )
        if self.footers:
            body += self.footers[max(self.footers)]
        return write_text(shell[:cut] + body + shell[cut:], dest)


def _main_inner(page: str) -> str:
    return page[page.index("<main>") + len("<main>") : page.rindex("</main>")]


def index_page(
    about: str,
    pages: list[tuple[str, str]],
    extras: list[tuple[str, str]],
    report_html: Path,
) -> str:
    """The one page to send: the report itself first, then links to the rest."""
    e = html.escape
    links = "".join(f'<li><a href="{e(href)}">{e(label)}</a></li>' for label, href in pages)
    files = "".join(f'<li><a href="{e(href)}">{e(label)}</a></li>' for label, href in extras)
    report = report_html.read_text(encoding="utf-8")
    head_end = report.find("</head>")
    head = report[report.find("<head>") + len("<head>") : head_end]
    # The report page's "back to index" link would point at this very page.
    report = re.sub(r'<nav class="wr-back">.*?</nav>', "", report, flags=re.S)
    # The report page's own <body> content is embedded whole, so the index reads as the report.
    start = report.find("<body")
    start = report.find(">", start) + 1
    end = report.rfind("</body>")
    nav = (
        f'<nav class="wr-nav" style="max-width:60em;margin:1em auto;padding:0.5em 1em;'
        f'border:1px solid #c8d0da;background:#f6f8fa">'
        f"<b>{e(about)}</b>：本页为总报告；分册："
        f'<ul style="margin:0.3em 0">{links}</ul>数据文件：<ul style="margin:0.3em 0">{files}</ul></nav>'
    )
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head>{head}</head><body class="jp-Notebook">'
        f"{nav}{report[start:end]}</body></html>\n"
    )


def run_quarter(
    year: int,
    quarter: int,
    data_dir: Path,
    out: Path,
    jobs: int,
    timeout: int,
    settings_file: str,
    notebooks_dir: Path,
    progress: bool,
    scheduler: str = "",
    pool: Executor | None = None,
) -> list[NotebookResult]:
    """Build one quarter's report folder. Raises DataError on bad data; returns notebook results.

    ``pool`` runs the notebooks (:func:`worker_pool`); without it one is made for this quarter.
    """
    if pool is None:
        with worker_pool(jobs, scheduler) as own:
            return run_quarter(
                year, quarter, data_dir, out, jobs, timeout, settings_file, notebooks_dir,
                progress, scheduler, own,
            )  # fmt: skip
    from helpers.compute import cache
    from helpers.compute.engine import analyse
    from helpers.present.figures import FigureStore, run_charts
    from helpers.run import kernels

    every = list_notebooks(notebooks_dir)
    # The run's own temporary folder: the analysis and charts it hands over, and its kernels'
    # logs until each is added to its notebook's; removed however the run ends.
    with tempfile.TemporaryDirectory(prefix="workreport-analysis-") as cache_dir:
        # Kernels started ahead of time (local workers only): the first notebooks' kernels
        # start while the analysis is computed, and each notebook starts the kernel of the one
        # ``ahead`` places on, the next but one its worker runs (workers take notebooks in turn).
        ahead = kernels.AHEAD * max(1, jobs) if not scheduler else 0
        for nb in every[:ahead]:
            pool.submit(kernels.start_spare, kernels.notebook_modules(nb), notebooks_dir, cache_dir)
        if not scheduler:
            for _ in range(max(1, jobs)):
                pool.submit(_warm_worker)
        analysis = analyse(year, quarter, data_dir, settings_file or None)  # fail fast on data
        notebooks = report_notebooks(every, analysis)
        following = [
            kernels.notebook_modules(notebooks[i + ahead])
            if ahead and i + ahead < len(notebooks)
            else None
            for i in range(len(notebooks))
        ]
        parameters = {
            "year": year,
            "quarter": quarter,
            "data_dir": str(data_dir),
            "settings_file": str(settings_file or ""),
        }
        # The analysis is computed once, here, and handed to every notebook (a notebook whose
        # data changed since computes its own: helpers.compute.cache). So are the charts: the
        # run draws them while the kernels run, and each notebook takes its own
        # (helpers.present.figures).
        analysis_file = cache.save(
            analysis, Path(cache_dir), year, quarter, data_dir, settings_file
        )
        parameters["analysis_file"] = str(analysis_file)
        charts = FigureStore.beside(analysis_file)
        names = run_charts(notebooks, analysis)
        charts.promise(names)
        return _build_quarter(
            year, quarter, data_dir, out, timeout, notebooks_dir, progress,
            analysis, notebooks, following, parameters, pool, charts, names, cache_dir,
        )  # fmt: skip


def _build_quarter(
    year: int,
    quarter: int,
    data_dir: Path,
    out: Path,
    timeout: int,
    notebooks_dir: Path,
    progress: bool,
    analysis,
    notebooks: list[Path],
    following: list[list[str] | None],
    parameters: dict,
    pool: Executor,
    charts=None,
    chart_names: list[str] | None = None,
    log_dir: str = "",
) -> list[NotebookResult]:
    from helpers.core.writing import staged_dir, write_text

    results: list[NotebookResult] = []
    failed_dir = out.parent / "_failed" / f"{out.name}-{datetime.now():%Y%m%d-%H%M%S}"
    try:
        with staged_dir(out, data_dir) as stage:
            nb_out = stage / "notebooks"
            nb_out.mkdir()
            bar = None
            if progress:
                from tqdm import tqdm

                bar = tqdm(
                    total=len(notebooks),
                    desc=say("batch.bar", year=year, quarter=quarter),
                    unit=say("batch.bar_unit"),
                    file=sys.stderr,
                )
            futures: dict[Future, int] = {}
            for i, nb in enumerate(notebooks):
                args = (nb, nb_out / nb.name, parameters, timeout, notebooks_dir, following[i])
                futures[pool.submit(run_notebook, *args, log_dir)] = i
            try:
                titles, about = page_titles(analysis), subject(analysis)
                report = SingleReport([nb.stem for nb in notebooks], about, titles)
                # This process's own work, done while the kernels run: the charts (in the
                # order the notebooks show them), the tables, the Word report, then each
                # notebook's page and its part of report.html as soon as that notebook is done.
                from helpers.present.docx_report import write_docx
                from helpers.present.tables import write_tables

                if charts is not None:
                    charts.draw_all(analysis, chart_names or [])
                write_tables(analysis, stage / "data", data_dir)
                write_docx(analysis, stage / "report.docx")
                for fut in as_completed(futures):
                    result = fut.result()
                    results.append(result)
                    if bar:
                        bar.update(1)
                    if result.ok and all(r.ok for r in results):
                        i = futures[fut]
                        executed = read_executed(result.output)
                        title = f"{about} · {titles.get(notebooks[i].stem, notebooks[i].stem)}"
                        page = render_html(executed, stage / f"{notebooks[i].stem}.html", title)
                        report.add(i, executed, page)
            except BaseException:  # the last good report stays; notebooks not started never run
                if charts is not None:
                    charts.abandon()  # a notebook waiting for a chart draws it itself
                for fut in futures:
                    fut.cancel()
                raise
            if bar:
                bar.close()
            bad = [r for r in results if not r.ok]
            if bad:
                _keep_failed(bad, failed_dir)
                raise _NotebooksFailed(bad, failed_dir)
            pages = [(titles.get(nb.stem, nb.stem), f"{nb.stem}.html") for nb in notebooks]
            extras = [
                ("单文件报告 report.html（可单独转发，不含内部参考）", "report.html"),
                ("Word 报告 report.docx", "report.docx"),
                ("指标表 indicators.csv", "data/indicators.csv"),
                ("子目标表 targets.csv", "data/targets.csv"),
                ("任务表 tasks.csv", "data/tasks.csv"),
                ("认定与测算不一致 disagreements.csv", "data/disagreements.csv"),
                ("数据核查 checks.csv", "data/checks.csv"),
                ("汇总 summary.json", "data/summary.json"),
            ]
            report.write(stage / "report.html")
            report_page = stage / f"{notebooks[0].stem}.html"
            write_text(index_page(about, pages, extras, report_page), stage / "index.html")
    except _NotebooksFailed:
        return sorted(results, key=lambda r: r.name)
    return sorted(results, key=lambda r: r.name)


@contextmanager
def worker_pool(jobs: int, scheduler: str = "") -> Iterator[Executor]:
    """Where the notebooks run: one code path, two kinds of pool.

    Without ``scheduler``: ``jobs`` local processes that end with this one; they start the
    first kernels and import papermill while this process computes the analysis
    (:func:`run_quarter`). With a scheduler address
    (``tcp://host:8786``): the workers of that Dask distributed cluster, through its
    ``concurrent.futures`` executor (the optional extra ``.[distributed]``). Workers must see
    the same paths as this machine (data, notebooks and report folders on a shared disk); a
    worker that cannot read the analysis this run computed computes its own.
    """
    if not scheduler:
        with ProcessPoolExecutor(
            max_workers=max(1, jobs), initializer=end_with_parent, initargs=(os.getpid(),)
        ) as pool:
            try:
                yield pool
            except BaseException:  # a data error: the kernels queued to start never start
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        return
    try:
        from distributed import Client
    except ImportError:
        raise DataError.at(
            "parameters",
            "使用 --scheduler 需先安装可选依赖：pip install 'workreport-progress[distributed]'",
            column="scheduler",
        ) from None
    with Client(scheduler) as client, client.get_executor(pure=False) as pool:
        yield pool


def _keep_failed(bad: list[NotebookResult], failed_dir: Path) -> None:
    """Copy the failed notebooks for inspection: whole files only, never an empty one."""
    from helpers.core.writing import OUTPUT_MARKER, write_bytes

    failed_dir.mkdir(parents=True, exist_ok=True)
    for folder in (failed_dir.parent, failed_dir):
        marker = folder / OUTPUT_MARKER
        if not marker.exists():
            write_bytes(b'{"written_by": "workreport-progress", "files": []}\n', marker)
    for r in bad:
        if r.output.is_file() and r.output.stat().st_size > 0:
            write_bytes(r.output.read_bytes(), failed_dir / r.output.name)


def end_with_parent(parent_pid: int) -> None:
    """Worker initializer: the worker ends when the process that started it ends.

    On Linux the kernel sends SIGKILL to the worker when its parent dies (PR_SET_PDEATHSIG);
    elsewhere a watchdog thread checks the parent once a second. A Jupyter kernel started by
    the worker ends with the worker in turn (ipykernel watches its parent, JPY_PARENT_PID).
    """
    import signal
    import threading

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl
            pass

    started_by = os.getppid()  # the run, or the start method's server process

    def orphaned() -> bool:
        if os.getppid() != started_by:
            return True
        try:
            os.kill(parent_pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
        return False

    def watch() -> None:
        while not orphaned():
            time.sleep(1)
        os._exit(1)

    if orphaned():  # the run died before the signal was armed
        os._exit(1)
    threading.Thread(target=watch, daemon=True, name="end-with-parent").start()


class _NotebooksFailed(Exception):
    def __init__(self, bad, failed_dir):
        self.bad, self.failed_dir = bad, failed_dir
        super().__init__(", ".join(r.name for r in bad))


def run_many(
    years: list[int],
    quarters: list[int],
    data_dir: Path,
    out: Path | None,
    jobs: int,
    timeout: int,
    settings_file: str,
    notebooks_dir: Path,
    progress: bool = True,
    scheduler: str = "",
) -> int:
    """Run every (year, quarter) asked for; return 0 if all succeeded, 1 if any notebook failed.

    Raises
    ------
    DataError
        Bad parameters or data, before any notebook runs for that quarter.
    """
    if jobs < 1:
        raise DataError.at("parameters", say("param.jobs", value=jobs), column="jobs")
    if timeout < 1:
        raise DataError.at("parameters", say("param.timeout", value=timeout), column="timeout")
    pairs = [(y, q) for y in years for q in quarters]
    if out is not None and len(pairs) > 1:
        raise DataError.at(
            "parameters",
            say("param.out_one_quarter"),
            column="out",
        )
    status = 0
    # One pool for every quarter: its workers start now, while the first analysis is computed.
    with worker_pool(jobs, scheduler) as pool:
        for year, quarter in pairs:
            target = out or paths.report_dir(paths.REPORTS_DIR, year, quarter)
            started = time.perf_counter()
            results = run_quarter(
                year,
                quarter,
                Path(data_dir).resolve(),
                Path(target).resolve(),
                jobs,
                timeout,
                settings_file,
                Path(notebooks_dir).resolve(),
                progress,
                scheduler,
                pool,
            )
            bad = [r for r in results if not r.ok]
            if bad:
                status = 1
                failed = Path(target).resolve().parent / "_failed"
                for r in bad:
                    print(
                        say("batch.failed", year=year, quarter=quarter, name=r.name, error=r.error),
                        file=sys.stderr,
                    )
                print(say("batch.failed_kept", failed=failed, target=target), file=sys.stderr)
            else:
                print(
                    say(
                        "batch.done",
                        year=year,
                        quarter=quarter,
                        count=len(results),
                        seconds=time.perf_counter() - started,
                        index=Path(target) / "index.html",
                    )
                )
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(
        run_many(
            [2022], [3], paths.DATA_DIR, None, os.cpu_count() or 1, 600, "", paths.NOTEBOOKS_DIR
        )
    )
