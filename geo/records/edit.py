"""Audited edits of establishments, craft villages and projects (authorised here).

Every write checks the actor's rights (geo.accounts.authz) against the record's district before and
after the change, compares the caller's version (optimistic locking: a stale version raises
Conflict and changes nothing) and writes one audit row. Establishments and villages can be
moved (a point typed in decimal, DMS or VN-2000 metres, or dragged) or given a commune;
establishments can be confirmed as reviewed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from geo.accounts.authz import Actor, can_revert, check_edit, check_revert, require_actor
from geo.core.db import Connection
from geo.core.errors import Conflict, InvalidInput, PreconditionRequired
from geo.records.archived import refusal
from geo.records.audit import Change, audit_row, record_change
from geo.records.kinds import RecordKind
from geo.records.patch_model import PatchBase, check_changes
from geo.records.spec import SPECS, check_reason
from geo.records.state import (
    State,
    activity_exists,
    commune_at,
    commune_of,
    district_containing,
    point_ewkb,
    read_state,
    write_state,
)

MANUAL_METHOD = "manual_review"


class OutsideDistrict(InvalidInput):
    """A new point lies outside the record's district and was not confirmed (confirm_outside)."""


@dataclass(frozen=True)
class EditResult:
    """The outcome of an edit: the new version and the audit row (None if nothing changed)."""

    entity: str
    record_id: int
    version: int
    audit_id: int | None

    @property
    def establishment_id(self) -> int:
        """The record id (name kept for establishment callers)."""
        return self.record_id


def _check_inside(conn: Connection, district: str, lon: float, lat: float) -> None:
    """OutsideDistrict when the point is outside the district's boundary (if it has one)."""
    inside, name = district_containing(conn, district, lon, lat)
    if inside is False:
        raise OutsideDistrict(
            f"Điểm mới ({lat:.5f}, {lon:.5f}) nằm ngoài ranh giới huyện {name} của bản ghi. "
            "Nếu vị trí này đúng, hãy xác nhận vị trí ngoài huyện rồi lưu lại "
            "(confirm_outside).")


def _new_location(conn: Connection, actor: Actor, state: State, edits: dict[str, Any],
                  values: dict[str, Any]) -> tuple[str | None, bool]:
    """Apply point and commune edits to values; returns (new geometry, location changed)."""
    geom, moved = state.geom, False
    commune = edits.get("commune_code")
    if "point" in edits:
        lon, lat = edits["point"]
        geom = point_ewkb(conn, lon, lat)
        values.update(lon=lon, lat=lat, precision="exact", method=MANUAL_METHOD, score=1.0)
        commune = commune or values.get("commune_code") or commune_at(conn, lon, lat)
        moved = True
    if commune and (commune != state.values.get("commune_code") or moved):
        unit = commune_of(conn, commune)
        if unit is None:
            raise InvalidInput(f"Không có xã mã {commune} (đơn vị trước 1/7/2025)")
        district, centroid = unit
        if "point" in edits and not edits["confirm_outside"]:
            _check_inside(conn, district, *edits["point"])
        check_edit(actor, state.spec.entity, district)
        values.update(commune_code=commune, district_code=district)
        if values.get("precision") != "exact":
            geom = centroid
            values.update(precision="commune", method=MANUAL_METHOD, score=1.0)
        moved = True
    elif "point" in edits and state.district and not edits["confirm_outside"]:
        _check_inside(conn, state.district, *edits["point"])
    if moved:
        values.update(geocode_status="ok", has_location=True)
    return geom, moved


CONFIRM_REASON = "Xác nhận vị trí đúng"


def edit_record(conn: Connection, actor: Actor | None, entity: str, record_id: int,
                expected_version: int | None, changes: Mapping[str, Any] | PatchBase
                ) -> EditResult:
    """Change attributes, move, set the commune or confirm; audited, version-checked.
    `changes` is the kind's PATCH model (already validated) or a mapping validated by it."""
    spec = SPECS[RecordKind.parse(entity)]
    state = read_state(conn, spec, record_id, lock=True)
    if state.archived:  # its place is hidden (record_place): an edit would work blind
        require_actor(actor)
        raise refusal(conn, spec, state.id)
    fields = changes.model_fields_set if isinstance(changes, PatchBase) else set(changes)
    who = check_edit(actor, spec.entity, state.district, sorted(fields))
    edits = check_changes(spec, changes).edits()
    if expected_version is None:
        raise PreconditionRequired("Cần phiên bản bản ghi (If-Match: <version>, lấy từ GET)")
    if state.version != expected_version:
        raise Conflict(f"Bản ghi đã được sửa (phiên bản hiện tại {state.version}); "
                       "tải lại để xem thay đổi")
    if "activity_type" in edits and not activity_exists(conn, edits["activity_type"]):
        raise InvalidInput(f"Không có loại hoạt động {edits['activity_type']!r}")
    values = dict(state.values)
    values.update({k: edits[k] for k in spec.attributes if k in edits})
    geom, moved = _new_location(conn, who, state, edits, values)
    if moved or edits["confirm"]:
        if not values.get("has_location"):
            raise InvalidInput("Bản ghi chưa có vị trí: hãy nhập tọa độ hoặc chọn xã")
        values["geocode_status"] = "ok"
        if spec.reviewable:
            values.update(reviewed_at=datetime.now(UTC).isoformat(), reviewed_by=who.user_id)
    if values == state.values and geom == state.geom:
        return EditResult(entity, state.id, state.version, None)
    same_attributes = all(values[k] == state.values[k] for k in spec.attributes)
    action = "confirm" if edits["confirm"] and not moved and same_attributes else "edit"
    reason = edits["reason"] or (CONFIRM_REASON if action == "confirm" else "")
    if not reason:
        raise InvalidInput("Hãy ghi lý do thay đổi (trường reason): bắt buộc với mọi thay đổi "
                           "thông tin hoặc vị trí của bản ghi.")
    changed = [k for k in spec.attributes if values[k] != state.values[k]]
    mark_edited(conn, spec.entity, state.id, changed + (["location"] if moved else []))
    return _commit(conn, who, state, values, geom, action, reason)


def mark_edited(conn: Connection, entity: str, record_id: int, fields: list[str]) -> None:
    """Remember that a person changed these fields: a re-import never overwrites them
    silently (geo.intake.plan)."""
    if not fields:
        return
    with conn.cursor() as cur:
        cur.execute("UPDATE import_state SET edited = ARRAY(SELECT DISTINCT unnest(edited || "
                    "%s::text[]) ORDER BY 1) WHERE entity = %s AND entity_id = %s",
                    (fields, entity, record_id))


def _commit(conn: Connection, actor: Actor, state: State, values: dict[str, Any],
            geom: str | None, action: str, reason: str, reverts: int | None = None
            ) -> EditResult:
    """Write the new state with the next version and record the change."""
    version = state.version + 1
    write_state(conn, state, values, geom, version)
    after = read_state(conn, state.spec, state.id)
    audit_id = record_change(conn, actor, Change(
        state.spec.entity, state.id, action, state.version, version, state.audit_dict(),
        after.audit_dict(), state.geom, after.geom, reason, after.district or state.district,
        reverts))
    return EditResult(state.spec.entity, state.id, version, audit_id)


def revert_change(conn: Connection, actor: Actor | None, audit_id: int,
                  reason: str = "") -> EditResult:
    """Restore the state before a recorded change, if the record is as that change left it."""
    who = require_actor(actor)
    row = audit_row(conn, audit_id, lock=True)
    if row["reverted_by_id"] is not None:
        raise Conflict("Thay đổi này đã được hoàn tác")
    if row["entity"] not in {k.value for k in SPECS}:  # needs and plans (geo.cycle)
        raise Conflict("Thay đổi về nhu cầu hỗ trợ hoặc kế hoạch không hoàn tác tự động được")
    if "archived_at" in (row["after"] or {}):  # archived by an import (geo.intake.archive)
        raise Conflict("Việc lưu trữ do nhập tệp chỉ hoàn tác được cùng lô nhập (trang /imports)")
    spec = SPECS[RecordKind(row["entity"])]
    state = read_state(conn, spec, row["entity_id"], lock=True)
    if state.archived:
        raise refusal(conn, spec, state.id)
    unchanged = state.values == row["after"] and state.geom == row["geom_after"]
    if state.version != row["version_after"] and not unchanged:
        raise Conflict(f"Bản ghi đã thay đổi sau đó (phiên bản {state.version}); "
                       "hãy hoàn tác các thay đổi mới hơn trước")
    if not can_revert(who):  # an officer may undo their own last change of a record
        own_last = row["user_id"] == who.user_id and row["action"] != "revert" \
            and state.version == row["version_after"]
        if not own_last:
            check_revert(who)
        check_edit(who, spec.entity, state.district)
    text = check_reason(reason) or f"Hoàn tác thay đổi số {audit_id}"
    values = dict(state.values)
    values.update(row["before"])
    return _commit(conn, who, state, values, row["geom_before"], "revert", text, audit_id)


def edit_establishment(conn: Connection, actor: Actor | None, establishment_id: int,
                       expected_version: int | None, changes: Mapping[str, Any] | PatchBase
                       ) -> EditResult:
    """edit_record for an establishment."""
    return edit_record(conn, actor, "establishment", establishment_id, expected_version,
                       changes)
