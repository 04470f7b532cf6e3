from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.touch_batch_in import TouchBatchIn
from ...models.touch_batch_out import TouchBatchOut
from ...types import Response


def _get_kwargs(
    *,
    body: TouchBatchIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/touches/batch",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TouchBatchOut | None:
    if response.status_code == 200:
        response_200 = TouchBatchOut.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

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
) -> Response[Problem | TouchBatchOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TouchBatchIn,
) -> Response[Problem | TouchBatchOut]:
    """Record Touches

     Up to 1000 touches in one transaction, each answered as POST /v1/touches would answer
    it, in the order given; one refused does not stop the others.

    Args:
        body (TouchBatchIn): Items are checked one by one, so one bad touch (even one that is not
            an object) does
            not stop the others.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TouchBatchOut]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: TouchBatchIn,
) -> Problem | TouchBatchOut | None:
    """Record Touches

     Up to 1000 touches in one transaction, each answered as POST /v1/touches would answer
    it, in the order given; one refused does not stop the others.

    Args:
        body (TouchBatchIn): Items are checked one by one, so one bad touch (even one that is not
            an object) does
            not stop the others.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TouchBatchOut
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TouchBatchIn,
) -> Response[Problem | TouchBatchOut]:
    """Record Touches

     Up to 1000 touches in one transaction, each answered as POST /v1/touches would answer
    it, in the order given; one refused does not stop the others.

    Args:
        body (TouchBatchIn): Items are checked one by one, so one bad touch (even one that is not
            an object) does
            not stop the others.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TouchBatchOut]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: TouchBatchIn,
) -> Problem | TouchBatchOut | None:
    """Record Touches

     Up to 1000 touches in one transaction, each answered as POST /v1/touches would answer
    it, in the order given; one refused does not stop the others.

    Args:
        body (TouchBatchIn): Items are checked one by one, so one bad touch (even one that is not
            an object) does
            not stop the others.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TouchBatchOut
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
