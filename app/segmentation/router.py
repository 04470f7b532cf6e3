"""HTTP for the segmentation policy."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.dependencies import AnyKey, ReadSession
from app.preconditions import etag
from app.problems import problems
from app.segmentation import repository
from app.segmentation.schemas import PolicyOut

router = APIRouter(tags=["segmentation"])


@router.get("/v1/segmentation-policy", responses=problems(401, 403, 503))
def get_policy(who: AnyKey, session: ReadSession, response: Response) -> PolicyOut:
    """The policy in force, with its version as ETag."""
    policy = repository.policy_in_force(session)
    response.headers["ETag"] = etag(policy.version)
    return PolicyOut.model_validate({"version": policy.version, **policy.document})
