"""ETags and If-Match: a writer must show it saw the version it is replacing."""

from __future__ import annotations

from app.core.errors import PreconditionFailed, PreconditionRequired


def etag(revision: int) -> str:
    return f'"{revision}"'


def check_if_match(if_match: str | None, revision: int, what: str) -> None:
    """428 without If-Match, 412 when none of its tags is the current one."""
    if if_match is None:
        raise PreconditionRequired(f"{what} exists: send If-Match with its ETag to replace it.")
    tags = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" not in tags and etag(revision) not in tags:
        raise PreconditionFailed(
            f"{what} has changed (ETag {etag(revision)}); read it again and retry."
        )
