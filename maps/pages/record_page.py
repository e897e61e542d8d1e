"""Pages of single records for people (establishment, craft village, project): the facts in
Vietnamese, linked from the map popups (the JSON stays under /api)."""

from __future__ import annotations

from typing import Any

from geo.accounts.authz import Actor, can_review
from maps.core.format import format_int, format_vnd
from maps.export.labels import PROJECT_STATUS, SOURCE
from maps.pages.layout import render_page
from maps.pages.review_words import PRECISION, STATUS, local_time, word


def _text(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)


def _count(value: Any) -> str:
    return "—" if value is None else format_int(value)


def archive_view(record: dict[str, Any]) -> dict[str, Any] | None:
    """What the archived notice says (geo.records.archived.archive_note); None when live."""
    note = record.get("archived")
    if not note:
        return None
    place = ", ".join(str(n) for n in (note.get("commune_name"), note.get("district_name")) if n)
    return {"at": local_time(note["at"]), "batch": note.get("batch_id"),
            "file": note.get("file_name") or "—", "username": note.get("username"),
            "place": place}


def establishment_page(record: dict[str, Any], actor: Actor | None) -> str:
    """An establishment: trade, workers, commune, district, how well it is located."""
    loc = record.get("location") or {}
    facts = [("Ngành nghề", _text(record.get("trade"))),
             ("Số lao động", _count(record.get("workers"))),
             ("Xã", _text(loc.get("commune_name"))), ("Huyện", _text(loc.get("district_name"))),
             ("Vị trí", word(PRECISION, loc.get("precision") or "none")),
             ("Trạng thái định vị", word(STATUS, loc.get("geocode_status")) or "—")]
    if "owner_name" in record:
        facts[:0] = [("Chủ cơ sở", _text(record.get("owner_name"))),
                     ("Điện thoại", _text(record.get("phone"))),
                     ("Địa chỉ", _text(record.get("address_raw")))]
    district = record.get("district_code")
    archived = archive_view(record)
    review = (f"/review/{district}/establishments/{record['id']}"
              if district and can_review(actor, district) and not archived else "")
    return render_page("pages/record.html", record["name"], actor, heading="Cơ sở CNNT",
                       record_name=record["name"], facts=facts, demo=record.get("is_demo"),
                       archived=archived,
                       json_url=f"/api/establishments/{record['id']}", review=review,
                       map_url=f"/maps/establishments?district={district or ''}")


def village_page(record: dict[str, Any], actor: Actor | None) -> str:
    """A craft village: trade, recognition, households, workers, commune, district."""
    facts = [("Ngành nghề", _text(record.get("trade"))),
             ("Quyết định công nhận", _text(record.get("decision"))),
             ("Năm công nhận", _text(record.get("recognised_year"))),
             ("Số hộ", _count(record.get("households"))),
             ("Số lao động", _count(record.get("workers"))),
             ("Xã", _text(record.get("commune_name"))),
             ("Huyện", _text(record.get("district_name"))),
             ("Vị trí", word(PRECISION, record.get("precision") or "none"))]
    return render_page("pages/record.html", record["name"], actor, heading="Làng nghề",
                       record_name=record["name"], facts=facts, demo=record.get("is_demo"),
                       archived=archive_view(record),
                       json_url=f"/api/villages/{record['id']}", review="",
                       map_url=f"/maps/villages?district={record.get('district_code') or ''}")


def project_page(record: dict[str, Any], actor: Actor | None) -> str:
    """A khuyến công project: year, source, activity, money, beneficiary, where."""
    places = sorted({str(loc.get("commune_name") or loc.get("district_name") or "")
                     for loc in record.get("locations", [])} - {""})
    money = record.get("budget_vnd")
    facts = [("Năm", _text(record.get("year"))),
             ("Nguồn kinh phí", SOURCE.get(str(record.get("funding_source")), "—")),
             ("Hoạt động", _text(record.get("activity_name"))),
             ("Kinh phí khuyến công", format_vnd(money) if money is not None else "—"),
             ("Vốn đối ứng", format_vnd(record["counterpart_vnd"])
              if record.get("counterpart_vnd") is not None else "—"),
             ("Đơn vị thụ hưởng", _text(record.get("beneficiary"))),
             ("Trạng thái", PROJECT_STATUS.get(str(record.get("status")), "—")),
             ("Địa bàn", ", ".join(places) or "—")]
    return render_page("pages/record.html", record["title"], actor, heading="Đề án khuyến công",
                       record_name=record["title"], facts=facts, demo=record.get("is_demo"),
                       archived=archive_view(record),
                       json_url=f"/api/projects/{record['id']}", review="",
                       map_url=f"/maps/projects?years={record.get('year') or ''}")
