"""Roles and what each may do: every write function in geo/ asks here before it writes.

- admin: everything;
- planner: reads all; edits projects and villages; sees history and reverts changes;
- district_officer: reads all; edits establishments and villages of their own district;
- viewer: reads only, without personal fields (owner name, phone, street address).
Anonymous visitors (actor None) read the public maps only, never personal fields.
Which fields are personal and which roles edit each kind: geo.records.spec.
The audit trail: planners and admins read all of it, district officers their district's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from geo.core.errors import Forbidden, Unauthorized
from geo.records.kinds import RecordKind
from geo.records.spec import PERSONAL_FIELDS, PERSONAL_READERS, SPECS

ROLES = ("admin", "planner", "district_officer", "viewer")
ROLE_NAMES = {"admin": "Quản trị", "planner": "Cán bộ kế hoạch (Sở Công Thương)",
              "district_officer": "Cán bộ huyện", "viewer": "Chỉ xem"}
ENTITIES = tuple(k.value for k in RecordKind)


@dataclass(frozen=True)
class Actor:
    """The user on whose behalf a request or command acts."""

    user_id: int
    username: str
    role: str
    district_code: str | None = None

    @property
    def is_admin(self) -> bool:
        """Whether the user is an administrator."""
        return self.role == "admin"


def require_actor(actor: Actor | None) -> Actor:
    """The actor, or Unauthorized for an anonymous caller."""
    if actor is None:
        raise Unauthorized("Cần đăng nhập")
    return actor


def can_see_personal(actor: Actor | None) -> bool:
    """Whether personal fields (owner names, phones, street addresses) may be shown."""
    return actor is not None and actor.role in PERSONAL_READERS


def redact(record: Mapping[str, Any], actor: Actor | None) -> dict[str, Any]:
    """A copy of a record without personal fields unless the actor may see them."""
    out = dict(record)
    if not can_see_personal(actor):
        for key in PERSONAL_FIELDS:
            out.pop(key, None)
    return out


def can_edit(actor: Actor | None, entity: str, district_code: str | None) -> bool:
    """Whether the actor may edit a record of this entity located in this district."""
    if actor is None or entity not in ENTITIES:
        return False
    if actor.role not in SPECS[RecordKind(entity)].editors:
        return False
    if actor.role == "district_officer":
        return district_code is not None and district_code == actor.district_code
    return True


def check_edit(actor: Actor | None, entity: str, district_code: str | None,
               fields: Iterable[str] = ()) -> Actor:
    """The actor if it may edit such a record there (and these fields of it); Unauthorized or
    one Forbidden otherwise."""
    who = require_actor(actor)
    if not can_edit(who, entity, district_code):
        if who.role == "district_officer" and entity in ENTITIES \
                and who.role in SPECS[RecordKind(entity)].editors:
            raise Forbidden("Bản ghi này không thuộc huyện của bạn")
        raise Forbidden("Tài khoản này không có quyền sửa bản ghi này")
    refused = SPECS[RecordKind(entity)].not_editable(who.role, fields)
    if refused:
        raise Forbidden("Tài khoản này không được sửa: " + ", ".join(refused))
    return who


def can_revert(actor: Actor | None) -> bool:
    """Whether the actor may undo a recorded change (planners and admins)."""
    return actor is not None and actor.role in ("admin", "planner")


def check_revert(actor: Actor | None) -> Actor:
    """The actor if it may revert changes; Unauthorized or Forbidden otherwise."""
    who = require_actor(actor)
    if not can_revert(who):
        raise Forbidden("Chỉ cán bộ kế hoạch hoặc quản trị được hoàn tác thay đổi")
    return who


def can_review(actor: Actor | None, district_code: str) -> bool:
    """Whether the actor may open the review page of a district (not viewers, own district)."""
    if actor is None:
        return False
    if actor.role in ("admin", "planner"):
        return True
    return actor.role == "district_officer" and actor.district_code == district_code


def check_review(actor: Actor | None, district_code: str) -> Actor:
    """The actor if it may open the district's review page; Unauthorized or Forbidden."""
    who = require_actor(actor)
    if not can_review(who, district_code):
        raise Forbidden("Tài khoản này không được rà soát huyện này")
    return who


def audit_scope(actor: Actor | None, district_code: str | None) -> str | None:
    """The district to which the actor's reading of the audit trail is limited (None: all).

    Planners and admins read everything (or the district asked for); a district officer only
    their own district; viewers nothing (Forbidden), anonymous callers Unauthorized.
    """
    who = require_actor(actor)
    if who.role in ("admin", "planner"):
        return district_code
    if who.role == "district_officer" and who.district_code \
            and district_code in (None, who.district_code):
        return who.district_code
    if who.role == "district_officer":
        raise Forbidden("Cán bộ huyện chỉ xem được lịch sử thay đổi của huyện mình")
    raise Forbidden("Tài khoản này không được xem lịch sử thay đổi")


def check_admin(actor: Actor | None) -> Actor:
    """The actor if it is an administrator."""
    who = require_actor(actor)
    if not who.is_admin:
        raise Forbidden("Chỉ quản trị được làm việc này")
    return who


def check_local_record(actor: Actor | None, district_code: str | None) -> Actor:
    """The actor if it may write a recognised product or a collaborator in this district
    (planners and admins anywhere, district officers in their own district)."""
    who = require_actor(actor)
    if who.role in ("admin", "planner"):
        return who
    if who.role == "district_officer":
        if district_code is not None and district_code == who.district_code:
            return who
        raise Forbidden("Bản ghi này không thuộc huyện của bạn")
    raise Forbidden("Tài khoản này không có quyền sửa bản ghi này")
