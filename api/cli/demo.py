"""`kcmap demo …` commands."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli import vi_typer
from api.cli.common import in_transaction
from geo.core.db import Connection
from geo.intake.demo_store import DemoCounts

app = vi_typer.Typer(help="Dữ liệu mẫu (giả lập)", no_args_is_help=True)


@app.command("load")
def load(
    scale: Annotated[int, typer.Option(help="Hệ số: 1 = khoảng 1.500 cơ sở, "
                                            "300 đề án; tối đa 700 (khoảng 1.050.000 "
                                            "cơ sở)")] = 1,
    seed: Annotated[int, typer.Option(
        help="Hạt giống ngẫu nhiên (cùng hạt giống, cùng dữ liệu)")] = 2021,
) -> None:
    """Thay dữ liệu mẫu (is_demo) bằng một bộ giả lập mới; bản ghi đã nhập được giữ nguyên."""
    from geo.core.migrate import migrate
    from geo.intake.demo_store import load_demo

    def work(conn: Connection) -> DemoCounts:
        migrate(conn)
        return load_demo(conn, scale=scale, seed=seed,
                         progress=lambda text: typer.echo(text, err=True))

    counts = in_transaction(work)
    typer.echo(f"bản ghi mẫu (giả lập): {counts.establishments} cơ sở, "
               f"{counts.craft_villages} làng nghề, {counts.projects} đề án, "
               f"{counts.locations} vị trí")


@app.command("clear")
def clear() -> None:
    """Xóa mọi bản ghi mẫu (is_demo) và vị trí của chúng; bản ghi đã nhập được giữ nguyên."""
    from geo.intake.demo_store import delete_demo

    counts = in_transaction(delete_demo)
    typer.echo(f"đã xóa: {counts.establishments} cơ sở, "
               f"{counts.craft_villages} làng nghề, {counts.projects} đề án, "
               f"{counts.locations} vị trí")
