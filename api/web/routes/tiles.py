"""The local basemap: tiles of the .mbtiles file KCMAP_TILES names, served by the app."""

from __future__ import annotations

from pathlib import Path as FilePath

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from geo.core.errors import NotFound
from geo.publish.basemap_tiles import is_mbtiles, read_tile

router = APIRouter(tags=["basemap"])


@router.get("/tiles/basemap/{z}/{x}/{y}.png", summary="A tile of the local basemap")
def basemap_tile(request: Request, z: int = Path(ge=0, le=24), x: int = Path(ge=0),
                 y: int = Path(ge=0)) -> Response:
    """Tile z/x/y (XYZ numbering) of the configured .mbtiles file."""
    tiles = request.app.state.map_settings.tiles
    if not is_mbtiles(tiles):
        raise NotFound("Chưa cấu hình tệp bản đồ nền .mbtiles (KCMAP_TILES)")
    body, media = read_tile(FilePath(tiles.strip()), z, x, y)
    return Response(body, media_type=media, headers={"Cache-Control": "max-age=86400"})
