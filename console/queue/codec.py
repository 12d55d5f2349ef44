"""JSON-friendly conversion of the engine's dataclasses (state, events, records).

Datetimes become ISO 8601 strings, timedeltas seconds (float), enums their
values, tuples and frozensets lists. Decoding is driven by the dataclass's type
hints, so ``from_primitive(cls, to_primitive(x)) == x`` for every value here.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime, timedelta
from enum import Enum
from functools import cache
from typing import Any


def to_primitive(value: object) -> Any:
    """Turn a dataclass value (recursively) into dicts, lists and primitives."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_primitive(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, frozenset):
        return sorted(to_primitive(v) for v in value)
    if isinstance(value, tuple | list):
        return [to_primitive(v) for v in value]
    return _scalar_to_primitive(value)


def _scalar_to_primitive(value: object) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_primitive(tp: Any, data: Any) -> Any:
    """Rebuild a value of type ``tp`` from :func:`to_primitive`'s output."""
    origin = typing.get_origin(tp)
    if origin is None:
        return _from_class(tp, data)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if data is None and type(None) in args:
            return None
        non_none = [a for a in args if a is not type(None)]
        if len(non_none) != 1:
            raise TypeError(f"cannot decode union {tp!r}")
        return from_primitive(non_none[0], data)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return tuple(from_primitive(args[0], v) for v in data)
    if origin is frozenset:
        return frozenset(from_primitive(args[0], v) for v in data)
    raise TypeError(f"cannot decode {tp!r}")


def _from_class(tp: Any, data: Any) -> Any:
    if not isinstance(tp, type):
        raise TypeError(f"cannot decode {tp!r}")
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        return tp(
            **{
                f.name: from_primitive(hints[f.name], data[f.name])
                for f in dataclasses.fields(tp)
                if f.name in data
            }
        )
    if issubclass(tp, Enum):
        return tp(data)
    if tp is datetime:
        parsed = datetime.fromisoformat(data)
        if parsed.tzinfo is None:
            raise ValueError(f"naive datetime {data!r}")
        return parsed
    if tp is timedelta:
        return timedelta(seconds=data)
    if tp not in (str, int, float, bool) or not isinstance(data, tp):
        raise TypeError(f"cannot decode {data!r} as {tp!r}")
    return data
