"""The settings: a typed, frozen object validated on load.

Defaults live in ``settings.toml`` beside this file. An office's own file may override any key;
every key and type is checked, unknown keys are refused, and nothing is read that is not declared
here, so a key that nothing uses cannot sit in the file pretending to do something.

>>> s = load_settings()
>>> s.thresholds.red_below_pp
30.0
>>> s.thresholds.lagging_statuses
(<SubtargetStatus.SEVERE: '严重滞后'>,)
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from helpers.core import paths
from helpers.core.errors import DataError
from helpers.core.messages import say
from helpers.core.vocab import STATUS_ORDER, SubtargetStatus


class FrozenMap(Mapping):
    """A read-only mapping that, unlike ``MappingProxyType``, can go to worker processes."""

    def __init__(self, data: Mapping) -> None:
        self._data = dict(data)

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


@dataclass(frozen=True)
class ReportNames:
    """How the report names its issuer, its recipient, its subject and its places.

    Nothing of one district is written in code: a new office sets these in its settings file
    (``workreport init`` writes one).
    """

    issuer: str  # the full name on the title line: 某某县人民政府督查办
    office: str  # how the office signs in the text: 县政府督查办
    recipient: str  # who the report goes to: 县政府
    place: str  # the district, county or city: 某某县
    title_subject: str  # in the title: 县政府工作报告重点任务 / 县民生实事项目
    body_subject: str  # in the opening sentence: 县政府工作报告重点工作任务
    task_noun: str  # what one item is called in counts: 重点工作任务 / 民生实事项目
    leader_label: str  # the leaders' column: 责任区领导 / 责任县领导 / 责任领导
    rank_label: str  # what an indicator's rank is among: 全市排名 / 全省排名


@dataclass(frozen=True)
class Thresholds:
    """The rules that turn numbers into status words (see docs/method.md)."""

    on_track_tolerance_pp: float
    red_below_pp: float
    growth_amber_pp: float
    level_amber_pp: float
    suspicious_ratio: float
    absurd_ratio: float
    lagging_statuses: tuple[SubtargetStatus, ...]
    credit_months_left: float


@dataclass(frozen=True)
class Words:
    """Words read in a progress text beside the numbers (docs/method.md sections 2.5 and 4)."""

    on_schedule: tuple[str, ...]
    under_way: tuple[str, ...]
    finished: tuple[str, ...]
    work_share: tuple[str, ...]
    year_share: tuple[str, ...]


#: The kinds of slippage a progress text can state, in the order ``[cues]`` lists them.
CUE_KINDS = (
    "not_started",
    "paused",
    "deferred",
    "cancelled",
    "failed",
    "restarted",
    "adjusted",
    "stalled",
    "at_risk",
    "waiting",
    "drafting",
    "planned",
    "preparatory",
)


@dataclass(frozen=True)
class Cues:
    """How slippage is read in a task's progress text (``[cues]``; docs/method.md section 5)."""

    not_started: tuple[str, ...]
    paused: tuple[str, ...]
    deferred: tuple[str, ...]
    cancelled: tuple[str, ...]
    failed: tuple[str, ...]
    restarted: tuple[str, ...]
    adjusted: tuple[str, ...]
    stalled: tuple[str, ...]
    at_risk: tuple[str, ...]
    waiting: tuple[str, ...]
    drafting: tuple[str, ...]
    planned: tuple[str, ...]
    preparatory: tuple[str, ...]
    lagging_kinds: tuple[str, ...]
    completion: tuple[str, ...]
    not_done: tuple[str, ...]
    negation: tuple[str, ...]
    plan: tuple[str, ...]
    intention: tuple[str, ...]
    aim_kinds: tuple[str, ...]
    fold: str
    cause: tuple[str, ...]
    cause_intro: tuple[str, ...]
    problem: tuple[str, ...]
    outcome_kinds: tuple[str, ...]
    step_kinds: tuple[str, ...]
    consequence: tuple[str, ...]
    list_opening: tuple[str, ...]
    category: tuple[str, ...]
    not_cause: tuple[str, ...]

    def by_kind(self) -> dict[str, tuple[str, ...]]:
        """Each kind of slippage with its cue phrases."""
        return {k: getattr(self, k) for k in CUE_KINDS}


@dataclass(frozen=True)
class Settings:
    """Everything an office may set without touching code."""

    report: ReportNames
    thresholds: Thresholds
    words: Words
    cues: Cues
    colours: Mapping[str, str]

    def as_dict(self) -> dict:
        """Plain values, for provenance in ``summary.json``."""
        out = dataclasses.asdict(dataclasses.replace(self, colours={}))
        out["colours"] = dict(self.colours)
        out["thresholds"]["lagging_statuses"] = [str(s) for s in self.thresholds.lagging_statuses]
        return out


_SECTIONS = {
    "report": ReportNames,
    "thresholds": Thresholds,
    "words": Words,
    "cues": Cues,
}
_COLOUR_KEYS = {str(s) for s in STATUS_ORDER} | {"target_line"}
_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


def _convert(value, hint, where: str, file, key: str):
    """Return ``value`` as type ``hint``, or raise a DataError naming file and key."""

    def bad(expected: str) -> DataError:
        return DataError.at(
            file, say("settings.bad_value", where=where, expected=expected, value=value), column=key
        )

    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad(say("settings.expect.number"))
        return float(value)
    if hint is str:
        if not isinstance(value, str) or not value.strip():
            raise bad(say("settings.expect.text"))
        return value
    if typing.get_origin(hint) is tuple:
        (item,) = {a for a in typing.get_args(hint) if a is not Ellipsis}
        if not isinstance(value, list):
            raise bad(say("settings.expect.list"))
        if item is str:
            if not all(isinstance(v, str) and v for v in value):
                raise bad(say("settings.expect.texts"))
            return tuple(value)
        allowed = [m.value for m in item]
        if not all(v in allowed for v in value):
            raise bad(say("settings.expect.words", allowed="、".join(allowed)))
        return tuple(item(v) for v in value)
    raise TypeError(f"no converter for {hint!r}")  # a programming error, not bad input


def _section(cls, values: Mapping, file, name: str):
    hints = typing.get_type_hints(cls)
    known = [f.name for f in dataclasses.fields(cls)]
    unknown = [k for k in values if k not in known]
    if unknown:
        raise DataError.at(
            file,
            say("settings.unknown_key", section=name, key=unknown[0], known="、".join(known)),
            column=unknown[0],
        )
    missing = [k for k in known if k not in values]
    if missing:
        raise DataError.at(
            file,
            say("settings.missing_keys", section=name, missing="、".join(missing)),
            column=missing[0],
        )
    return cls(**{k: _convert(values[k], hints[k], f"[{name}] {k}", file, k) for k in known})


def _colours(values: Mapping, file) -> Mapping[str, str]:
    for key, value in values.items():
        if key not in _COLOUR_KEYS:
            raise DataError.at(file, say("settings.bad_colour_key", key=key), column=key)
        if not isinstance(value, str) or not _HEX.fullmatch(value):
            raise DataError.at(file, say("settings.bad_colour", key=key, value=value), column=key)
    return FrozenMap(values)


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            out[key] = _merge(base[key], value)
        else:
            out[key] = value
    return out


def _read_toml(path: Path) -> dict:
    if not path.is_file():
        raise DataError.at(path, say("settings.not_found"))
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise DataError.at(path, say("file.not_utf8")) from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataError.at(path, say("settings.bad_toml", detail=exc)) from exc


def parse_settings(raw: Mapping, file: str | Path = "settings") -> Settings:
    """Validate a settings mapping (the defaults with any override laid over them)."""
    known = [*_SECTIONS, "colours"]
    for section, values in raw.items():
        if section not in known:
            raise DataError.at(
                file, say("settings.unknown_section", section=section, known="、".join(known))
            )
        if not isinstance(values, dict):
            raise DataError.at(file, say("settings.not_table", section=section))
    parts = {name: _section(cls, raw.get(name, {}), file, name) for name, cls in _SECTIONS.items()}
    settings = Settings(**parts, colours=_colours(raw.get("colours", {}), file))
    th = settings.thresholds
    if th.red_below_pp < th.on_track_tolerance_pp:
        raise DataError.at(file, say("settings.red_below"))
    if not 1 < th.suspicious_ratio <= th.absurd_ratio:
        raise DataError.at(file, say("settings.ratios"))
    if len(settings.cues.fold) % 2:
        raise DataError.at(file, say("settings.fold"), column="fold")
    for key in ("lagging_kinds", "aim_kinds", "outcome_kinds", "step_kinds"):
        unknown_kinds = [k for k in getattr(settings.cues, key) if k not in CUE_KINDS]
        if unknown_kinds:
            raise DataError.at(
                file,
                say(
                    "settings.bad_kind", key=key, value=unknown_kinds[0], known="、".join(CUE_KINDS)
                ),
                column=key,
            )
    if not 0 <= th.credit_months_left <= 12:
        raise DataError.at(file, say("settings.credit_months"), column="credit_months_left")
    return settings


def load_settings(path: str | Path | None = None) -> Settings:
    """Return the pack's settings, with ``path``'s values laid over the defaults.

    Parameters
    ----------
    path : str or Path, optional
        A TOML file with some or all of the keys of ``src/helpers/core/settings.toml``. ``None``
        or ``""`` gives the defaults.

    Raises
    ------
    DataError
        If the file is missing, not valid TOML, has an unknown section or key, or a value of the
        wrong type.
    """
    defaults = _read_toml(paths.DEFAULT_SETTINGS)
    if not path:
        return parse_settings(defaults, paths.DEFAULT_SETTINGS)
    path = Path(path)
    return parse_settings(_merge(defaults, _read_toml(path)), path)


def settings_file_for(
    data_dir: str | Path | None, settings_file: str | Path | None = None
) -> str | Path | None:
    """The settings file a run on ``data_dir`` uses: ``settings_file`` if given, else the data
    folder's own ``settings.toml`` (the office's names, written by ``workreport init``), else
    ``None`` (the defaults).

    >>> settings_file_for(None, "x.toml")
    'x.toml'
    """
    if settings_file:
        return settings_file
    own = Path(data_dir or paths.DATA_DIR) / paths.DATA_SETTINGS
    return own if own.is_file() else None


__all__ = [
    "CUE_KINDS",
    "Cues",
    "ReportNames",
    "Settings",
    "Thresholds",
    "Words",
    "load_settings",
    "parse_settings",
    "settings_file_for",
]
