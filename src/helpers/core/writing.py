"""Every file the pack writes goes through here: atomically, so nothing is ever half-written.

A write goes to a temporary file in the same folder, then replaces the target in one rename. A
folder of outputs is built beside its final place and swapped in only when complete, so the last
good report survives a failed re-run.

Outputs own their folders. Every folder the pack creates for outputs holds a marker file,
``.workreport-output``, listing the files the pack wrote there. ``--out`` refuses a non-empty
folder without the marker and any folder inside the data folder; replacing a report folder
carries over whatever the pack did not write; a file is never overwritten unless the marker lists
it. Staging folders carry the writer's process id and are cleared by the next run once that
process is gone.

No live formulas: every text cell written to a CSV that begins with ``=``, ``+``, ``-``, ``@``,
tab or CR gets a leading single quote (OWASP's CSV-injection rule); numbers, negative ones
included, stay numbers. ``restore`` takes the quote off again, and the pack's CSV reader applies
it, so the pack reads its own files back unchanged.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import pandas as pd

from helpers.core.errors import DataError
from helpers.core.messages import say

OUTPUT_MARKER = ".workreport-output"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# What a report folder written before the marker existed holds: nothing else.
_LEGACY_REPORT = re.compile(
    r"^(index\.html|\d\d_\w+\.html|report\.docx|data/\w+\.(csv|json)"
    r"|notebooks/\d\d_\w+\.(ipynb|log))$"
)


# --- no live formulas -------------------------------------------------------------------------
def _runs(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula (and it is not a plain number)."""
    return text[:1] in FORMULA_START and not _NUMBER.match(text)


def neutralise(value):
    """Return a text value that a spreadsheet cannot read as a formula.

    A text that already starts with quotes before a formula character gets one more, so that
    ``restore`` gives back exactly what was typed.

    >>> neutralise("=HYPERLINK(1)"), neutralise("-3.5"), neutralise(-3.5), neutralise("正常")
    ("'=HYPERLINK(1)", '-3.5', -3.5, '正常')
    >>> neutralise("'=x")
    "''=x"
    """
    if isinstance(value, str) and _runs(value.lstrip("'")):
        return "'" + value
    return value


def restore(value):
    """Undo ``neutralise``: ``"'=x"`` -> ``"=x"``; anything else is returned as it is.

    >>> restore("'=HYPERLINK(1)"), restore("'abc"), restore("'-3"), restore("''=x")
    ('=HYPERLINK(1)', "'abc", "'-3", "'=x")
    """
    if isinstance(value, str) and value[:1] == "'" and _runs(value.lstrip("'")):
        return value[1:]
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells are neutralised (and CR line breaks made LF); numeric
    columns are left alone."""
    out = df.copy()
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].map(_csv_text, na_action="ignore")
    return out


def _csv_text(value):
    """A text cell as a CSV gets it: line breaks as LF (a lone CR would not be quoted and would
    split the row in Excel), then neutralised."""
    if isinstance(value, str) and "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return neutralise(value)


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success.

    On an exception the temporary file is removed and ``target`` is left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp makes 0600; outputs are shared files
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(text: str, target: str | Path, encoding: str = "utf-8") -> Path:
    """Write text atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding=encoding, newline="\n")
    return Path(target)


def write_bytes(data: bytes, target: str | Path) -> Path:
    """Write bytes atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_csv(df: pd.DataFrame, target: str | Path, bom: bool = True) -> Path:
    """Write a DataFrame as UTF-8 CSV, atomically.

    ``bom=True`` (the default for outputs) adds a byte-order mark so that Excel on a Chinese
    Windows opens the file as UTF-8 rather than GBK. The pack's own data files have no BOM.
    Text cells that a spreadsheet would read as a formula are neutralised (``neutralise``).
    """
    # Outputs carry 12 significant digits: the figures without binary noise (-15.000000000000002
    # → -15). The pack's own data files keep pandas' exact form, so rebuilding them is byte-stable.
    fmt = "%.12g" if bom else None
    text = neutralise_frame(df).to_csv(index=False, lineterminator="\n", float_format=fmt)
    return write_text(("\ufeff" if bom else "") + text, target)


def write_json(obj, target: str | Path) -> Path:
    """Write JSON (UTF-8, Chinese kept readable, keys in insertion order) atomically."""
    text = json.dumps(obj, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    return write_text(text, target)


def _json_default(value):
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, Path):
        return str(value)
    if pd.isna(value):
        return None
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


# --- outputs own their folders ----------------------------------------------------------------
def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def refuse_inside_data(out: str | Path, data_dir: str | Path | None, holds: bool = True) -> None:
    """Raise DataError when ``out`` is the data folder, inside it, or (``holds``: for an output
    folder the pack replaces) holds it."""
    if data_dir is None:
        return
    if _inside(Path(out), Path(data_dir)):
        raise DataError.at(
            out,
            say("out.inside_data", data_dir=Path(data_dir)),
            column="--out",
        )
    if holds and _inside(Path(data_dir), Path(out)):
        raise DataError.at(
            out,
            say("out.contains_data", data_dir=Path(data_dir)),
            column="--out",
        )


def owned_files(folder: str | Path) -> set[str] | None:
    """The files (relative, '/'-separated) the marker says the pack wrote; None: not ours.

    A report folder from before the marker existed counts as the pack's when every file in it
    is one the pack writes.
    """
    folder = Path(folder)
    marker = folder / OUTPUT_MARKER
    if marker.is_file():
        try:
            return set(json.loads(marker.read_text(encoding="utf-8")).get("files", []))
        except (ValueError, AttributeError):
            return set()
    if not folder.is_dir():
        return None
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    if files and all(_LEGACY_REPORT.match(f) for f in files):
        return files
    return None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _written_hashes(folder: Path) -> dict[str, str]:
    """The SHA-256 the marker recorded for each file when the pack wrote it (may be empty)."""
    try:
        info = json.loads((folder / OUTPUT_MARKER).read_text(encoding="utf-8"))
        return dict(info.get("sha256", {}))
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def _write_marker(folder: Path, files: Iterable[str], hashes: dict[str, str] | None = None) -> None:
    info = {
        "written_by": "workreport-progress",
        "note": "本文件夹由 workreport 生成；这里列出的文件会在重新生成时被替换，其他文件保留；"
        "生成后被改动过的文件另存为“（修改稿）”保留。",
        "updated": datetime.now().astimezone().isoformat(timespec="seconds"),
        "files": sorted(set(files) - {OUTPUT_MARKER}),
    }
    if hashes:
        info["sha256"] = dict(sorted(hashes.items()))
    write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n", folder / OUTPUT_MARKER)


def claim_dir(out: str | Path, data_dir: str | Path | None = None) -> Path:
    """Make ``out`` an output folder of the pack, or refuse.

    Refused: a folder inside ``data_dir``, a path that is a file, a non-empty folder without the
    marker. An absent or empty folder is created and marked.

    Raises
    ------
    DataError
        Naming the folder and why.
    """
    out = Path(out)
    refuse_inside_data(out, data_dir)
    if out.exists() and not out.is_dir():
        raise DataError.at(out, say("out.is_file"), column="--out")
    if out.is_dir() and any(out.iterdir()) and owned_files(out) is None:
        raise DataError.at(
            out,
            say("out.foreign_folder", marker=OUTPUT_MARKER),
            column="--out",
        )
    out.mkdir(parents=True, exist_ok=True)
    if not (out / OUTPUT_MARKER).is_file():
        _write_marker(out, owned_files(out) or set())
    return out


def write_owned(out: Path, writers: list[tuple[str, object]]) -> list[Path]:
    """Write files into a claimed folder: never over a file the marker does not list.

    ``writers`` holds (name, function(path) -> Path) pairs. The marker is updated first.
    """
    owned = owned_files(out) or set()
    foreign = [n for n, _ in writers if (out / n).exists() and n not in owned]
    if foreign:
        raise DataError.at(
            out / foreign[0],
            say("out.foreign_file"),
            column="--out",
        )
    # The marker lists the files before they are written: a run stopped half-way (a full disk)
    # leaves files the next run may replace, never files it would take for someone else's.
    _write_marker(out, owned | {n for n, _ in writers})
    return [write(out / name) for name, write in writers]


def record_written(out: Path, names: Iterable[str]) -> None:
    """Add files to the marker of a claimed folder: they are the pack's from now on."""
    _write_marker(out, (owned_files(out) or set()) | set(names))


def free_path(target: str | Path) -> Path:
    """``target`` if nothing is there, else the first free ``name(2).ext``, ``name(3).ext`` …"""
    target = Path(target)
    n = 2
    candidate = target
    while candidate.exists() or candidate.is_symlink():
        candidate = target.with_name(f"{target.stem}({n}){target.suffix}")
        n += 1
    return candidate


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clear_stale(parent: Path, name: str) -> list[Path]:
    """Remove staging and old folders of ``name`` left by a process that has ended.

    Only folders that carry the pack's marker are removed.
    """
    removed = []
    pattern = re.compile(rf"^\.{re.escape(name)}\.(staging|old)\.(\d+)(\..*)?$")
    if not parent.is_dir():
        return removed
    for p in parent.iterdir():
        m = pattern.match(p.name)
        if not m or not p.is_dir() or not (p / OUTPUT_MARKER).is_file():
            continue
        pid = int(m.group(2))
        if pid != os.getpid() and not _pid_alive(pid):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed


@contextlib.contextmanager
def staged_dir(target: str | Path, data_dir: str | Path | None = None) -> Iterator[Path]:
    """Build a folder's new contents in a staging folder, then swap it in whole.

    Refuses (DataError, before anything is written) a ``target`` inside ``data_dir``, or one
    that exists, is not empty and is not the pack's. Yields the staging folder. On success the
    staging folder becomes ``target``, with the files of the old ``target`` that the pack did not
    write carried over; the old folder is then removed. On failure the staging folder is removed
    and ``target`` is untouched. Stale staging folders of earlier, killed runs are cleared first.
    """
    target = Path(target)
    refuse_inside_data(target, data_dir)
    if target.exists() and not target.is_dir():
        raise DataError.at(target, say("out.is_file"), column="--out")
    if target.is_dir() and any(target.iterdir()) and owned_files(target) is None:
        raise DataError.at(
            target,
            say("out.foreign_folder", marker=OUTPUT_MARKER),
            column="--out",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    clear_stale(target.parent, target.name)
    stage = Path(
        tempfile.mkdtemp(prefix=f".{target.name}.staging.{os.getpid()}.", dir=target.parent)
    )
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(stage, 0o777 & ~umask)  # mkdtemp makes 0700; a report folder is shared
    try:
        _write_marker(stage, [])
        yield stage
        written = {
            p.relative_to(stage).as_posix()
            for p in stage.rglob("*")
            if p.is_file() and p.name != OUTPUT_MARKER
        }
        hashes = {rel: _sha256(stage / rel) for rel in written}
        if target.is_dir():
            _carry_over(target, stage)
        _write_marker(stage, written, hashes)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = target.parent / f".{target.name}.old.{os.getpid()}"
        if old.exists():
            shutil.rmtree(old)
        os.replace(target, old)
    os.replace(stage, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _carry_over(old: Path, stage: Path) -> None:
    """Move what the pack did not write from the old folder into the new one.

    A file the pack wrote and someone changed afterwards (an office edits ``report.docx`` in
    place) is the office's work now: it is kept beside the new one as ``report（修改稿）.docx``.
    """
    owned = (owned_files(old) or set()) | {OUTPUT_MARKER}
    for rel, digest in _written_hashes(old).items():
        p = old / rel
        if p.is_file() and _sha256(p) != digest:
            dest = stage / Path(rel).with_name(f"{p.stem}（修改稿）{p.suffix}")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, free_path(dest))
    for p in sorted(old.rglob("*")):
        rel = p.relative_to(old).as_posix()
        dest = stage / rel
        if p.is_dir():
            if not any(rel == f or f.startswith(rel + "/") for f in owned):
                dest.mkdir(parents=True, exist_ok=True)
            continue
        if rel in owned or p.name == OUTPUT_MARKER:  # a sub-folder's marker is the pack's too
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, free_path(dest))
