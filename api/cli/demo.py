"""`kcmap demo …` commands."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.common import in_transaction
from geo.core.db import Connection
from geo.intake.demo_store import DemoCounts

app = typer.Typer(help="Synthetic demo records", no_args_is_help=True)


@app.command("load")
def load(
    scale: Annotated[int, typer.Option(help="Multiplier: 1 = ~1,500 establishments, "
                                            "~300 projects; at most 700 (~1,050,000 "
                                            "establishments)")] = 1,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same records)")] = 2021,
) -> None:
    """Replace the demo records (is_demo) with a synthetic set; imported records stay."""
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
    """Delete every demo record (is_demo) and its locations; imported records stay."""
    from geo.intake.demo_store import delete_demo

    counts = in_transaction(delete_demo)
    typer.echo(f"đã xóa: {counts.establishments} cơ sở, "
               f"{counts.craft_villages} làng nghề, {counts.projects} đề án, "
               f"{counts.locations} vị trí")
