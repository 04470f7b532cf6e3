from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    key: str,
    *,
    if_match: None | str | Unset = UNSET,
    x_audit_reason: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(x_audit_reason, Unset):
        headers["X-Audit-Reason"] = x_audit_reason

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/segments/{key}".format(
            key=quote(str(key), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | None:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
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
    if_match: None | str | Unset = UNSET,
    x_audit_reason: None | str | Unset = UNSET,
) -> Response[Any | Problem]:
    """Delete Segment

     Delete a segment no customer and no policy uses (else 409).

    Args:
        key (str):
        if_match (None | str | Unset):
        x_audit_reason (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        key=key,
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
    if_match: None | str | Unset = UNSET,
    x_audit_reason: None | str | Unset = UNSET,
) -> Any | Problem | None:
    """Delete Segment

     Delete a segment no customer and no policy uses (else 409).

    Args:
        key (str):
        if_match (None | str | Unset):
        x_audit_reason (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return sync_detailed(
        key=key,
        client=client,
        if_match=if_match,
        x_audit_reason=x_audit_reason,
    ).parsed


async def asyncio_detailed(
    key: str,
    *,
    client: AuthenticatedClient | Client,
    if_match: None | str | Unset = UNSET,
    x_audit_reason: None | str | Unset = UNSET,
) -> Response[Any | Problem]:
    """Delete Segment

     Delete a segment no customer and no policy uses (else 409).

    Args:
        key (str):
        if_match (None | str | Unset):
        x_audit_reason (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        key=key,
        if_match=if_match,
        x_audit_reason=x_audit_reason,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    key: str,
    *,
    client: AuthenticatedClient | Client,
    if_match: None | str | Unset = UNSET,
    x_audit_reason: None | str | Unset = UNSET,
) -> Any | Problem | None:
    """Delete Segment

     Delete a segment no customer and no policy uses (else 409).

    Args:
        key (str):
        if_match (None | str | Unset):
        x_audit_reason (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return (
        await asyncio_detailed(
            key=key,
            client=client,
            if_match=if_match,
            x_audit_reason=x_audit_reason,
        )
    ).parsed
