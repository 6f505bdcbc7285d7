"""Compute once per distinct value: a register repeats its texts (one task for many units, the
same progress sentence each quarter), and everything the engine reads from a text depends on
that text alone.

>>> calls = []
>>> def shout(text):
...     calls.append(text)
...     return text.upper()
>>> each_once(shout, ["a", "b", "a", "a"]), calls
(['A', 'B', 'A', 'A'], ['a', 'b'])
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

T = TypeVar("T")


def each_once(fn: Callable[..., T], values: Iterable[Hashable], *args) -> list[T]:
    """``[fn(v, *args) for v in values]``, with ``fn`` called once per distinct value.

    The results are shared between equal values, not copied: ``fn`` must return something the
    caller does not change (a string, a number, a tuple), or the caller must copy it.
    """
    cache: dict = {}
    out = []
    for v in values:
        try:
            out.append(cache[v])
        except KeyError:
            out.append(cache.setdefault(v, fn(v, *args)))
    return out
