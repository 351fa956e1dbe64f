"""Reading `quality.yml`, and putting every mistake in it into words.

Every failure comes out as a `(key, reason)` pair, keys shaped like `departments[2].slug`, so the
caller can prefix the file name and show all of them at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Hashable, Iterator, Sequence
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from bot.config.quality_models import DEPARTMENT_CONFLICT, Loc, QualityConfig, department_conflicts


class QualityConfigError(Exception):
    """`issues` are `(key, reason)` pairs in the order the keys appear in the models."""

    def __init__(self, issues: Sequence[tuple[str, str]]) -> None:
        self.issues = list(issues)
        super().__init__(self.issues)


def read_quality_config(path: Path) -> QualityConfig:
    """Read and validate the YAML file; raises QualityConfigError with every issue found."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise QualityConfigError([("", "is not UTF-8 text")]) from None
    except OSError as error:
        raise QualityConfigError([("", f"could not be read: {error.strerror}")]) from None
    if unquoted := list(_unquoted_names(text)):
        raise QualityConfigError(unquoted)
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except _DuplicateKey as error:
        raise QualityConfigError([(f"line {error.line}", str(error))]) from None
    except yaml.MarkedYAMLError as error:
        mark, problem = error.problem_mark, error.problem
        # PyYAML's "<block end>" wording nearly always means lines that do not line up.
        hint = " (check the indentation)" if "<block" in str(problem) else ""
        if mark is None:
            raise QualityConfigError([("", f"invalid YAML: {problem}")]) from None
        reason = f"invalid YAML at column {mark.column + 1}: {problem}{hint}"
        raise QualityConfigError([(f"line {mark.line + 1}", reason)]) from None
    except yaml.YAMLError as error:
        raise QualityConfigError([("", f"invalid YAML: {error}")]) from None
    return parse_quality_config(data)


# A Slack name where a value starts: after "key: ", "- ", "[" or ",". Unquoted, YAML reads
# `#it-help` as a comment (the key is then empty) and refuses `@ines`; quoted, both are text.
_UNQUOTED_NAME = re.compile(r"""(?:^\s*-\s+|:\s+|[\[,]\s*)(?P<name>[#@][^\s,\[\]{}'"]+)""")


def _unquoted_names(text: str) -> Iterator[tuple[str, str]]:
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _UNQUOTED_NAME.finditer(line):
            name = match["name"]
            why = "reads it as a comment" if name.startswith("#") else "cannot read it"
            reason = f'{name} must be in quotes, like "{name}": unquoted, YAML {why}'
            yield f"line {number}", reason


def parse_quality_config(data: object) -> QualityConfig:
    """Validate already-parsed YAML; raises QualityConfigError with every issue found."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise QualityConfigError([("", f"must be a mapping of settings, {_found(data)}")])
    issues = list(department_conflicts(data.get("departments")))
    try:
        config = QualityConfig.model_validate(data)
    except ValidationError as error:
        issues += [(e["loc"], _reason(e)) for e in error.errors() if _reportable(e)]
    else:
        return config
    issues.sort(key=lambda issue: _rank(issue[0]))
    raise QualityConfigError([(format_key(loc), reason) for loc, reason in issues])


def _reportable(error: ErrorDetails) -> bool:
    return error["type"] != DEPARTMENT_CONFLICT


def format_key(loc: Loc) -> str:
    """("departments", 2, "slug") -> "departments[2].slug", the way people point into YAML."""
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else f".{part}" if key else part
    return key


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML silently keeps the last of two equal keys; a config file deserves an error."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        first_lines: dict[object, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                continue
            line = key_node.start_mark.line + 1
            if key in first_lines:
                raise _DuplicateKey(
                    f"{key!r} is given twice (first on line {first_lines[key]})", line
                )
            first_lines[key] = line
        return super().construct_mapping(node, deep=deep)


class _DuplicateKey(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _model_at(loc: Loc) -> type[BaseModel] | None:
    model: type[BaseModel] | None = QualityConfig
    for part in loc:
        if model is None or isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        model = _model_of(field.annotation) if field else None
    return model


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if get_origin(annotation) is tuple:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, UnionType):  # an optional section: `X | None`
        return next(filter(None, map(_model_of, get_args(annotation))), None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _rank(loc: Loc) -> tuple[tuple[int, str], ...]:
    """Sort keys as they are declared (and as docs/configuration.md documents them), list
    items by index."""
    rank: list[tuple[int, str]] = []
    for depth, part in enumerate(loc):
        if isinstance(part, int):
            rank.append((part, ""))
            continue
        model = _model_at(loc[:depth])
        fields = list(model.model_fields) if model else []
        rank.append((fields.index(part) if part in fields else len(fields), part))
    return tuple(rank)


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "tuple_type": "a list",
    "model_type": "a mapping of keys",
}


def _reason(error: ErrorDetails) -> str:
    kind, value, loc = error["type"], error["input"], error["loc"]
    ctx = error.get("ctx", {})
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return _unknown_key(loc)
    if kind == "tuple_type" and isinstance(value, str):
        return f"must be a list, like [{value}]"
    if kind in _EXPECTED:
        return f"must be {_EXPECTED[kind]}, {_found(value)}"
    if kind == "greater_than_equal":
        return f"must be at least {_number(ctx['ge'])}, {_found(value)}"
    if kind == "greater_than":
        return f"must be more than {_number(ctx['gt'])}, {_found(value)}"
    if kind == "less_than_equal":
        return f"must be at most {_number(ctx['le'])}, {_found(value)}"
    if kind == "literal_error":
        return f"must be one of {ctx['expected']}, {_found(value)}"
    # Our own PydanticCustomErrors are already worded for people.
    return error["msg"]


def _unknown_key(loc: Loc) -> str:
    model = _model_at(loc[:-1])
    known = list(model.model_fields) if model else []
    close = difflib.get_close_matches(str(loc[-1]), known, n=1)
    if close:
        return f"is not a known key (did you mean {close[0]!r}?)"
    return f"is not a known key (expected one of: {', '.join(known)})"


def _found(value: object) -> str:
    if value is None:
        return "but it is empty"
    if isinstance(value, bool):
        return f"not {str(value).lower()}"
    if isinstance(value, dict):
        return "not a mapping"
    if isinstance(value, list | tuple):
        return "not a list"
    return f"not {value!r}"


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
