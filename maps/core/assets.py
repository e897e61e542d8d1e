"""Offline JS/CSS: vendor files from the xstatic-* packages plus kcmap's own, served locally."""

from __future__ import annotations

from pathlib import Path

STATIC_PREFIX = "/static"
OWN_DIR = Path(__file__).resolve().parent.parent / "static"


def vendor_dirs() -> dict[str, Path]:
    """Name -> directory of each vendored library (from installed xstatic packages)."""
    import xstatic.pkg.bootstrap as bootstrap
    import xstatic.pkg.font_awesome as font_awesome
    import xstatic.pkg.jquery as jquery
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as markercluster

    return {
        "leaflet": Path(leaflet.BASE_DIR),
        "jquery": Path(jquery.BASE_DIR),
        "bootstrap": Path(bootstrap.BASE_DIR),
        "font-awesome": Path(font_awesome.BASE_DIR),
        "markercluster": Path(markercluster.BASE_DIR),
    }


def vendor_url(name: str, path: str) -> str:
    """URL of a vendored file, e.g. vendor_url('leaflet', 'leaflet.js')."""
    return f"{STATIC_PREFIX}/vendor/{name}/{path}"


def own_url(path: str) -> str:
    """URL of one of kcmap's own static files."""
    return f"{STATIC_PREFIX}/kcmap/{path}"
