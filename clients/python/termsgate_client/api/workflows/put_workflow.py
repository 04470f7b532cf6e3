from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.workflow_in import WorkflowIn
from ...models.workflow_out import WorkflowOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    key: str,
    *,
    body: WorkflowIn,
    if_match: None | str | Unset = UNSET,
    x_audit_reason: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(x_audit_reason, Unset):
        headers["X-Audit-Reason"] = x_audit_reason

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/workflows/{key}".format(
            key=quote(str(key), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WorkflowOut | None:
    if response.status_code == 200:
        response_200 = WorkflowOut.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = WorkflowOut.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 428:
        response_428 = Problem.from_dict(response.json())

        return response_428

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | WorkflowOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: WorkflowIn,
    if_match: None | str | Unset = UNSET,
    x_audit_reason: None | str | Unset = UNSET,
) -> Response[Problem | WorkflowOut]:
    """Put Workflow

     Create a workflow (201) or replace one under If-Match (200).

    Args:
        key (str):
        if_match (None | str | Unset):
        x_audit_reason (None | str | Unset):
        body (WorkflowIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkflowOut]
    """

    kwargs = _get_kwargs(
        key=key,
        body=body,
        if_match=if_match,
        x_audit_reason=x_audit_reason,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: WorkflowIn,
    if_match: None | str | Unset = UNSET,
    x_audit_reason: None | str | Unset = UNSET,
) -> Problem | WorkflowOut | None:
    """Put Workflow

     Create a workflow (201) or replace one under If-Match (200).

    Args:
        key (str):
        if_match (None | str | Unset):
        x_audit_reason (None | str | Unset):
        body (WorkflowIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkflowOut
    """

    return sync_detailed(
        key=key,
        client=client,
        body=body,
        if_match=if_match,
        x_audit_reason=x_audit_reason,
    ).parsed


async def asyncio_detailed(
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: WorkflowIn,
    if_match: None | str | Unset = UNSET,
    x_audit_reason: None | str | Unset = UNSET,
) -> Response[Problem | WorkflowOut]:
    """Put Workflow

     Create a workflow (201) or replace one under If-Match (200).

    Args:
        key (str):
        if_match (None | str | Unset):
        x_audit_reason (None | str | Unset):
        body (WorkflowIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkflowOut]
    """

    kwargs = _get_kwargs(
        key=key,
        body=body,
        if_match=if_match,
        x_audit_reason=x_audit_reason,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    key: str,
    *,
    client: AuthenticatedClient | Client,
    body: WorkflowIn,
    if_match: None | str | Unset = UNSET,
    x_audit_reason: None | str | Unset = UNSET,
) -> Problem | WorkflowOut | None:
    """Put Workflow

     Create a workflow (201) or replace one under If-Match (200).

    Args:
        key (str):
        if_match (None | str | Unset):
        x_audit_reason (None | str | Unset):
        body (WorkflowIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkflowOut
    """

    return (
        await asyncio_detailed(
            key=key,
            client=client,
            body=body,
            if_match=if_match,
            x_audit_reason=x_audit_reason,
        )
    ).parsed
