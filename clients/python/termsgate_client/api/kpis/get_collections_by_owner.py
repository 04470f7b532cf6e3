import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.collections_out import CollectionsOut
from ...models.get_collections_by_owner_interval import GetCollectionsByOwnerInterval
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: datetime.date,
    to: datetime.date,
    currency: str,
    interval: GetCollectionsByOwnerInterval | Unset = GetCollectionsByOwnerInterval.MONTH,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to = to.isoformat()
    params["to"] = json_to

    params["currency"] = currency

    json_interval: str | Unset = UNSET
    if not isinstance(interval, Unset):
        json_interval = interval.value

    params["interval"] = json_interval

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/kpis/collections-by-owner",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CollectionsOut | Problem | None:
    if response.status_code == 200:
        response_200 = CollectionsOut.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[CollectionsOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date,
    to: datetime.date,
    currency: str,
    interval: GetCollectionsByOwnerInterval | Unset = GetCollectionsByOwnerInterval.MONTH,
) -> Response[CollectionsOut | Problem]:
    """Get Collections By Owner

     Per sales owner and period, the share of invoicing paid by the due date.

    Args:
        from_ (datetime.date): First issue date counted.
        to (datetime.date): Last issue date counted.
        currency (str): ISO 4217 code.
        interval (GetCollectionsByOwnerInterval | Unset): Calendar months or quarters. Default:
            GetCollectionsByOwnerInterval.MONTH.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CollectionsOut | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        currency=currency,
        interval=interval,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date,
    to: datetime.date,
    currency: str,
    interval: GetCollectionsByOwnerInterval | Unset = GetCollectionsByOwnerInterval.MONTH,
) -> CollectionsOut | Problem | None:
    """Get Collections By Owner

     Per sales owner and period, the share of invoicing paid by the due date.

    Args:
        from_ (datetime.date): First issue date counted.
        to (datetime.date): Last issue date counted.
        currency (str): ISO 4217 code.
        interval (GetCollectionsByOwnerInterval | Unset): Calendar months or quarters. Default:
            GetCollectionsByOwnerInterval.MONTH.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CollectionsOut | Problem
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        currency=currency,
        interval=interval,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date,
    to: datetime.date,
    currency: str,
    interval: GetCollectionsByOwnerInterval | Unset = GetCollectionsByOwnerInterval.MONTH,
) -> Response[CollectionsOut | Problem]:
    """Get Collections By Owner

     Per sales owner and period, the share of invoicing paid by the due date.

    Args:
        from_ (datetime.date): First issue date counted.
        to (datetime.date): Last issue date counted.
        currency (str): ISO 4217 code.
        interval (GetCollectionsByOwnerInterval | Unset): Calendar months or quarters. Default:
            GetCollectionsByOwnerInterval.MONTH.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CollectionsOut | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        currency=currency,
        interval=interval,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date,
    to: datetime.date,
    currency: str,
    interval: GetCollectionsByOwnerInterval | Unset = GetCollectionsByOwnerInterval.MONTH,
) -> CollectionsOut | Problem | None:
    """Get Collections By Owner

     Per sales owner and period, the share of invoicing paid by the due date.

    Args:
        from_ (datetime.date): First issue date counted.
        to (datetime.date): Last issue date counted.
        currency (str): ISO 4217 code.
        interval (GetCollectionsByOwnerInterval | Unset): Calendar months or quarters. Default:
            GetCollectionsByOwnerInterval.MONTH.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CollectionsOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            currency=currency,
            interval=interval,
        )
    ).parsed
