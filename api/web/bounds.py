"""Bounded route parameters: ids, offsets and limits beyond these are refused with 422."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

MAX_INT = 2**31 - 1  # no id, offset or limit above this reaches the database

RecordId = Annotated[int, Path(ge=1, le=MAX_INT, description="record id (1…2³¹−1)")]
Offset = Annotated[int, Query(ge=0, le=MAX_INT, description="records to skip (0…2³¹−1)")]
