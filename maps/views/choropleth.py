"""The choropleth's indicators, value classes, colours and extent (no HTML)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import mapclassify
import numpy as np

from geo.core.vocab import IndicatorKey
from maps.core.format import format_int, format_vnd

EDITION_CHOICES = (("legacy", "Trước 1/7/2025 (có cấp huyện)"),
                   ("2025", "Từ 1/7/2025 (xã mới, gồm Kon Tum cũ)"))

def format_permille(value: int) -> str:
    """Per-mille integer as a Vietnamese percentage: 125 -> '12,5 %'."""
    return f"{value / 10:.1f}".replace(".", ",") + " %"


@dataclass(frozen=True)
class Indicator:
    """A mappable indicator: label, formatter, scale to whole numbers, whether it is per period."""

    label: str
    fmt: Callable[[int], str]
    scale: int = 1
    per_period: bool = True


# Label and formatter of every IndicatorKey (tests check none is missing).
INDICATORS: dict[str, Indicator] = {
    IndicatorKey.kc_vnd: Indicator("Kinh phí khuyến công", format_vnd),
    IndicatorKey.counterpart_vnd: Indicator("Vốn đối ứng", format_vnd),
    IndicatorKey.projects: Indicator("Số đề án khuyến công", format_int),
    IndicatorKey.beneficiaries: Indicator("Số đối tượng thụ hưởng (khác nhau)", format_int),
    IndicatorKey.establishments:
        Indicator("Số cơ sở công nghiệp nông thôn", format_int, per_period=False),
    IndicatorKey.workers: Indicator("Số lao động của cơ sở CNNT", format_int, per_period=False),
    IndicatorKey.craft_villages: Indicator("Số làng nghề", format_int, per_period=False),
    IndicatorKey.vnd_per_establishment:
        Indicator("Kinh phí khuyến công bình quân một cơ sở", format_vnd),
    IndicatorKey.vnd_per_worker:
        Indicator("Kinh phí khuyến công bình quân một lao động", format_vnd),
    IndicatorKey.beneficiary_share:
        Indicator("Tỷ lệ cơ sở CNNT được hỗ trợ", format_permille, 1000),
    IndicatorKey.recognised_products:
        Indicator("Số sản phẩm được công nhận (OCOP, CNNT tiêu biểu)", format_int,
                  per_period=False),
    IndicatorKey.communes_without_collaborator:
        Indicator("Số xã chưa có cộng tác viên khuyến công", format_int, per_period=False),
    IndicatorKey.unmet_requested_vnd:
        Indicator("Kinh phí đề nghị hỗ trợ chưa đáp ứng", format_vnd, per_period=False),
}
CLASSIFICATIONS = {"quantiles": "phân vị", "jenks": "khoảng tự nhiên (Jenks)"}
ALLOCATION_WORDS = {
    "none": "Không chia (đề án cấp huyện để riêng)",
    "even": "Chia đều cho các xã trong huyện",
    "establishments": "Chia theo số cơ sở CNNT của xã",
}
LEVEL_WORD = {"commune": "xã", "district": "huyện"}
LEVEL_CHOICES = (("commune", "Cấp xã"), ("district", "Cấp huyện"))
# ColorBrewer YlOrRd, 5 classes; fewer classes take evenly spaced colours from it.
PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
ZERO_COLOR = "#cfcfcf"
ZERO_LABEL = "Không có"
NODATA_COLOR = "#f7f7f7"
NODATA_LABEL = "Không tính được (không có cơ sở hoặc lao động)"
STATUS_WORDS = {"planned": "dự kiến", "approved": "đã phê duyệt", "in_progress": "đang thực hiện",
                "completed": "hoàn thành", "cancelled": "đã hủy"}
MAX_LISTED = 15
NO_COMMUNES = " (huyện không có đơn vị cấp xã)"
NO_WEIGHTS = " (huyện không có cơ sở CNNT để chia theo)"
BOUNDARY_WORDS = {"approximate": "gần đúng (dựng từ tâm xã)", "official": "chính thức"}


def indicator_value(unit: Mapping[str, Any], indicator: str) -> int | None:
    """The unit's value of an indicator as a whole number on the indicator's scale."""
    raw = unit.get(indicator)
    if raw is None:
        return None
    return int(round(float(raw) * INDICATORS[indicator].scale))


@dataclass(frozen=True)
class ValueClass:
    """A class of whole-number values lo..hi (inclusive) and its fill colour."""

    lo: int
    hi: int
    color: str


def _bins(positive: list[int], k: int, method: str) -> list[float]:
    """Upper bounds of K classes of the values (mapclassify)."""
    y = np.array(positive, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "jenks" and len(set(positive)) > k:
            return [float(b) for b in mapclassify.FisherJenks(y, k=k).bins]
        return [float(b) for b in mapclassify.Quantiles(y, k=k).bins]


def classify(values: Sequence[int | None], k: int = 5,
             method: str = "quantiles") -> list[ValueClass]:
    """Classes (quantiles or Jenks natural breaks) of the non-zero values; zero is grey."""
    positive = sorted(int(v) for v in values if v is not None and v > 0)
    if not positive:
        return []
    k = min(k, len(set(positive)))
    bins = _bins(positive, k, method)
    uppers = sorted({min(math.floor(b), positive[-1]) for b in bins} | {positive[-1]})
    classes: list[tuple[int, int]] = []
    lo = positive[0]
    for hi in uppers:
        if hi >= lo and any(lo <= v <= hi for v in positive):
            classes.append((lo, hi))
            lo = hi + 1
    n = len(classes)
    colors = [PALETTE[round(i * (len(PALETTE) - 1) / (n - 1))] for i in range(n)] if n > 1 \
        else [PALETTE[2]]
    return [ValueClass(lo, hi, c) for (lo, hi), c in zip(classes, colors, strict=True)]


def color_for(value: int | None, classes: Sequence[ValueClass]) -> str:
    """Fill colour of a value: near-white for no data, grey for zero, else its class colour."""
    if value is None:
        return NODATA_COLOR
    if value <= 0:
        return ZERO_COLOR
    for c in classes:
        if value <= c.hi:
            return c.color
    return classes[-1].color if classes else ZERO_COLOR


def class_label(c: ValueClass, fmt: Callable[[int], str]) -> str:
    """'a – b' (or 'a' when the class holds one value), formatted."""
    return fmt(c.lo) if c.lo == c.hi else f"{fmt(c.lo)} – {fmt(c.hi)}"


def _coords(geometry: dict[str, Any]) -> Iterator[tuple[float, float]]:
    """All (lon, lat) positions of a Polygon or MultiPolygon."""
    rings = geometry["coordinates"]
    polys = [rings] if geometry["type"] == "Polygon" else rings
    for poly in polys:
        for ring in poly:
            for x, y, *_ in ring:
                yield x, y


def bounds_of(geometries: Sequence[dict[str, Any]]) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the geometries, or None without any."""
    xs, ys = [], []
    for g in geometries:
        for x, y in _coords(g):
            xs.append(x)
            ys.append(y)
    if not xs:
        return None
    return [[min(ys), min(xs)], [max(ys), max(xs)]]
