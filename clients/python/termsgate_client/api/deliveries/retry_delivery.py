from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delivery_out import DeliveryOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    event_id: str,
    *,
    x_audit_reason: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_audit_reason, Unset):
        headers["X-Audit-Reason"] = x_audit_reason

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/deliveries/{event_id}/retry".format(
            event_id=quote(str(event_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> DeliveryOut | Problem | None:
    if response.status_code == 200:
        response_200 = DeliveryOut.from_dict(response.json())

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
) -> Response[DeliveryOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    event_id: str,
    *,
    client: AuthenticatedClient | Client,
    x_audit_reason: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[DeliveryOut | Problem]:
    """Retry Delivery

     Send a dead delivery again, with a fresh retry schedule (409 once delivered).

    Args:
        event_id (str): The event id, evt_...
        x_audit_reason (None | str | Unset):
        idempotency_key (None | str | Unset): Makes a retry safe: the same key and body within 24
            hours answer the first response again, with Idempotent-Replayed: true.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryOut | Problem]
    """

    kwargs = _get_kwargs(
        event_id=event_id,
        x_audit_reason=x_audit_reason,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    event_id: str,
    *,
    client: AuthenticatedClient | Client,
    x_audit_reason: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> DeliveryOut | Problem | None:
    """Retry Delivery

     Send a dead delivery again, with a fresh retry schedule (409 once delivered).

    Args:
        event_id (str): The event id, evt_...
        x_audit_reason (None | str | Unset):
        idempotency_key (None | str | Unset): Makes a retry safe: the same key and body within 24
            hours answer the first response again, with Idempotent-Replayed: true.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryOut | Problem
    """

    return sync_detailed(
        event_id=event_id,
        client=client,
        x_audit_reason=x_audit_reason,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    event_id: str,
    *,
    client: AuthenticatedClient | Client,
    x_audit_reason: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[DeliveryOut | Problem]:
    """Retry Delivery

     Send a dead delivery again, with a fresh retry schedule (409 once delivered).

    Args:
        event_id (str): The event id, evt_...
        x_audit_reason (None | str | Unset):
        idempotency_key (None | str | Unset): Makes a retry safe: the same key and body within 24
            hours answer the first response again, with Idempotent-Replayed: true.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryOut | Problem]
    """

    kwargs = _get_kwargs(
        event_id=event_id,
        x_audit_reason=x_audit_reason,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    event_id: str,
    *,
    client: AuthenticatedClient | Client,
    x_audit_reason: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> DeliveryOut | Problem | None:
    """Retry Delivery

     Send a dead delivery again, with a fresh retry schedule (409 once delivered).

    Args:
        event_id (str): The event id, evt_...
        x_audit_reason (None | str | Unset):
        idempotency_key (None | str | Unset): Makes a retry safe: the same key and body within 24
            hours answer the first response again, with Idempotent-Replayed: true.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryOut | Problem
    """

    return (
        await asyncio_detailed(
            event_id=event_id,
            client=client,
            x_audit_reason=x_audit_reason,
            idempotency_key=idempotency_key,
        )
    ).parsed
