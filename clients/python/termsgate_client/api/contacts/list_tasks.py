import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_tasks_status_type_0 import ListTasksStatusType0
from ...models.page_task_out import PageTaskOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    on: datetime.date | None | Unset = UNSET,
    status: ListTasksStatusType0 | None | Unset = UNSET,
    customer_id: None | str | Unset = UNSET,
    invoice_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_on: None | str | Unset
    if isinstance(on, Unset):
        json_on = UNSET
    elif isinstance(on, datetime.date):
        json_on = on.isoformat()
    else:
        json_on = on
    params["on"] = json_on

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ListTasksStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_customer_id: None | str | Unset
    if isinstance(customer_id, Unset):
        json_customer_id = UNSET
    else:
        json_customer_id = customer_id
    params["customer_id"] = json_customer_id

    json_invoice_id: None | str | Unset
    if isinstance(invoice_id, Unset):
        json_invoice_id = UNSET
    else:
        json_invoice_id = invoice_id
    params["invoice_id"] = json_invoice_id

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
        "url": "/v1/contact-tasks",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PageTaskOut | Problem | None:
    if response.status_code == 200:
        response_200 = PageTaskOut.from_dict(response.json())

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
) -> Response[PageTaskOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    on: datetime.date | None | Unset = UNSET,
    status: ListTasksStatusType0 | None | Unset = UNSET,
    customer_id: None | str | Unset = UNSET,
    invoice_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> Response[PageTaskOut | Problem]:
    """List Tasks

     Tasks dated on or before `on`, by id.

    Args:
        on (datetime.date | None | Unset): The day (default today, UTC).
        status (ListTasksStatusType0 | None | Unset): Only tasks in this state.
        customer_id (None | str | Unset): Only this customer's.
        invoice_id (None | str | Unset): Only this invoice's.
        limit (int | Unset): Items per page (1 to 1000). Default: 100.
        cursor (None | str | Unset): next_cursor of the last page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageTaskOut | Problem]
    """

    kwargs = _get_kwargs(
        on=on,
        status=status,
        customer_id=customer_id,
        invoice_id=invoice_id,
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
    on: datetime.date | None | Unset = UNSET,
    status: ListTasksStatusType0 | None | Unset = UNSET,
    customer_id: None | str | Unset = UNSET,
    invoice_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> PageTaskOut | Problem | None:
    """List Tasks

     Tasks dated on or before `on`, by id.

    Args:
        on (datetime.date | None | Unset): The day (default today, UTC).
        status (ListTasksStatusType0 | None | Unset): Only tasks in this state.
        customer_id (None | str | Unset): Only this customer's.
        invoice_id (None | str | Unset): Only this invoice's.
        limit (int | Unset): Items per page (1 to 1000). Default: 100.
        cursor (None | str | Unset): next_cursor of the last page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageTaskOut | Problem
    """

    return sync_detailed(
        client=client,
        on=on,
        status=status,
        customer_id=customer_id,
        invoice_id=invoice_id,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    on: datetime.date | None | Unset = UNSET,
    status: ListTasksStatusType0 | None | Unset = UNSET,
    customer_id: None | str | Unset = UNSET,
    invoice_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> Response[PageTaskOut | Problem]:
    """List Tasks

     Tasks dated on or before `on`, by id.

    Args:
        on (datetime.date | None | Unset): The day (default today, UTC).
        status (ListTasksStatusType0 | None | Unset): Only tasks in this state.
        customer_id (None | str | Unset): Only this customer's.
        invoice_id (None | str | Unset): Only this invoice's.
        limit (int | Unset): Items per page (1 to 1000). Default: 100.
        cursor (None | str | Unset): next_cursor of the last page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageTaskOut | Problem]
    """

    kwargs = _get_kwargs(
        on=on,
        status=status,
        customer_id=customer_id,
        invoice_id=invoice_id,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    on: datetime.date | None | Unset = UNSET,
    status: ListTasksStatusType0 | None | Unset = UNSET,
    customer_id: None | str | Unset = UNSET,
    invoice_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> PageTaskOut | Problem | None:
    """List Tasks

     Tasks dated on or before `on`, by id.

    Args:
        on (datetime.date | None | Unset): The day (default today, UTC).
        status (ListTasksStatusType0 | None | Unset): Only tasks in this state.
        customer_id (None | str | Unset): Only this customer's.
        invoice_id (None | str | Unset): Only this invoice's.
        limit (int | Unset): Items per page (1 to 1000). Default: 100.
        cursor (None | str | Unset): next_cursor of the last page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageTaskOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            on=on,
            status=status,
            customer_id=customer_id,
            invoice_id=invoice_id,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
