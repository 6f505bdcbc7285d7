"""``workreport run --scheduler``: the same batch on a Dask distributed cluster (here a local one).

Skipped when the optional extra ``.[distributed]`` is not installed (``.[dev]`` includes it).
"""

from __future__ import annotations

import pytest

from helpers.core import paths
from helpers.core.errors import DataError
from helpers.run import batch
from helpers.run.batch import run_many

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.notebook


def test_a_quarter_runs_on_a_dask_cluster(tmp_path):
    out = tmp_path / "2022-Q3"
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        status = run_many(
            [2022],
            [3],
            paths.DATA_DIR,
            out,
            jobs=1,
            timeout=300,
            settings_file="",
            notebooks_dir=paths.NOTEBOOKS_DIR,
            progress=False,
            scheduler=cluster.scheduler_address,
        )
    assert status == 0
    for nb in batch.list_notebooks(paths.NOTEBOOKS_DIR):
        assert (out / f"{nb.stem}.html").is_file()
    assert (out / "report.docx").is_file() and (out / "report.html").is_file()
    assert "9项任务推进较为滞后" in (out / "index.html").read_text(encoding="utf-8")


def test_scheduler_without_the_extra_says_what_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_distributed(name, *args, **kwargs):
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    with pytest.raises(DataError, match=r"\[distributed\]"), batch.worker_pool(1, "tcp://x:1"):
        pass
