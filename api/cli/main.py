"""The `kcmap` command line: database, gazetteer, boundaries, demo data and the server."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from api.cli import backup as cli_backup
from api.cli import boundaries as cli_boundaries
from api.cli import demo as cli_demo
from api.cli import geocode as cli_geocode
from api.cli import imports as cli_import
from api.cli import priority as cli_priority
from api.cli import report as cli_report
from api.cli import targets as cli_targets
from api.cli import users as cli_users
from api.cli import vi_catalog, vi_typer
from api.cli.common import fail, in_transaction, run_guarded
from api.database import database_from_env
from geo.core.db import Connection
from geo.core.errors import KcmapError

app = vi_typer.Typer(help="kcmap: bản đồ khuyến công tỉnh Quảng Ngãi", no_args_is_help=True)
db_app = vi_typer.Typer(help="Cơ sở dữ liệu PostGIS: cụm cục bộ và cập nhật lược đồ",
                     no_args_is_help=True)
gaz_app = vi_typer.Typer(help="Danh mục đơn vị hành chính", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(gaz_app, name="gazetteer")
app.add_typer(cli_boundaries.app, name="boundaries")
app.add_typer(cli_demo.app, name="demo")
app.command("geocode")(cli_geocode.geocode)
app.add_typer(cli_import.app, name="import")
app.add_typer(cli_priority.app, name="priority")
app.add_typer(cli_users.app, name="users")
app.add_typer(cli_report.app, name="report")
app.command("backup")(cli_backup.backup)
app.command("restore")(cli_backup.restore)
app.add_typer(cli_targets.app, name="targets")




@db_app.command("start")
def db_start() -> None:
    """Khởi động cụm PostGIS cục bộ (không làm gì khi đã đặt DATABASE_URL)."""
    from geo.core.cluster import ensure_cluster
    from geo.core.settings import DatabaseSettings, HomeSettings

    if DatabaseSettings().url:
        typer.echo("Đã đặt DATABASE_URL: không cần cụm PostgreSQL cục bộ")
        return
    try:
        typer.echo(ensure_cluster(HomeSettings()))
    except KcmapError as exc:
        raise fail(exc) from exc


@db_app.command("stop")
def db_stop() -> None:
    """Dừng cụm PostGIS cục bộ."""
    from geo.core.cluster import stop_cluster
    from geo.core.settings import HomeSettings

    typer.echo("đã dừng" if stop_cluster(HomeSettings()) else "không chạy")


@db_app.command("url")
def db_url() -> None:
    """In địa chỉ cơ sở dữ liệu kcmap đang dùng."""
    from geo.core.cluster import resolve_dsn
    from geo.core.settings import DatabaseSettings, HomeSettings

    typer.echo(resolve_dsn(DatabaseSettings(), HomeSettings()))


@db_app.command("migrate")
def db_migrate() -> None:
    """Áp dụng các bản cập nhật lược đồ còn thiếu."""
    from geo.core.migrate import migrate

    names = in_transaction(migrate)
    typer.echo("đã áp dụng: " + ", ".join(names) if names else "lược đồ đã mới nhất")


@db_app.command("status")
def db_status() -> None:
    """Xem các bản cập nhật lược đồ đã áp dụng và số bản ghi."""
    from geo.core.status import database_status

    status = in_transaction(database_status)
    for key, value in status.items():
        typer.echo(f"{key}: {value}")


@gaz_app.command("load")
def gazetteer_load() -> None:
    """Nạp đơn vị hành chính tỉnh 51 của cả hai bản và bảng đối chiếu từ vietnamadminunits."""
    from geo.core.migrate import migrate
    from geo.gazetteer import loader as gazetteer

    def work(conn: Connection) -> gazetteer.GazetteerCounts:
        migrate(conn)
        return gazetteer.load(conn)

    counts = in_transaction(work)
    typer.echo(
        f"trước 1/7/2025: {counts.legacy_districts} huyện, {counts.legacy_communes} xã; "
        f"2025: {counts.units_2025} xã; dòng đối chiếu: {counts.crosswalk}; "
        f"tên khác: {counts.aliases}"
    )


@app.command("setup")
def setup(
    demo_scale: Annotated[int, typer.Option(help="Hệ số dữ liệu mẫu cho cơ sở dữ liệu trống")] = 1,
) -> None:
    """Khởi động PostGIS, cập nhật lược đồ; nạp danh mục, ranh giới, dữ liệu mẫu nếu trống."""
    from geo.core.bootstrap import bootstrap

    steps = in_transaction(lambda conn: bootstrap(conn, demo_scale=demo_scale))
    for step in steps:
        typer.echo(step)


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Địa chỉ lắng nghe (KCMAP_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Cổng (KCMAP_PORT)")] = None,
    workers: Annotated[int | None, typer.Option(
        min=1, max=64,
        help="Số tiến trình phục vụ (KCMAP_WORKERS; mặc định mỗi lõi một tiến trình)")] = None,
) -> None:
    """Chạy máy chủ web."""
    import uvicorn
    from pydantic import ValidationError

    from api.web.proxies import uvicorn_proxy_options
    from geo.core.settings import AuthSettings, MapSettings, ServerSettings

    try:
        settings = ServerSettings()
        # Forwarded headers only from KCMAP_TRUSTED_PROXIES (none by default), never from
        # loopback implicitly; each worker's app applies the same rule (api/web/proxies.py).
        proxy_headers, allowed = uvicorn_proxy_options(settings.trusted_proxies)
        MapSettings(), AuthSettings()  # checked here once, read again by each worker
        database_from_env().close()  # starts the local cluster if needed; fails early
    except ValidationError as exc:
        raise fail(KcmapError(f"Cấu hình máy chủ không hợp lệ: {exc.errors()[0]['msg']}")) \
            from exc
    except KcmapError as exc:
        raise fail(exc) from exc
    from api.web.request_log import log_config

    # An import string and a factory: each worker process builds its own app (database pool,
    # settings) from the environment it inherits. kcmap's request log (id, user, duration)
    # replaces uvicorn's access log.
    uvicorn.run("api.web.app:create_app", factory=True, host=host or settings.host,
                port=port or settings.port, workers=workers or settings.workers,
                log_level="info", log_config=log_config(), access_log=False,
                proxy_headers=proxy_headers, forwarded_allow_ips=allowed)


def main() -> None:
    """Entry point of the `kcmap` command: Typer's own texts in Vietnamese (vi_catalog; before
    any help or error is formatted), then the app."""
    vi_catalog.install()
    sys.exit(run_guarded(app))


if __name__ == "__main__":  # pragma: no cover
    main()


