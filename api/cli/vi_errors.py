"""Vietnamese for the usage errors of Typer's bundled Click, which writes them in English
without gettext: from the exception's fields where it has them (the parameter, the option's
name, the pydantic error behind a bad value), else from the message's fixed English form.

`vietnamese(exc)` gives the whole message; api/cli/vi_typer.py raises it in place of the
English one, so Typer still prints it (usage line, hint, "Lỗi" box) and exits with status 2.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum
from typing import Any

from pydantic import ValidationError

# Typer 0.29 bundles its own copy of Click; its exception classes live only here.
from typer._click.exceptions import BadParameter, MissingParameter, NoSuchOption, UsageError

from api.cli.common import os_error_message

_PARAM_KINDS = {"argument": "đối số", "option": "tùy chọn", "parameter": "tham số"}
_PATH_KINDS = {"file": "Tệp", "dir": "Thư mục", "path": "Đường dẫn"}


def _sub(pattern: str, template: str) -> tuple[re.Pattern[str], Callable[[re.Match[str]], str]]:
    return re.compile(pattern, re.DOTALL), lambda m: template.format(**m.groupdict())


def _path_kind(m: re.Match[str]) -> str:
    return _PATH_KINDS.get(m["kind"], "Đường dẫn")


# The English forms Typer's Click copy (and typer/_param_types.py) build with f-strings, each
# anchored whole; tests/api/test_cli_vietnamese.py produces every one of them.
_MESSAGES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    _sub(r"^Got unexpected extra argument\(s\) \((?P<args>.*)\)$",
         "Thừa đối số không dùng đến: {args}."),
    _sub(r"^Option (?P<name>'.*') requires an argument\.$",
         "Tùy chọn {name} cần một giá trị đi kèm."),
    _sub(r"^Option (?P<name>'.*') requires (?P<n>\d+) arguments\.$",
         "Tùy chọn {name} cần {n} giá trị đi kèm."),
    _sub(r"^Option (?P<name>'.*') does not take a value\.$",
         "Tùy chọn {name} không nhận giá trị."),
    _sub(r"^Argument (?P<name>'.*') takes (?P<n>\d+) values\.$",
         "Đối số {name} cần {n} giá trị."),
    _sub(r"^Value must be an iterable\.$", "cần một danh sách giá trị."),
    _sub(r"^Value (?P<value>.*) is not a valid (?P<type>\S+)\.$",
         "{value} không phải là giá trị hợp lệ (kiểu {type})."),
    _sub(r"^(?P<value>.*) is not one of (?P<choices>.*)\.$",
         "{value} không phải là một trong {choices}."),
    (re.compile(r"^(?P<kind>file|dir|path) (?P<loc>.*) does not exist\.$", re.DOTALL),
     lambda m: f"{_path_kind(m)} {m['loc']} không tồn tại."),
    (re.compile(r"^(?P<kind>file|dir|path) (?P<loc>.*) is a file\.$", re.DOTALL),
     lambda m: f"{_path_kind(m)} {m['loc']} là một tệp, không phải thư mục."),
    (re.compile(r"^(?P<kind>file|dir|path) (?P<loc>.*) is a directory\.$", re.DOTALL),
     lambda m: f"{_path_kind(m)} {m['loc']} là một thư mục, không phải tệp."),
    (re.compile(r"^(?P<kind>file|dir|path) (?P<loc>.*) is not readable\.$", re.DOTALL),
     lambda m: f"{_path_kind(m)} {m['loc']} không đọc được (thiếu quyền)."),
    (re.compile(r"^(?P<kind>file|dir|path) (?P<loc>.*) is not writable\.$", re.DOTALL),
     lambda m: f"{_path_kind(m)} {m['loc']} không ghi được (thiếu quyền)."),
    # Typer appends its command suggestions in English after the (gettext) "No such command".
    (re.compile(r"^(?P<msg>.*)\. Did you mean (?P<matches>.+)\?$", re.DOTALL),
     lambda m: f"{translate_message(m['msg'] + '.')} Có phải ý bạn là {m['matches']}?"),
]

# pydantic's error types (stable, documented codes) for a value Typer could not convert.
_PYDANTIC: dict[str, str] = {
    "int_parsing": "{input!r} không phải là số nguyên.",
    "int_from_float": "{input!r} không phải là số nguyên.",
    "float_parsing": "{input!r} không phải là số.",
    "bool_parsing": "{input!r} không phải là giá trị đúng/sai (true/false, yes/no, 1/0).",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}, không phải {input}.",
    "greater_than": "phải lớn hơn {gt}, không phải {input}.",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}, không phải {input}.",
    "less_than": "phải nhỏ hơn {lt}, không phải {input}.",
    "path_type": "{input!r} không phải là đường dẫn hợp lệ.",
    "string_type": "{input!r} không phải là chuỗi ký tự.",
    "uuid_parsing": "{input!r} không phải là UUID hợp lệ.",
    "date_from_datetime_parsing": "{input!r} không phải là ngày hợp lệ.",
    "datetime_from_date_parsing": "{input!r} không phải là ngày giờ hợp lệ.",
}


def translate_message(message: str) -> str:
    """A message of a fixed English form in Vietnamese; any other text unchanged (our own
    messages, already Vietnamese)."""
    for pattern, render in _MESSAGES:
        found = pattern.match(message)
        if found:
            return render(found)
    return message


def _pydantic_detail(error: ValidationError) -> str:
    first: dict[str, Any] = dict(error.errors()[0])
    kind = str(first.get("type", ""))
    if kind == "value_error":  # a ValueError raised by Typer's own check (e.g. a choice)
        inner = (first.get("ctx") or {}).get("error")
        return translate_message(str(inner)) if inner is not None else "giá trị không hợp lệ."
    template = _PYDANTIC.get(kind)
    values = {"input": first.get("input"), **(first.get("ctx") or {})}
    if template is None:
        return f"giá trị {values['input']!r} không hợp lệ."
    return template.format(**values)


def _hint(exc: BadParameter) -> str | None:
    """The parameter an error is about, the way Click names it ('--port' / 'PATH')."""
    hint = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint()
    if hint is not None and not isinstance(hint, str):
        hint = " / ".join(repr(x) for x in hint)
    return hint.replace(" (env var: ", " (biến môi trường: ") if hint else None


def _choices(param: Any) -> list[str]:
    desc = getattr(param, "type_descriptor", None)
    if desc is None or not desc.is_choice or not desc.choices:
        return []
    return [str(c.value) if isinstance(c, Enum) else str(c) for c in desc.choices]


def _missing(exc: MissingParameter) -> str:
    kind = exc.param_type
    if kind is None and exc.param is not None:
        kind = exc.param.param_type_name
    hint = _hint(exc)
    text = f"Thiếu {_PARAM_KINDS.get(kind or '', 'tham số')}{' ' + hint if hint else ''}."
    if exc.message:
        text += " " + translate_message(exc.message)
    choices = _choices(exc.param)
    if choices:
        text += " Chọn một trong: " + ", ".join(choices) + "."
    return text


def _bad_value(exc: BadParameter) -> str:
    cause = exc.__cause__
    if isinstance(cause, ValidationError):
        detail = _pydantic_detail(cause)
    elif isinstance(cause, OSError):  # a file Typer opened for the command
        detail = os_error_message(cause)
    else:
        detail = translate_message(exc.message)
    hint = _hint(exc)
    return f"Giá trị không hợp lệ cho {hint}: {detail}" if hint else \
        f"Giá trị không hợp lệ: {detail}"


def _no_such_option(exc: NoSuchOption) -> str:
    text = f"Không có tùy chọn {exc.option_name}."
    if exc.possibilities:
        text += " Có phải ý bạn là: " + ", ".join(sorted(exc.possibilities)) + "?"
    return text


def vietnamese(exc: UsageError) -> str:
    """The whole message of a Click usage error, in Vietnamese."""
    if isinstance(exc, MissingParameter):
        return _missing(exc)
    if isinstance(exc, BadParameter):
        return _bad_value(exc)
    if isinstance(exc, NoSuchOption) and exc.message.startswith("No such option"):
        return _no_such_option(exc)
    return translate_message(exc.message)
