"""The one check of input at the service boundary, driven by the declared fields.

`checked(method)` reads the method's parameter annotations once, on its first call, and then
checks every call against them before the method runs: each parameter's spec
(`casework.fields`), and for an input DTO, the spec of each of its fields. A bad value is
refused with a `ValidationError` naming every field that is wrong, so nothing is read or
written with it. `Service` subclasses have every public method checked this way; a
parameter or a DTO field with no spec is a mistake found on the first call (and by the
test that calls each method).

Plain types need no spec where their type says it all: `bool` (a Flag), `date` (a Day in
the usual bounds), `datetime` (a Moment), an enumeration (one of its values).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar, Union

from casework import fields
from casework.errors import ValidationError

F = TypeVar("F", bound=Callable[..., Any])
# A check returns the problems of one value: {field name: problem}.
Check = Callable[[str, Any], dict[str, str]]


def _split(hint: Any) -> tuple[Any, fields.Spec | None, bool]:
    """(the type, its spec if one is declared, whether None is allowed), from
    `Annotated[T | None, spec]` and `Annotated[T, spec] | None` alike."""
    spec, optional = None, False
    for _ in range(2):
        if typing.get_origin(hint) is typing.Annotated:
            spec = spec or next((m for m in hint.__metadata__ if isinstance(m, fields.Spec)),
                                None)
            hint = typing.get_args(hint)[0]
        if typing.get_origin(hint) in (Union, types.UnionType):
            args = [a for a in typing.get_args(hint) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(hint))
            hint = args[0] if len(args) == 1 else hint
    return hint, spec, optional


def _spec_for(hint: Any) -> fields.Spec | None:
    if hint is bool:
        return fields.Flag()
    if hint is datetime:
        return fields.Moment()
    if hint is date:
        return fields.Day()
    if isinstance(hint, type) and issubclass(hint, Enum):
        return fields.OneOf.of(hint)
    return None


def check_for(hint: Any, where: str) -> Check:
    """The check of a value declared as `hint` (`where` names it if it has no spec)."""
    base, spec, optional = _split(hint)
    if spec is None and dataclasses.is_dataclass(base):
        nested = dto_check(base)

        def check_dto(name: str, value: Any) -> dict[str, str]:
            if value is None:
                return {} if optional else {name: "must be given"}
            if not isinstance(value, base):
                return {name: f"must be a {base.__name__}"}
            return nested(value)
        return check_dto
    if typing.get_origin(base) is tuple and dataclasses.is_dataclass(typing.get_args(base)[0]):
        return _rows_check(typing.get_args(base)[0], spec or fields.Many(fields.Opaque()),
                           optional)
    spec = spec or _spec_for(base)
    if spec is None:
        raise TypeError(f"{where} has no field spec (casework.fields): declare what it may hold")

    def check_value(name: str, value: Any) -> dict[str, str]:
        if value is None:
            return {} if optional else {name: "must be given"}
        problem = spec.problem(value)
        return {} if problem is None else {name: problem}
    return check_value


def _rows_check(cls: type, spec: fields.Spec, optional: bool) -> Check:
    """A list of input DTOs: the list as `spec` says, then each entry as its DTO."""
    entry = dto_check(cls)

    def check_rows(name: str, value: Any) -> dict[str, str]:
        if value is None:
            return {} if optional else {name: "must be given"}
        if (problem := spec.problem(value)) is not None:
            return {name: problem}
        problems: dict[str, str] = {}
        for n, row in enumerate(value, 1):
            if not isinstance(row, cls):
                return {name: f"entry {n} must be a {cls.__name__}"}
            for field, problem in entry(row).items():
                # Shown beside the row where the DTO says where that is (a rating beside its
                # outcome), else against the list.
                key = row.problem_key() if hasattr(row, "problem_key") else name
                words = f"the {field.replace('_', ' ')} {problem}"
                problems.setdefault(key, words if key != name else f"entry {n}: {words}")
        return problems
    return check_rows


@functools.cache
def dto_check(cls: type) -> Callable[[Any], dict[str, str]]:
    """The check of every field of an input DTO. A nested DTO's problems are named by its
    own fields (the form shows them beside those fields)."""
    hints = typing.get_type_hints(cls, include_extras=True)
    checks = [(f.name, check_for(hints[f.name], f"{cls.__name__}.{f.name}"))
              for f in dataclasses.fields(cls)]

    def check(value: Any) -> dict[str, str]:
        problems: dict[str, str] = {}
        for name, one in checks:
            for field, problem in one(name, getattr(value, name)).items():
                problems.setdefault(field, problem)
        return problems
    return check


def _parameters(fn: Callable) -> list[tuple[str, Check, Any]]:
    """(name, check, default) of each parameter (after `self`, for a method)."""
    hints = typing.get_type_hints(fn, include_extras=True)
    out = []
    params = list(inspect.signature(fn).parameters.values())
    for p in params[1:] if params and params[0].name == "self" else params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            raise TypeError(f"{fn.__qualname__} takes *args or **kwargs: declare each input")
        if p.name not in hints:
            raise TypeError(f"{fn.__qualname__}({p.name}) has no annotation")
        out.append((p.name, check_for(hints[p.name], f"{fn.__qualname__}({p.name})"), p.default))
    return out


def checked(fn: F) -> F:
    """Check every call of `fn` (a method, or a plain function) against its declared
    parameters."""
    compiled: list[tuple[str, Check, Any]] | None = None
    method = next(iter(inspect.signature(fn).parameters), None) == "self"

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        nonlocal compiled
        if compiled is None:
            compiled = _parameters(fn)
        given = args[1:] if method else args
        problems: dict[str, str] = {}
        for i, (name, check, default) in enumerate(compiled):
            if i < len(given):
                value = given[i]
            elif name in kwargs:
                value = kwargs[name]
            elif default is not inspect.Parameter.empty:
                continue  # the method's own default
            else:
                continue  # Python itself says what is missing when fn is called
            for field, problem in check(name, value).items():
                problems.setdefault(field, problem)
        if problems:
            raise ValidationError.of(problems)
        return fn(*args, **kwargs)

    wrapper.__checked__ = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def check_public_methods(cls: type) -> None:
    """Wrap each public method `cls` defines itself with `checked`."""
    for name, member in list(vars(cls).items()):
        if name.startswith("_") or not inspect.isfunction(member):
            continue
        if getattr(member, "__checked__", False):
            continue
        setattr(cls, name, checked(member))


def is_checked(method: Any) -> bool:
    return bool(getattr(method, "__checked__", False))


def declared_parameters(method: Any) -> list[str]:
    """The parameters a checked method declares; TypeError where one has no spec (what its
    first call would find)."""
    return [name for name, _check, _default in _parameters(method.__wrapped__)]
