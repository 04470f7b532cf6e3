"""Segments and policy: the payer class x value tier matrix with each cell's segment, terms,
credit limit and contact plan; a segment edited under the same ETag rule as the API (the form
carries the revision it was drawn from, sent as If-Match: a change since is 412)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from starlette.requests import Request
from starlette.responses import Response

from app.console.access import (
    Form,
    Posted,
    Refused,
    Viewer,
    may,
    minor_units,
    refusals,
    render,
    see_other,
    valid,
)
from app.core.keys import SEGMENTS_WRITE
from app.core.preconditions import etag
from app.core.vocabulary import KEY_PATTERN
from app.http.state import state_of
from app.segmentation import policy
from app.segments import service as segments
from app.segments.schemas import SegmentIn

router = APIRouter(include_in_schema=False)
SegmentKey = Annotated[str, Path(pattern=KEY_PATTERN)]
Notice = Annotated[str | None, Query(max_length=200)]
PAYER_CLASSES = ("good", "average", "poor")
VALUE_TIERS = ("high", "standard")


@router.get("/segments")
def matrix(request: Request, who: Viewer, notice: Notice = None) -> Response:
    """Any key reads segments and the policy, as in the API."""
    state = state_of(request)
    with state.opened_store().reading() as session:
        in_force = policy.in_force(session)
        listed, _ = segments.listing(session, None, 100)
    return render(
        request,
        "segments.html",
        who,
        title="Segments and policy",
        notice=notice,
        policy=in_force,
        segments={segment.key: segment for segment in listed},
        payer_classes=PAYER_CLASSES,
        value_tiers=VALUE_TIERS,
        may_edit=may(who, SEGMENTS_WRITE),
    )


@router.get("/segments/{key}")
def edit_page(request: Request, key: SegmentKey, who: Viewer) -> Response:
    state = state_of(request)
    with state.opened_store().reading() as session, refusals():
        segment = segments.get(session, key)
    plan = "\n".join(
        f"{step.offset_days} {step.relative_to} {step.channel} {step.kind}"
        for step in segment.contact_plan
    )
    return render(
        request,
        "segment.html",
        who,
        title=f"Segment {key}",
        segment=segment,
        plan=plan,
        may_edit=may(who, SEGMENTS_WRITE),
    )


@router.post("/segments/{key}")
def replace(request: Request, key: SegmentKey, form: Form) -> Response:
    """Replace the segment, as `PUT /v1/segments/{key}` with If-Match."""
    if not may(form.who, SEGMENTS_WRITE):
        raise Refused(403, "Forbidden", "Your key needs the scope 'segments:write' for this.")
    state = state_of(request)
    revision = form.get("revision")
    with refusals():
        body = valid(SegmentIn, _segment_fields(form))
        with state.opened_store().writing() as session:
            changed, _created = segments.put(
                session,
                key,
                body=body,
                if_match=etag(int(revision)) if revision.isdigit() else None,
                who=form.who.principal,
                clock=state.clock,
                reason=form.get("reason") or None,
            )
    return see_other(f"/console/segments?notice=Segment+{key}+is+now+revision+{changed.revision}")


def _segment_fields(form: Posted) -> dict[str, Any]:
    terms_type = form.get("terms_type")
    days = form.get("net_days")
    limit, currency = form.get("credit_limit"), form.get("currency")
    steps = []
    for number, line in enumerate(form.get("contact_plan").splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 4 or not parts[0].lstrip("-").isdigit():
            raise Refused(
                422,
                "Invalid request",
                f"Contact plan line {number}: write 'offset relative_to channel kind', "
                "e.g. '-5 due phone service_check'.",
            )
        steps.append(
            {
                "offset_days": int(parts[0]),
                "relative_to": parts[1],
                "channel": parts[2],
                "kind": parts[3],
            }
        )
    return {
        "name": form.get("name"),
        "terms": {
            "type": terms_type,
            "net_days": 0 if terms_type == "pay_on_order" else int(days) if days.isdigit() else -1,
        },
        "credit_limit": (
            {"amount": minor_units(limit, currency), "currency": currency} if limit else None
        ),
        "workflow": form.get("workflow"),
        "contact_plan": steps,
    }
