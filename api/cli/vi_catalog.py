"""Vietnamese for the texts Typer translates through Python's standard gettext.

Typer wraps its own help and error chrome in `gettext.gettext` (domain "messages"): panel
titles, "[required]", "[default: …]", "No such command …", "Aborted!". `install()` compiles
CATALOG into a .mo file (written here, no build step, no binary in git), binds the domain to it
and chooses Vietnamese for this process (LANGUAGE=vi, inherited by the tools kcmap starts, which
is what we want: their messages are shown to the same user). Texts Typer's bundled copy of Click
prints without gettext are translated in api/cli/vi_errors.py and api/cli/vi_typer.py.
"""

from __future__ import annotations

import atexit
import gettext
import hashlib
import os
import shutil
import stat
import struct
import tempfile
from pathlib import Path

DOMAIN = "messages"  # gettext's default domain, the one Typer's `_()` looks up
LANGUAGE = "vi"
HEADER = ("Content-Type: text/plain; charset=UTF-8\n"
          "Language: vi\n"
          "Plural-Forms: nplurals=1; plural=0;\n")

# msgid (exactly as in typer/*.py) -> Vietnamese. Placeholders and Rich markup are kept as is
# (tests/api/test_cli_vietnamese.py checks both, and that every msgid the CLI's modules use is
# here). A plural msgid would be keyed (singular, plural): Vietnamese has one form.
CATALOG: dict[str | tuple[str, str], str] = {
    "Aborted!": "Đã hủy!",
    "Aborted.": "Đã hủy.",
    "Missing command.": "Thiếu lệnh.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "Error": "Lỗi",
    "Try [blue]'{command_path} {help_option}'[/] for help.":
        "Xem [blue]'{command_path} {help_option}'[/] để được hướng dẫn.",
    "Arguments": "Đối số",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "required": "bắt buộc",
    "[required]": "[bắt buộc]",
    "default: {default}": "mặc định: {default}",
    "[default: {}]": "[mặc định: {}]",
    "env var: {var}": "biến môi trường: {var}",
    "[env var: {}]": "[biến môi trường: {}]",
    "(dynamic)": "(tính lúc chạy)",
    "(deprecated) ": "(không còn dùng) ",
}


def mo_bytes(catalog: dict[str | tuple[str, str], str], header: str = HEADER) -> bytes:
    """A GNU .mo file (little-endian, revision 0, no hash table) holding the header and the
    catalog; a plural entry's key is "singular NUL plural"."""
    entries: dict[bytes, bytes] = {b"": header.encode("utf-8")}
    for key, text in catalog.items():
        msgid = key if isinstance(key, str) else "\0".join(key)
        entries[msgid.encode("utf-8")] = text.encode("utf-8")
    keys = sorted(entries)  # readers may binary-search the originals table
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + 8 * count
    data_at = translations_at + 8 * count
    blob = bytearray()
    originals: list[tuple[int, int]] = []
    translations: list[tuple[int, int]] = []
    for table, values in ((originals, keys), (translations, [entries[k] for k in keys])):
        for value in values:
            table.append((len(value), data_at + len(blob)))
            blob += value + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, count, originals_at, translations_at, 0, data_at)
    tables = b"".join(struct.pack("<2I", *pair) for pair in originals + translations)
    return head + tables + bytes(blob)


def _private_dir(path: Path) -> bool:
    """Whether path is a real directory only this user can write into (so nobody else can put
    a catalog there between our check and gettext reading it)."""
    try:
        path.mkdir(mode=0o700, exist_ok=True)
        info = path.lstat()
    except OSError:
        return False
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
            and info.st_mode & 0o077 == 0)


def _write(mo_file: Path, data: bytes) -> None:
    """Write data to mo_file unless it already holds exactly that (atomically: other kcmap
    processes may be reading it)."""
    try:
        if mo_file.read_bytes() == data:
            return
    except OSError:
        pass
    mo_file.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=mo_file.parent, prefix=".messages-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, mo_file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def compiled_catalog(base: Path | None = None) -> Path:
    """The locale directory holding vi/LC_MESSAGES/messages.mo for CATALOG, compiled at first
    use into a per-user cache directory (named after the catalog's content, so an upgrade gets
    a fresh file), or into a private temporary directory removed at exit."""
    data = mo_bytes(CATALOG)
    digest = hashlib.sha256(data).hexdigest()[:16]
    root = base if base is not None else (
        Path(tempfile.gettempdir()) / f"kcmap-{os.getuid()}-gettext")
    if not _private_dir(root):
        root = Path(tempfile.mkdtemp(prefix="kcmap-gettext-"))
        atexit.register(shutil.rmtree, root, True)
    localedir = root / digest
    _write(localedir / LANGUAGE / "LC_MESSAGES" / f"{DOMAIN}.mo", data)
    return localedir


def install() -> bool:
    """Make Typer speak Vietnamese in this process; call before any help or error is shown.
    Returns False (the CLI still runs, in English chrome) if no catalog could be written."""
    try:
        localedir = compiled_catalog()
    except OSError:
        return False
    gettext.bindtextdomain(DOMAIN, str(localedir))
    os.environ["LANGUAGE"] = LANGUAGE  # the language gettext.gettext() picks for "messages"
    return True
