import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_invoice_forecast_out import PageInvoiceForecastOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    as_of: datetime.date | None | Unset = UNSET,
    customer_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_as_of: None | str | Unset
    if isinstance(as_of, Unset):
        json_as_of = UNSET
    elif isinstance(as_of, datetime.date):
        json_as_of = as_of.isoformat()
    else:
        json_as_of = as_of
    params["as_of"] = json_as_of

    json_customer_id: None | str | Unset
    if isinstance(customer_id, Unset):
        json_customer_id = UNSET
    else:
        json_customer_id = customer_id
    params["customer_id"] = json_customer_id

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/forecasts/cash/invoices",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageInvoiceForecastOut | Problem | None:
    if response.status_code == 200:
        response_200 = PageInvoiceForecastOut.from_dict(response.json())

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
) -> Response[PageInvoiceForecastOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    as_of: datetime.date | None | Unset = UNSET,
    customer_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> Response[PageInvoiceForecastOut | Problem]:
    """Get Invoice Forecasts

     Each invoice open at as_of with its expected payment day and, in words, its basis.

    Args:
        as_of (datetime.date | None | Unset): Known at the end of this day; default today.
        customer_id (None | str | Unset):
        limit (int | Unset): Items per page (1 to 1000). Default: 100.
        cursor (None | str | Unset): next_cursor of the last page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageInvoiceForecastOut | Problem]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
        customer_id=customer_id,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    as_of: datetime.date | None | Unset = UNSET,
    customer_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> PageInvoiceForecastOut | Problem | None:
    """Get Invoice Forecasts

     Each invoice open at as_of with its expected payment day and, in words, its basis.

    Args:
        as_of (datetime.date | None | Unset): Known at the end of this day; default today.
        customer_id (None | str | Unset):
        limit (int | Unset): Items per page (1 to 1000). Default: 100.
        cursor (None | str | Unset): next_cursor of the last page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageInvoiceForecastOut | Problem
    """

    return sync_detailed(
        client=client,
        as_of=as_of,
        customer_id=customer_id,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    as_of: datetime.date | None | Unset = UNSET,
    customer_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> Response[PageInvoiceForecastOut | Problem]:
    """Get Invoice Forecasts

     Each invoice open at as_of with its expected payment day and, in words, its basis.

    Args:
        as_of (datetime.date | None | Unset): Known at the end of this day; default today.
        customer_id (None | str | Unset):
        limit (int | Unset): Items per page (1 to 1000). Default: 100.
        cursor (None | str | Unset): next_cursor of the last page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageInvoiceForecastOut | Problem]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
        customer_id=customer_id,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    as_of: datetime.date | None | Unset = UNSET,
    customer_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> PageInvoiceForecastOut | Problem | None:
    """Get Invoice Forecasts

     Each invoice open at as_of with its expected payment day and, in words, its basis.

    Args:
        as_of (datetime.date | None | Unset): Known at the end of this day; default today.
        customer_id (None | str | Unset):
        limit (int | Unset): Items per page (1 to 1000). Default: 100.
        cursor (None | str | Unset): next_cursor of the last page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageInvoiceForecastOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            as_of=as_of,
            customer_id=customer_id,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
