from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.release_out import ReleaseOut
from ...types import Response


def _get_kwargs(
    decision_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/checkout/decisions/{decision_id}/release".format(
            decision_id=quote(str(decision_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ReleaseOut | None:
    if response.status_code == 200:
        response_200 = ReleaseOut.from_dict(response.json())

        return response_200

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | ReleaseOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    decision_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Problem | ReleaseOut]:
    """Release Decision

     The order will not be invoiced (cancelled, or paid on order): its net-terms decision
    stops counting against the customer's credit limit, on every process within a second.
    Releasing again answers the same; 409 for a pay-on-order decision or an invoiced order.

    Args:
        decision_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReleaseOut]
    """

    kwargs = _get_kwargs(
        decision_id=decision_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    decision_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Problem | ReleaseOut | None:
    """Release Decision

     The order will not be invoiced (cancelled, or paid on order): its net-terms decision
    stops counting against the customer's credit limit, on every process within a second.
    Releasing again answers the same; 409 for a pay-on-order decision or an invoiced order.

    Args:
        decision_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReleaseOut
    """

    return sync_detailed(
        decision_id=decision_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    decision_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Problem | ReleaseOut]:
    """Release Decision

     The order will not be invoiced (cancelled, or paid on order): its net-terms decision
    stops counting against the customer's credit limit, on every process within a second.
    Releasing again answers the same; 409 for a pay-on-order decision or an invoiced order.

    Args:
        decision_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReleaseOut]
    """

    kwargs = _get_kwargs(
        decision_id=decision_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    decision_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Problem | ReleaseOut | None:
    """Release Decision

     The order will not be invoiced (cancelled, or paid on order): its net-terms decision
    stops counting against the customer's credit limit, on every process within a second.
    Releasing again answers the same; 409 for a pay-on-order decision or an invoiced order.

    Args:
        decision_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReleaseOut
    """

    return (
        await asyncio_detailed(
            decision_id=decision_id,
            client=client,
        )
    ).parsed
