"""HTTP for reading recorded checkout decisions (deciding happens in the edge)."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from app.checkout import repository
from app.checkout.recorder import DecisionRecorder
from app.checkout.schemas import DecisionOut
from app.core.errors import NotFound
from app.core.vocabulary import PRINTABLE_PATTERN
from app.http.dependencies import CheckoutReader, ReadSession
from app.http.problems import problems

router = APIRouter(tags=["checkout"])
DecisionId = Annotated[str, Path(max_length=40, pattern=PRINTABLE_PATTERN)]


@router.get(
    "/v1/checkout/decisions/{decision_id}",
    response_model=DecisionOut,
    responses=problems(401, 403, 404, 422, 503),
)
def get_decision(
    decision_id: DecisionId, who: CheckoutReader, request: Request, session: ReadSession
) -> Response:
    """A decision as checkout was answered, inputs included."""
    recorder: DecisionRecorder = request.app.state.recorder
    document = recorder.find(decision_id) or repository.answer(session, decision_id)
    if document is None:
        raise NotFound(f"No decision '{decision_id}'.")
    return Response(orjson.dumps(document), media_type="application/json")
