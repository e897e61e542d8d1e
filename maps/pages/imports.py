"""The /imports page: upload a spreadsheet, see its preview, decide, commit (maps/static/imports.js
talks to /api/imports; every text from a file is inserted as text)."""

from __future__ import annotations

from typing import Any

from geo.accounts.authz import Actor
from geo.intake.columns import KIND_FIELDS, label
from geo.intake.need_columns import NEED_FIELDS, need_label
from geo.records.kinds import RecordKind
from maps.core.assets import own_url
from maps.pages.layout import render_page

KIND_NAMES = {"establishments": "Cơ sở CNNT", "villages": "Làng nghề",
              "projects": "Đề án khuyến công", "needs": "Nhu cầu hỗ trợ (đăng ký của huyện)"}
# what a row issue or a conflict names besides a record field
ISSUE_FIELDS = {"row": "Dòng", "address": "Địa chỉ", "lat,lon": "Tọa độ",
                "coordinates": "Tọa độ", "location": "Vị trí", "ignore": "(bỏ qua cột)"}


def field_labels() -> dict[str, dict[str, str]]:
    """Per kind (plural), the Vietnamese word of each field an issue or a mapping names."""
    out = {k.plural: {**ISSUE_FIELDS, **{f: label(f, k) for f in KIND_FIELDS[k]}}
           for k in RecordKind}
    out["needs"] = {**ISSUE_FIELDS, **{f: need_label(f) for f in NEED_FIELDS}}
    return out


def imports_page(actor: Actor, csrf: str, batches: list[dict[str, Any]],
                 mappings: list[dict[str, Any]]) -> str:
    """The page; officers are offered establishments, villages and needs only."""
    kinds = [(k, v) for k, v in KIND_NAMES.items()
             if actor.role != "district_officer" or k != "projects"]
    fields = {k.plural: ["ignore", *KIND_FIELDS[k]] for k in RecordKind}
    fields["needs"] = ["ignore", *NEED_FIELDS]
    return render_page("imports/page.html", "Nhập dữ liệu", actor, csrf,
                       scripts=(own_url("imports.js"),), kinds=kinds, batches=batches,
                       mappings=mappings, fields=fields, labels=field_labels())
