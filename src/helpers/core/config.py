"""Load the settings file: thresholds, status words, colours and display names."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from helpers.core import paths
from helpers.core.errors import DataError

_NUMBER_KEYS = {
    "on_track_tolerance_pp",
    "red_below_pp",
    "growth_amber_pp",
    "level_amber_pp",
    "absurd_ratio",
}


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            out[key] = _merge(base[key], value)
        else:
            out[key] = value
    return out


def load_settings(path: str | Path | None = None) -> dict[str, Any]:
    """Return the pack's settings, with ``path``'s values laid over the defaults.

    Parameters
    ----------
    path : str or Path, optional
        A TOML file with some or all of the keys of ``src/helpers/settings.toml``. ``None`` or
        ``""`` gives the defaults.

    Raises
    ------
    DataError
        If the file is missing, not valid TOML, has an unknown section or key, or a threshold
        that is not a number.
    """
    defaults = tomllib.loads(paths.DEFAULT_SETTINGS.read_text(encoding="utf-8"))
    if not path:
        return defaults
    path = Path(path)
    if not path.is_file():
        raise DataError.at(path, "settings file not found")
    try:
        override = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise DataError.at(path, "not UTF-8 text; save it as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataError.at(path, f"not valid TOML: {exc}") from exc
    for section, values in override.items():
        if section not in defaults:
            raise DataError.at(path, f"unknown section [{section}]; known: {', '.join(defaults)}")
        if isinstance(values, dict) and section not in {"colours", "labels"}:
            for key in values:
                if key not in defaults[section]:
                    raise DataError.at(path, f"unknown key {key!r} in [{section}]")
    merged = _merge(defaults, override)
    for key in _NUMBER_KEYS:
        value = merged["thresholds"][key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DataError.at(
                path, f"[thresholds] {key} must be a number, got {value!r}", column=key
            )
    if merged["thresholds"]["red_below_pp"] < merged["thresholds"]["on_track_tolerance_pp"]:
        raise DataError.at(path, "[thresholds] red_below_pp must be ≥ on_track_tolerance_pp")
    return merged
