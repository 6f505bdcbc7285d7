"""Every file the pack writes goes through here: atomically, so nothing is ever half-written.

A write goes to a temporary file in the same folder, then replaces the target in one rename. A
folder of outputs is built beside its final place and swapped in only when complete, so the last
good report survives a failed re-run.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd


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
    """
    text = df.to_csv(index=False, lineterminator="\n")
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


@contextlib.contextmanager
def staged_dir(target: str | Path) -> Iterator[Path]:
    """Build a folder's new contents in a staging folder, then swap it in whole.

    Yields the staging folder. On success the old ``target`` (if any) is moved aside, the staging
    folder renamed to ``target``, and the old one removed. On failure the staging folder is
    removed and ``target`` is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging.", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(stage, 0o777 & ~umask)  # mkdtemp makes 0700; a report folder is shared
    try:
        yield stage
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
