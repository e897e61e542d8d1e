"""The Vietnamese catalog of Typer's texts and the translation of its bundled Click's usage
errors (in process; the real command is run in tests/api/test_cli_vietnamese.py)."""

from __future__ import annotations

import ast
import enum
import gettext
import io
import os
import re
import string
from pathlib import Path
from typing import Annotated

import pytest
import typer
import typer.main

from api.cli import vi_catalog, vi_typer
from api.cli.main import app as kcmap_app
from api.cli.vi_errors import translate_message

TYPER_DIR = Path(typer.__file__).parent
VIETNAMESE = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


def _fields(text: str) -> list[tuple[str | None, str | None, str | None]]:
    return sorted((name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text)
                  if name is not None)


def _markup(text: str) -> list[str]:
    """Rich markup tags ([blue] … [/]); "[required]" and "[default: …]" are plain text."""
    styles = "bold|dim|italic|underline|blue|red|green|yellow|cyan|magenta"
    return sorted(re.findall(rf"\[/[a-z]*\]|\[(?:{styles})\]", text))


@pytest.mark.parametrize("msgid", list(vi_catalog.CATALOG), ids=str)
def test_translation_keeps_placeholders_and_markup(msgid: str | tuple[str, str]) -> None:
    text = vi_catalog.CATALOG[msgid]
    for source in (msgid,) if isinstance(msgid, str) else msgid:
        assert _fields(text) == _fields(source), (source, text)
        assert _markup(text) == _markup(source), (source, text)
    assert text != msgid and text.strip(), msgid


def _gettext_modules() -> list[Path]:
    """The modules the CLI's Typer runs: Typer's own and, should Typer ever go back to using
    the click package, click's."""
    files = sorted(TYPER_DIR.rglob("*.py"))
    if any(re.search(r"^\s*(import click\b|from click\b)", f.read_text(), re.M) for f in files):
        import click

        files += sorted(Path(click.__file__).parent.rglob("*.py"))
    return files


def _msgids(path: Path) -> list[str | tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {alias.asname or alias.name for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and node.module == "gettext"
             for alias in node.names}
    found: list[str | tuple[str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in names:
            plural = node.func.id == "ngettext" or "ngettext" in node.func.id
            args = node.args[:2] if plural else node.args[:1]
            assert all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args), \
                f"{path}:{node.lineno}: a msgid that is not a literal cannot be checked"
            values = [str(a.value) for a in args if isinstance(a, ast.Constant)]
            found.append((values[0], values[1]) if plural else values[0])
    return found


def test_catalog_covers_every_msgid_typer_uses() -> None:
    """A Typer upgrade that adds or rewords a gettext text fails here instead of showing it in
    English; a msgid no longer used is flagged too."""
    used: dict[str | tuple[str, str], str] = {}
    for path in _gettext_modules():
        for msgid in _msgids(path):
            used.setdefault(msgid, f"{path.relative_to(path.parents[1])}")
    assert len(used) >= 15  # the extraction found Typer's texts at all
    missing = {m: where for m, where in used.items() if m not in vi_catalog.CATALOG}
    assert not missing, missing
    assert set(vi_catalog.CATALOG) <= set(used), set(vi_catalog.CATALOG) - set(used)
    for required in ["No such command {name!r}.", "Error", "Options", "Commands", "Arguments",
                     "[required]", "[default: {}]", "Aborted!", "Aborted.",
                     "Try [blue]'{command_path} {help_option}'[/] for help."]:
        assert required in used, required


def test_mo_file_reads_back_with_gettext(tmp_path: Path) -> None:
    catalog: dict[str | tuple[str, str], str] = {
        **vi_catalog.CATALOG, ("{n} file", "{n} files"): "{n} tệp"}
    data = vi_catalog.mo_bytes(catalog)
    read = gettext.GNUTranslations(io.BytesIO(data))
    assert read.info()["language"] == "vi"
    assert read.info()["plural-forms"] == "nplurals=1; plural=0;"
    for msgid, text in vi_catalog.CATALOG.items():
        assert isinstance(msgid, str)
        assert read.gettext(msgid) == text
    assert read.ngettext("{n} file", "{n} files", 1) == "{n} tệp"
    assert read.ngettext("{n} file", "{n} files", 7) == "{n} tệp"
    assert read.gettext("not in the catalog") == "not in the catalog"


def test_compiled_catalog_is_found_by_gettext_and_reused(tmp_path: Path) -> None:
    localedir = vi_catalog.compiled_catalog(tmp_path / "cache")
    mo_file = localedir / "vi" / "LC_MESSAGES" / "messages.mo"
    found = gettext.translation("messages", str(localedir), languages=["vi"])
    assert found.gettext("No such command {name!r}.") == "Không có lệnh {name!r}."
    before = mo_file.stat().st_mtime_ns
    assert vi_catalog.compiled_catalog(tmp_path / "cache") == localedir
    assert mo_file.stat().st_mtime_ns == before  # same content: not written again
    mo_file.write_bytes(b"damaged")
    vi_catalog.compiled_catalog(tmp_path / "cache")
    assert mo_file.read_bytes() == vi_catalog.mo_bytes(vi_catalog.CATALOG)


def test_catalog_not_kept_in_a_directory_others_can_write(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    localedir = vi_catalog.compiled_catalog(shared)
    assert shared not in localedir.parents  # a private temporary directory instead
    assert (localedir / "vi" / "LC_MESSAGES" / "messages.mo").is_file()
    assert os.stat(localedir.parent).st_mode & 0o077 == 0


def _click_tree(command: object) -> list[object]:
    found = [command]
    for sub in getattr(command, "commands", {}).values():
        found += _click_tree(sub)
    return found


def test_every_kcmap_command_is_built_by_vi_typer() -> None:
    """A command added with plain typer.Typer() would print English usage and errors."""
    tree = _click_tree(typer.main.get_command(kcmap_app))
    assert len(tree) > 30
    for command in tree:
        assert isinstance(command, vi_typer.Command | vi_typer.Group), command


class Colour(enum.StrEnum):
    RED = "red"
    BLUE = "blue"


probe = vi_typer.Typer()


@probe.command("one")
def _one(
    count: Annotated[int, typer.Option(min=1, max=9)] = 1,
    ratio: Annotated[float, typer.Option()] = 0.5,
    colour: Annotated[Colour, typer.Option()] = Colour.RED,
    folder: Annotated[Path | None, typer.Option(exists=True, file_okay=False)] = None,
    single: Annotated[Path | None, typer.Option(exists=True, dir_okay=False)] = None,
    pair: Annotated[tuple[int, int] | None, typer.Option()] = None,
    flag: Annotated[bool, typer.Option("--flag")] = False,
) -> None:
    """A probe command."""


@probe.command("two")
def _two(answer: Annotated[bool, typer.Argument()], name: Annotated[str, typer.Option()]) -> None:
    """Another probe command."""


def _vietnamese_error(args: list[str], tmp: Path) -> str:
    command = typer.main.get_command(probe)
    with pytest.raises(vi_typer.VietnameseUsageError) as caught:
        command.main([a.replace("{tmp}", str(tmp)) for a in args], prog_name="probe",
                     standalone_mode=False)
    message = caught.value.format_message()
    assert caught.value.exit_code == 2
    assert VIETNAMESE & set(message.lower()), message
    cause = caught.value.__cause__
    assert cause is not None and message != getattr(cause, "message", None)
    return message


@pytest.mark.parametrize(("args", "expected"), [
    (["one", "--count", "x"], "Giá trị không hợp lệ cho '--count': 'x' không phải là số nguyên."),
    (["one", "--count", "0"], "phải lớn hơn hoặc bằng 1, không phải 0."),
    (["one", "--ratio", "mot"], "'mot' không phải là số."),
    (["one", "--colour", "green"], "'green' không phải là một trong 'red', 'blue'."),
    (["one", "--folder", "{tmp}/khong-co"], "Thư mục '{tmp}/khong-co' không tồn tại."),
    (["one", "--folder", "{tmp}/a.txt"], "Thư mục '{tmp}/a.txt' là một tệp, không phải thư mục."),
    (["one", "--single", "{tmp}"], "Tệp '{tmp}' là một thư mục, không phải tệp."),
    (["one", "--pair", "1"], "Tùy chọn '--pair' cần 2 giá trị đi kèm."),
    (["one", "--flag=yes"], "Tùy chọn '--flag' không nhận giá trị."),
    (["one", "--colour"], "Tùy chọn '--colour' cần một giá trị đi kèm."),
    (["one", "--colr", "red"], "Không có tùy chọn --colr. Có phải ý bạn là: --colour,"),
    (["one", "thua"], "Thừa đối số không dùng đến: thua."),
    (["two", "co-le", "--name", "x"], "'co-le' không phải là giá trị đúng/sai"),
    (["two", "yes"], "Thiếu tùy chọn '--name'."),
    (["two"], "Thiếu đối số 'answer'."),
    # "No such command" itself comes from the gettext catalog, installed by the real command only
    (["thre"], ". Có phải ý bạn là 'three'?"),
])
def test_typer_usage_errors_in_vietnamese(tmp_path: Path, args: list[str], expected: str) -> None:
    (tmp_path / "a.txt").write_text("x")
    message = _vietnamese_error(args, tmp_path)
    assert expected.replace("{tmp}", str(tmp_path)) in message, message


@probe.command("three")
def _three() -> None:
    """A third probe command (a close match for a typo)."""


@pytest.mark.parametrize(("english", "vietnamese"), [
    ("file 'a.csv' is not readable.", "Tệp 'a.csv' không đọc được (thiếu quyền)."),
    ("dir '/srv' is not writable.", "Thư mục '/srv' không ghi được (thiếu quyền)."),
    ("Argument 'xy' takes 2 values.", "Đối số 'xy' cần 2 giá trị."),
    ("Option '--xy' requires 3 arguments.", "Tùy chọn '--xy' cần 3 giá trị đi kèm."),
    ("Value must be an iterable.", "cần một danh sách giá trị."),
    ("Lỗi của chính kcmap.", "Lỗi của chính kcmap."),
])
def test_fixed_english_forms(english: str, vietnamese: str) -> None:
    """Forms a test cannot provoke here (root reads every file; no kcmap parameter takes
    several values per argument) in the shape Typer writes them."""
    assert translate_message(english) == vietnamese
