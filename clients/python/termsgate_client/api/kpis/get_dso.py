import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dso_out import DsoOut
from ...models.get_dso_method import GetDsoMethod
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: datetime.date,
    to: datetime.date,
    currency: str,
    segment: None | str | Unset = UNSET,
    method: GetDsoMethod | Unset = GetDsoMethod.STANDARD,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to = to.isoformat()
    params["to"] = json_to

    params["currency"] = currency

    json_segment: None | str | Unset
    if isinstance(segment, Unset):
        json_segment = UNSET
    else:
        json_segment = segment
    params["segment"] = json_segment

    json_method: str | Unset = UNSET
    if not isinstance(method, Unset):
        json_method = method.value

    params["method"] = json_method

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/kpis/dso",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> DsoOut | Problem | None:
    if response.status_code == 200:
        response_200 = DsoOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[DsoOut | Problem]:
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
    segment: None | str | Unset = UNSET,
    method: GetDsoMethod | Unset = GetDsoMethod.STANDARD,
) -> Response[DsoOut | Problem]:
    """Get Dso

     DSO for [from, to], with best possible DSO and ADD (README, Receivables KPIs).

    Args:
        from_ (datetime.date): First day of the period.
        to (datetime.date): Last day of the period, included.
        currency (str): ISO 4217 code.
        segment (None | str | Unset): Only invoices routed to this segment.
        method (GetDsoMethod | Unset):  Default: GetDsoMethod.STANDARD.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DsoOut | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        currency=currency,
        segment=segment,
        method=method,
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
    segment: None | str | Unset = UNSET,
    method: GetDsoMethod | Unset = GetDsoMethod.STANDARD,
) -> DsoOut | Problem | None:
    """Get Dso

     DSO for [from, to], with best possible DSO and ADD (README, Receivables KPIs).

    Args:
        from_ (datetime.date): First day of the period.
        to (datetime.date): Last day of the period, included.
        currency (str): ISO 4217 code.
        segment (None | str | Unset): Only invoices routed to this segment.
        method (GetDsoMethod | Unset):  Default: GetDsoMethod.STANDARD.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DsoOut | Problem
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        currency=currency,
        segment=segment,
        method=method,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date,
    to: datetime.date,
    currency: str,
    segment: None | str | Unset = UNSET,
    method: GetDsoMethod | Unset = GetDsoMethod.STANDARD,
) -> Response[DsoOut | Problem]:
    """Get Dso

     DSO for [from, to], with best possible DSO and ADD (README, Receivables KPIs).

    Args:
        from_ (datetime.date): First day of the period.
        to (datetime.date): Last day of the period, included.
        currency (str): ISO 4217 code.
        segment (None | str | Unset): Only invoices routed to this segment.
        method (GetDsoMethod | Unset):  Default: GetDsoMethod.STANDARD.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DsoOut | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        currency=currency,
        segment=segment,
        method=method,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date,
    to: datetime.date,
    currency: str,
    segment: None | str | Unset = UNSET,
    method: GetDsoMethod | Unset = GetDsoMethod.STANDARD,
) -> DsoOut | Problem | None:
    """Get Dso

     DSO for [from, to], with best possible DSO and ADD (README, Receivables KPIs).

    Args:
        from_ (datetime.date): First day of the period.
        to (datetime.date): Last day of the period, included.
        currency (str): ISO 4217 code.
        segment (None | str | Unset): Only invoices routed to this segment.
        method (GetDsoMethod | Unset):  Default: GetDsoMethod.STANDARD.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DsoOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            currency=currency,
            segment=segment,
            method=method,
        )
    ).parsed
