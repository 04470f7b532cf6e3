import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cash_forecast_out import CashForecastOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    currency: str,
    as_of: datetime.date | None | Unset = UNSET,
    weeks: int | Unset = 13,
    segment: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["currency"] = currency

    json_as_of: None | str | Unset
    if isinstance(as_of, Unset):
        json_as_of = UNSET
    elif isinstance(as_of, datetime.date):
        json_as_of = as_of.isoformat()
    else:
        json_as_of = as_of
    params["as_of"] = json_as_of

    params["weeks"] = weeks

    json_segment: None | str | Unset
    if isinstance(segment, Unset):
        json_segment = UNSET
    else:
        json_segment = segment
    params["segment"] = json_segment

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/forecasts/cash",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CashForecastOut | Problem | None:
    if response.status_code == 200:
        response_200 = CashForecastOut.from_dict(response.json())

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
) -> Response[CashForecastOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    currency: str,
    as_of: datetime.date | None | Unset = UNSET,
    weeks: int | Unset = 13,
    segment: None | str | Unset = UNSET,
) -> Response[CashForecastOut | Problem]:
    """Get Cash Forecast

     Cash expected week by week from the open receivables at as_of; weeks + later = owed.

    Args:
        currency (str): ISO 4217 code.
        as_of (datetime.date | None | Unset): Known at the end of this day; default today.
        weeks (int | Unset): Weeks ahead, 1 to 52. Default: 13.
        segment (None | str | Unset): Only invoices routed to it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CashForecastOut | Problem]
    """

    kwargs = _get_kwargs(
        currency=currency,
        as_of=as_of,
        weeks=weeks,
        segment=segment,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    currency: str,
    as_of: datetime.date | None | Unset = UNSET,
    weeks: int | Unset = 13,
    segment: None | str | Unset = UNSET,
) -> CashForecastOut | Problem | None:
    """Get Cash Forecast

     Cash expected week by week from the open receivables at as_of; weeks + later = owed.

    Args:
        currency (str): ISO 4217 code.
        as_of (datetime.date | None | Unset): Known at the end of this day; default today.
        weeks (int | Unset): Weeks ahead, 1 to 52. Default: 13.
        segment (None | str | Unset): Only invoices routed to it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CashForecastOut | Problem
    """

    return sync_detailed(
        client=client,
        currency=currency,
        as_of=as_of,
        weeks=weeks,
        segment=segment,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    currency: str,
    as_of: datetime.date | None | Unset = UNSET,
    weeks: int | Unset = 13,
    segment: None | str | Unset = UNSET,
) -> Response[CashForecastOut | Problem]:
    """Get Cash Forecast

     Cash expected week by week from the open receivables at as_of; weeks + later = owed.

    Args:
        currency (str): ISO 4217 code.
        as_of (datetime.date | None | Unset): Known at the end of this day; default today.
        weeks (int | Unset): Weeks ahead, 1 to 52. Default: 13.
        segment (None | str | Unset): Only invoices routed to it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CashForecastOut | Problem]
    """

    kwargs = _get_kwargs(
        currency=currency,
        as_of=as_of,
        weeks=weeks,
        segment=segment,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    currency: str,
    as_of: datetime.date | None | Unset = UNSET,
    weeks: int | Unset = 13,
    segment: None | str | Unset = UNSET,
) -> CashForecastOut | Problem | None:
    """Get Cash Forecast

     Cash expected week by week from the open receivables at as_of; weeks + later = owed.

    Args:
        currency (str): ISO 4217 code.
        as_of (datetime.date | None | Unset): Known at the end of this day; default today.
        weeks (int | Unset): Weeks ahead, 1 to 52. Default: 13.
        segment (None | str | Unset): Only invoices routed to it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CashForecastOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            currency=currency,
            as_of=as_of,
            weeks=weeks,
            segment=segment,
        )
    ).parsed
