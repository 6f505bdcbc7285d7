"""The analysis computed once per quarter and handed to every notebook of a batch run.

``workreport run`` runs the engine once, writes the :class:`Analysis` to a file in a private
temporary folder and passes that file's path to each notebook (the papermill parameter
``analysis_file``). :func:`load` gives the analysis back only when it was made by the same pack
version, for the same parameters, from files whose contents have not changed since (each
input's SHA-256, a file that has appeared or gone counts as changed); otherwise it returns
``None`` and the notebook computes the analysis itself, as it does when opened in JupyterLab
(where ``analysis_file`` is empty).

The file is a pickle: it is only ever read from a path the batch itself wrote and passed.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path

import helpers
from helpers.compute.engine import Analysis

#: Bumped when the layout of the cached file changes.
FORMAT = 1


def _sha256(path: str) -> str | None:
    p = Path(path) if path else None
    if p is None or not p.is_file():
        return None
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _parameters(year, quarter, data_dir, settings_file) -> dict:
    return {
        "year": int(year),
        "quarter": int(quarter),
        "data_dir": str(Path(data_dir).resolve()) if data_dir else "",
        "settings_file": str(Path(settings_file).resolve()) if settings_file else "",
    }


def key(analysis: Analysis, parameters: dict) -> dict:
    """What the analysis depends on: pack version, parameters, each input file's SHA-256."""
    return {
        "format": FORMAT,
        "pack_version": helpers.__version__,
        "parameters": parameters,
        "inputs": {name: [path, _sha256(path)] for name, path in sorted(analysis.inputs.items())},
    }


def digest(k: dict) -> str:
    """A short name for a key (the cached file's name)."""
    text = json.dumps(k, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(text).hexdigest()[:24]


def save(analysis: Analysis, folder: Path, year, quarter, data_dir="", settings_file="") -> Path:
    """Write the analysis to ``folder/<key>.pickle``; return the file's path."""
    k = key(analysis, _parameters(year, quarter, data_dir, settings_file))
    path = Path(folder) / f"analysis-{digest(k)}.pickle"
    with open(path, "wb") as fh:
        pickle.dump({"key": k, "analysis": analysis}, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def load(path, year, quarter, data_dir="", settings_file="") -> Analysis | None:
    """The cached analysis if it is still the one these parameters and files give, else None."""
    if not path or not Path(path).is_file():
        return None
    try:
        with open(path, "rb") as fh:
            stored = pickle.load(fh)  # a file the batch wrote (module doc)
        analysis = stored["analysis"]
        expected = stored["key"]
    except Exception:  # an unreadable or foreign file: compute instead
        return None
    if not isinstance(analysis, Analysis):
        return None
    try:
        current = key(analysis, _parameters(year, quarter, data_dir, settings_file))
    except (TypeError, ValueError, OSError):
        return None
    return analysis if current == expected else None
