"""Benchmark ``workreport form``: is writing the form linear in the number of tasks?

Synthetic registers of 5k and 20k tasks (built from the real 2022 rows, as ``run.py`` builds
them) are written as one combined form each, best of ``--repeats``. The figure that matters is
the ratio of the two times: 4.0 is linear (4× the tasks, 4× the time), 16 would be quadratic.
Each size is also set against a floor timed in the same run: openpyxl writing the register's rows,
15 unstyled cells each (form/floor). The 20k time is also set against the budget of 10 seconds (issue 13: it was 254 s; 5k: 15 s).

Run it with ``.venv/bin/python benchmarks/form_scaling.py [--sizes 5k 20k] [--repeats 2]``. It
prints a table and exits 1 if the ratio shows worse than linear (ratio > 6) or a size failed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # benchmarks/run.py (with synthetic.py): the synthetic register builder

BUDGET_SECONDS = 10.0  # for 20k tasks
LINEAR_LIMIT = 6.0  # 20k/5k above this is not linear any more (quadratic is 16)


def time_forms(sizes: list[int], repeats: int, workdir: Path) -> list[dict]:
    """Build a register per size, then time ``write_form`` and the floor on each, best of
    ``repeats``. Sizes alternate within each repeat so that a change of load on a shared
    machine falls on all of them alike."""
    from helpers.cycle.forms import write_form

    real = bench.read_real()
    data = {n: workdir / f"data-{n}" for n in sizes}
    for n in sizes:
        bench.build_register(data[n], n, real)
    res = {
        n: {"tasks": n, "seconds": float("inf"), "floor": float("inf"), "bytes": 0} for n in sizes
    }
    for k in range(repeats):
        for n in sizes:
            start = time.perf_counter()
            written = write_form(data[n], 2022, 3, workdir / f"form-{n}-{k}.xlsx")
            res[n]["seconds"] = min(res[n]["seconds"], time.perf_counter() - start)
            res[n]["bytes"] = written[0].stat().st_size
            start = time.perf_counter()
            plain_workbook(data[n], workdir / f"plain-{n}-{k}.xlsx")
            res[n]["floor"] = min(res[n]["floor"], time.perf_counter() - start)
    return [res[n] for n in sizes]


def plain_workbook(data: Path, out: Path) -> None:
    """The floor: read tasks.csv and write its rows, 15 cells each, with no styles at all."""
    import pandas as pd
    from openpyxl import Workbook

    tasks = pd.read_csv(data / "2022" / "tasks.csv", dtype=str, keep_default_na=False)
    wb = Workbook()
    ws = wb.active
    for row in tasks.itertuples(index=False):
        values = list(row)
        ws.append((values * 3)[:15])
    wb.save(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["5k", "20k"], help="register sizes")
    parser.add_argument("--repeats", type=int, default=2, help="runs per size; the best is kept")
    args = parser.parse_args(argv)
    sizes = [bench.parse_size(s) for s in args.sizes]
    workdir = Path(tempfile.mkdtemp(prefix="wr-form-bench-"))
    try:
        results = time_forms(sizes, args.repeats, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    rows = []
    for prev, cur in zip([None, *results], results, strict=False):
        ratio = cur["seconds"] / prev["seconds"] if prev else None
        size_ratio = cur["tasks"] / prev["tasks"] if prev else None
        rows.append(
            [
                bench.label(cur["tasks"]),
                f"{cur['seconds']:.2f}",
                f"{cur['tasks'] / cur['seconds']:.0f}",
                f"{cur['bytes'] / 1e6:.1f}",
                f"{cur['seconds'] / cur['floor']:.1f}",
                "" if ratio is None else f"{ratio:.2f} (linear {size_ratio:.1f})",
            ]
        )
    print(bench.table(["tasks", "seconds", "tasks/s", "MB", "form/floor", "time ratio"], rows))
    status = 0
    if len(results) >= 2:
        first, last = results[0], results[-1]
        ratio = last["seconds"] / first["seconds"]
        per_size = ratio / (last["tasks"] / first["tasks"])
        print(
            f"\ntime ratio {ratio:.2f} for {last['tasks'] / first['tasks']:.0f}× the tasks "
            f"({per_size:.2f}× linear)"
        )
        if ratio / (last["tasks"] / first["tasks"]) > LINEAR_LIMIT / 4:
            print("NOT LINEAR", file=sys.stderr)
            status = 1
    for r in results:
        if r["tasks"] == 20_000:
            verdict = "within" if r["seconds"] <= BUDGET_SECONDS else "OVER"
            print(f"20k tasks: {r['seconds']:.2f} s, {verdict} the {BUDGET_SECONDS:.0f} s budget")
    return status


if __name__ == "__main__":
    sys.exit(main())
