"""Vietnamese number formatting: dot thousands, no decimals (`1.250.000.000 đ`)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def format_int(value: float | int | Decimal) -> str:
    """Round half up to a whole number and group thousands with dots: 1250000 -> '1.250.000'."""
    n = int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    sign = "-" if n < 0 else ""
    return sign + f"{abs(n):,}".replace(",", ".")


def format_vnd(value: float | int | Decimal) -> str:
    """Amount in đồng: 1250000000 -> '1.250.000.000 đ'."""
    return f"{format_int(value)} đ"

