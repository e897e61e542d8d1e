"""Pages of the cycle's own records: recognised products and collaborators (lists, forms to
add and change them). Templates under progress/; every value reaches the page escaped."""

from __future__ import annotations

from typing import Any

from geo.accounts.authz import Actor
from geo.cycle.products import KINDS, LEVELS
from maps.pages.layout import render_page

KIND_CHOICES = list(KINDS.items())
LEVEL_CHOICES = [(code, name.capitalize()) for code, name in LEVELS.items()]


def products_page(actor: Actor, csrf: str, products: list[dict[str, Any]],
                  districts: list[tuple[str, str]], district: str, district_name: str,
                  establishments: list[dict[str, Any]], can_write: bool,
                  values: dict[str, Any], message: str = "", error: str = "") -> str:
    """/products: the list (filtered by district) and, for writers, the form to add one."""
    return render_page("progress/products.html", "Sản phẩm được công nhận", actor, csrf,
                       products=products, districts=districts, district=district,
                       district_name=district_name, establishments=establishments,
                       can_write=can_write, values=values, kinds=KIND_CHOICES,
                       levels=LEVEL_CHOICES, message=message, error=error)


def product_page(actor: Actor, csrf: str, product: dict[str, Any],
                 establishments: list[dict[str, Any]], can_write: bool,
                 values: dict[str, Any], message: str = "", error: str = "") -> str:
    """/products/{id}: the product and, for writers, the form to change it."""
    return render_page("progress/product.html", product["name"], actor, csrf,
                       product=product, establishments=establishments, can_write=can_write,
                       values=values, kinds=KIND_CHOICES, levels=LEVEL_CHOICES,
                       message=message, error=error)


def collaborators_page(actor: Actor, csrf: str, collaborators: list[dict[str, Any]],
                       missing: list[dict[str, Any]], districts: list[tuple[str, str]],
                       district: str, district_name: str, communes: list[dict[str, Any]],
                       can_write: bool, personal: bool, values: dict[str, Any],
                       message: str = "", error: str = "") -> str:
    """/collaborators: the list, the communes without one and the form to add one."""
    return render_page("progress/collaborators.html", "Cộng tác viên khuyến công", actor, csrf,
                       collaborators=collaborators, missing=missing, districts=districts,
                       district=district, district_name=district_name, communes=communes,
                       can_write=can_write, personal=personal, values=values,
                       message=message, error=error)


def collaborator_page(actor: Actor, csrf: str, person: dict[str, Any],
                      communes: list[dict[str, Any]], can_write: bool, personal: bool,
                      values: dict[str, Any], message: str = "", error: str = "") -> str:
    """/collaborators/{id}: the collaborator and, for writers, the form to change it."""
    return render_page("progress/collaborator.html",
                       f"Cộng tác viên xã {person['commune_name']}", actor, csrf,
                       person=person, communes=communes, can_write=can_write,
                       personal=personal, values=values, message=message, error=error)
