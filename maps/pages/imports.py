"""The /imports page: upload a spreadsheet, see its preview, decide, commit (maps/static/imports.js
talks to /api/imports; every text from a file is inserted as text)."""

from __future__ import annotations

from typing import Any

from geo.accounts.authz import Actor
from geo.intake.columns import KIND_FIELDS
from geo.intake.need_columns import NEED_FIELDS
from geo.records.kinds import RecordKind
from maps.core.assets import own_url
from maps.pages.layout import render_page

KIND_NAMES = {"establishments": "Cơ sở CNNT", "villages": "Làng nghề",
              "projects": "Đề án khuyến công", "needs": "Nhu cầu hỗ trợ (đăng ký của huyện)"}


def imports_page(actor: Actor, csrf: str, batches: list[dict[str, Any]],
                 mappings: list[dict[str, Any]]) -> str:
    """The page; officers are offered establishments, villages and needs only."""
    kinds = [(k, v) for k, v in KIND_NAMES.items()
             if actor.role != "district_officer" or k != "projects"]
    fields = {k.plural: ["ignore", *KIND_FIELDS[k]] for k in RecordKind}
    fields["needs"] = ["ignore", *NEED_FIELDS]
    return render_page("imports/page.html", "Nhập dữ liệu", actor, csrf,
                       scripts=(own_url("imports.js"),), kinds=kinds, batches=batches,
                       mappings=mappings, fields=fields)
