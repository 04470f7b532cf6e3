"""Cursor paging for every list: `{"items": [...], "next_cursor": null | "..."}`."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=1000, description="Items per page (1 to 1000).")]
Cursor = Annotated[str | None, Query(max_length=512, description="next_cursor of the last page.")]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None
