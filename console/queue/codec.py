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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable


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
    return _decoder(tp)(data)


@cache
def _decoder(tp: Any) -> Callable[[Any], Any]:
    """A function decoding values of type ``tp``, planned once per type: reading the
    day's stored events (hundreds of thousands) spends its time here."""
    origin = typing.get_origin(tp)
    if origin is None:
        return _class_decoder(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        nullable = type(None) in args
        non_none = [a for a in args if a is not type(None)]
        inner = _decoder(non_none[0]) if len(non_none) == 1 else _refuse(f"union {tp!r}")

        def optional(data: Any) -> Any:
            if data is None and nullable:
                return None
            return inner(data)

        return optional
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0])
        return lambda data: tuple(item(v) for v in data)
    if origin is frozenset:
        member = _decoder(args[0])
        return lambda data: frozenset(member(v) for v in data)
    return _refuse(repr(tp))


def _refuse(what: str) -> Callable[[Any], Any]:
    def refuse(data: Any) -> Any:
        raise TypeError(f"cannot decode {what}")

    return refuse


def _class_decoder(tp: Any) -> Callable[[Any], Any]:
    if not isinstance(tp, type):
        return _refuse(repr(tp))
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(tp)]

        def dataclass(data: Any) -> Any:
            return tp(**{name: decode(data[name]) for name, decode in fields if name in data})

        return dataclass
    if issubclass(tp, Enum):
        members = tp._value2member_map_

        def enum(data: Any) -> Any:
            try:
                return members[data]
            except (KeyError, TypeError):  # not a value (or unhashable): the enum says why
                return tp(data)

        return enum
    if tp is datetime:
        return _datetime
    if tp is timedelta:
        return lambda data: timedelta(seconds=data)
    if tp not in (str, int, float, bool):
        return _refuse(repr(tp))

    def primitive(data: Any) -> Any:
        if not isinstance(data, tp):
            raise TypeError(f"cannot decode {data!r} as {tp!r}")
        return data

    return primitive


def _datetime(data: Any) -> datetime:
    parsed = datetime.fromisoformat(data)
    if parsed.tzinfo is None:
        raise ValueError(f"naive datetime {data!r}")
    return parsed
