"""`Typer`: typer.Typer whose groups and commands speak Vietnamese where Typer's bundled Click
has fixed English (usage line, help option, metavars, usage errors). Every `kcmap` (sub)app is
built with it; the texts Typer itself translates through gettext come from
api/cli/vi_catalog.py.

Only Typer's documented extension points are used: the `cls` of a Typer app and of its
commands (subclasses of TyperGroup / TyperCommand), overriding Click's public Command methods.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from typer._click import Command as ClickCommand
from typer._click import Context, HelpFormatter, Parameter
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer._completion_shared import install as install_completion
from typer.core import TyperCommand, TyperGroup, TyperOption

from api.cli.vi_errors import vietnamese

F = TypeVar("F", bound=Callable[..., Any])

USAGE_PREFIX = "Cách dùng: "
HELP_OPTION_HELP = "Hiện hướng dẫn này rồi thoát."
OPTIONS_METAVAR = "[TÙY CHỌN]"
SUBCOMMAND_METAVAR = "LỆNH [ĐỐI SỐ]..."
# Typer's shell-completion options on the top-level command, by parameter name.
COMPLETION_HELP = {
    "install_completion": "Cài tự hoàn thành lệnh cho shell đang dùng.",
    "show_completion": "In đoạn mã tự hoàn thành cho shell đang dùng (để chép hoặc tự cài).",
}


class VietnameseUsageError(UsageError):
    """A usage error whose message is already Vietnamese (exit status 2, as Click's)."""


@contextmanager
def vietnamese_errors(ctx: Context) -> Iterator[None]:
    """Raise Click's usage errors again with their message in Vietnamese; the help a command
    shows when called without arguments passes through."""
    try:
        yield
    except (NoArgsIsHelpError, VietnameseUsageError):
        raise
    except UsageError as exc:
        raise VietnameseUsageError(vietnamese(exc), exc.ctx or ctx) from exc


def _write_usage(command: ClickCommand, ctx: Context, formatter: HelpFormatter) -> None:
    pieces = command.collect_usage_pieces(ctx)
    formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=USAGE_PREFIX)


def _help_option(option: TyperOption | None) -> TyperOption | None:
    if option is not None:
        option.help = HELP_OPTION_HELP
    return option


def _install_completion(ctx: Context, param: Any, value: Any) -> Any:
    """--install-completion with Vietnamese output (Typer's own callback prints English)."""
    if not value or ctx.resilient_parsing:
        return value
    quiet = io.StringIO()
    try:
        with contextlib.redirect_stdout(quiet):  # Typer's "Shell … is not supported."
            shell, path = install_completion(shell=value if isinstance(value, str) else None)
    except typer.Exit as exc:
        typer.echo("kcmap: chưa hỗ trợ tự hoàn thành lệnh cho shell này "
                   "(hỗ trợ bash, zsh, fish, PowerShell).", err=True)
        raise typer.Exit(exc.exit_code or 1) from exc
    typer.secho(f"Đã cài tự hoàn thành lệnh cho {shell} vào {path}", fg="green")
    typer.echo("Tự hoàn thành có hiệu lực khi mở lại cửa sổ dòng lệnh.")
    raise typer.Exit(0)


class Command(TyperCommand):
    """A command: Vietnamese usage line, help option and parsing errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.options_metavar == "[OPTIONS]":
            self.options_metavar = OPTIONS_METAVAR

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        _write_usage(self, ctx, formatter)

    def get_help_option(self, ctx: Context) -> TyperOption | None:
        return _help_option(super().get_help_option(ctx))

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        with vietnamese_errors(ctx):
            return super().parse_args(ctx, args)


class Group(TyperGroup):
    """A group of commands: as Command, and its "no such command" in Vietnamese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.options_metavar == "[OPTIONS]":
            self.options_metavar = OPTIONS_METAVAR
        if self.subcommand_metavar == "COMMAND [ARGS]...":
            self.subcommand_metavar = SUBCOMMAND_METAVAR

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        _write_usage(self, ctx, formatter)

    def get_help_option(self, ctx: Context) -> TyperOption | None:
        return _help_option(super().get_help_option(ctx))

    def get_params(self, ctx: Context) -> list[Parameter]:
        params = super().get_params(ctx)
        for param in params:  # Typer appends its completion options after building the group
            if param.name in COMPLETION_HELP and isinstance(param, TyperOption):
                param.help = COMPLETION_HELP[param.name]
                if param.name == "install_completion":
                    param.callback = _install_completion
        return params

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        with vietnamese_errors(ctx):
            return super().parse_args(ctx, args)

    def resolve_command(self, ctx: Context,
                        args: list[str]) -> tuple[str | None, ClickCommand | None, list[str]]:
        with vietnamese_errors(ctx):
            return super().resolve_command(ctx, args)


class Typer(typer.Typer):
    """typer.Typer building its group with Group and its commands with Command."""

    def __init__(self, **kwargs: Any) -> None:
        if kwargs.get("cls") is None:
            kwargs["cls"] = Group
        super().__init__(**kwargs)

    def command(self, name: str | None = None, **kwargs: Any) -> Callable[[F], F]:
        if kwargs.get("cls") is None:
            kwargs["cls"] = Command
        decorator: Callable[[F], F] = super().command(name, **kwargs)
        return decorator
