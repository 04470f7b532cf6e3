import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.accuracy_out import AccuracyOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: datetime.date,
    to: datetime.date,
    currency: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to = to.isoformat()
    params["to"] = json_to

    json_currency: None | str | Unset
    if isinstance(currency, Unset):
        json_currency = UNSET
    else:
        json_currency = currency
    params["currency"] = json_currency

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/forecasts/cash/accuracy",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AccuracyOut | Problem | None:
    if response.status_code == 200:
        response_200 = AccuracyOut.from_dict(response.json())

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
) -> Response[AccuracyOut | Problem]:
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
    currency: None | str | Unset = UNSET,
) -> Response[AccuracyOut | Problem]:
    """Get Forecast Accuracy

     The forecasts kept each night from..to, each week beside what was then paid.

    Args:
        from_ (datetime.date): First day a forecast was made.
        to (datetime.date): Last day a forecast was made.
        currency (None | str | Unset): ISO 4217 code.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccuracyOut | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        currency=currency,
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
    currency: None | str | Unset = UNSET,
) -> AccuracyOut | Problem | None:
    """Get Forecast Accuracy

     The forecasts kept each night from..to, each week beside what was then paid.

    Args:
        from_ (datetime.date): First day a forecast was made.
        to (datetime.date): Last day a forecast was made.
        currency (None | str | Unset): ISO 4217 code.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccuracyOut | Problem
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        currency=currency,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date,
    to: datetime.date,
    currency: None | str | Unset = UNSET,
) -> Response[AccuracyOut | Problem]:
    """Get Forecast Accuracy

     The forecasts kept each night from..to, each week beside what was then paid.

    Args:
        from_ (datetime.date): First day a forecast was made.
        to (datetime.date): Last day a forecast was made.
        currency (None | str | Unset): ISO 4217 code.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccuracyOut | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        currency=currency,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date,
    to: datetime.date,
    currency: None | str | Unset = UNSET,
) -> AccuracyOut | Problem | None:
    """Get Forecast Accuracy

     The forecasts kept each night from..to, each week beside what was then paid.

    Args:
        from_ (datetime.date): First day a forecast was made.
        to (datetime.date): Last day a forecast was made.
        currency (None | str | Unset): ISO 4217 code.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccuracyOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            currency=currency,
        )
    ).parsed
