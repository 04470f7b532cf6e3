from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.decision_note_in import DecisionNoteIn
from ...models.problem import Problem
from ...models.term_exception_out import TermExceptionOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    exception_id: str,
    *,
    body: DecisionNoteIn | None | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/term-exceptions/{exception_id}/reject".format(
            exception_id=quote(str(exception_id), safe=""),
        ),
    }

    if isinstance(body, DecisionNoteIn):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TermExceptionOut | None:
    if response.status_code == 200:
        response_200 = TermExceptionOut.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[Problem | TermExceptionOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    exception_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: DecisionNoteIn | None | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | TermExceptionOut]:
    """Reject Term Exception

     Reject a pending exception requested by another person's key.

    Args:
        exception_id (str):
        idempotency_key (None | str | Unset): Makes a retry safe: the same key and body within 24
            hours answer the first response again, with Idempotent-Replayed: true.
        body (DecisionNoteIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TermExceptionOut]
    """

    kwargs = _get_kwargs(
        exception_id=exception_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    exception_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: DecisionNoteIn | None | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | TermExceptionOut | None:
    """Reject Term Exception

     Reject a pending exception requested by another person's key.

    Args:
        exception_id (str):
        idempotency_key (None | str | Unset): Makes a retry safe: the same key and body within 24
            hours answer the first response again, with Idempotent-Replayed: true.
        body (DecisionNoteIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TermExceptionOut
    """

    return sync_detailed(
        exception_id=exception_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    exception_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: DecisionNoteIn | None | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | TermExceptionOut]:
    """Reject Term Exception

     Reject a pending exception requested by another person's key.

    Args:
        exception_id (str):
        idempotency_key (None | str | Unset): Makes a retry safe: the same key and body within 24
            hours answer the first response again, with Idempotent-Replayed: true.
        body (DecisionNoteIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TermExceptionOut]
    """

    kwargs = _get_kwargs(
        exception_id=exception_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    exception_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: DecisionNoteIn | None | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | TermExceptionOut | None:
    """Reject Term Exception

     Reject a pending exception requested by another person's key.

    Args:
        exception_id (str):
        idempotency_key (None | str | Unset): Makes a retry safe: the same key and body within 24
            hours answer the first response again, with Idempotent-Replayed: true.
        body (DecisionNoteIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TermExceptionOut
    """

    return (
        await asyncio_detailed(
            exception_id=exception_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
