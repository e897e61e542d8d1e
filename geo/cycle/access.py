"""Who may write needs and plans (on top of geo.accounts.authz roles).

- district officers register and change needs of establishments of their own district;
- planners and admins: needs anywhere, and the plans;
- viewers read needs and plans; anonymous callers neither.
"""

from __future__ import annotations

from geo.accounts.authz import Actor, require_actor
from geo.core.errors import Forbidden
from geo.core.vocab import IndicatorKey

# Indicators drawn from support needs: like the needs themselves, for logged-in users only.
LOGIN_INDICATORS = frozenset({IndicatorKey.unmet_requested_vnd})


def can_write_need(actor: Actor | None, district_code: str | None) -> bool:
    """Whether the actor may register or change a need of an establishment in this district."""
    if actor is None:
        return False
    if actor.role in ("admin", "planner"):
        return True
    return (actor.role == "district_officer" and district_code is not None
            and district_code == actor.district_code)


def check_need_write(actor: Actor | None, district_code: str | None) -> Actor:
    """The actor if it may write this district's needs; Unauthorized or Forbidden otherwise."""
    who = require_actor(actor)
    if not can_write_need(who, district_code):
        if who.role == "district_officer":
            raise Forbidden("Cơ sở này không thuộc huyện của bạn")
        raise Forbidden("Tài khoản này không có quyền đăng ký nhu cầu hỗ trợ")
    return who


def can_plan(actor: Actor | None) -> bool:
    """Whether the actor may open, change and approve annual plans (planners, admins)."""
    return actor is not None and actor.role in ("admin", "planner")


def check_plan(actor: Actor | None) -> Actor:
    """The actor if it may write plans."""
    who = require_actor(actor)
    if not can_plan(who):
        raise Forbidden("Chỉ cán bộ kế hoạch hoặc quản trị được lập và phê duyệt kế hoạch")
    return who


def check_read(actor: Actor | None) -> Actor:
    """Any logged-in user reads needs and plans."""
    return require_actor(actor)


def check_indicator(actor: Actor | None, indicator: IndicatorKey) -> None:
    """Unauthorized for an anonymous caller asking for an indicator drawn from needs."""
    if indicator in LOGIN_INDICATORS:
        require_actor(actor)


def can_write_local(actor: Actor | None, district_code: str | None) -> bool:
    """Whether the actor may write a recognised product, a collaborator or a project's
    outputs in this district (planners and admins anywhere, officers in their own)."""
    if actor is None:
        return False
    if actor.role in ("admin", "planner"):
        return True
    return (actor.role == "district_officer" and district_code is not None
            and district_code == actor.district_code)
