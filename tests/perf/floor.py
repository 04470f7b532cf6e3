"""The floor: a bare ASGI app answering constant JSON, served by uvicorn as `termsgate serve` is.

Whatever the lookup costs above this is ours; this much is uvicorn, the loop and the socket.
Run: `python -m tests.perf.floor --port 8001`.
"""

from __future__ import annotations

import argparse
from typing import Final

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.logs import log_config

# The shape and size of a lookup answer (about 150 bytes).
BODY: Final = (
    b'{"customer_id":"cust-0424242","segment":"net_30","terms":{"type":"net","net_days":30},'
    b'"credit_limit":null,"source":"segment","policy_version":1,"stale":false}'
)
HEADERS: Final = [
    (b"content-type", b"application/json"),
    (b"content-length", str(len(BODY)).encode()),
]


async def floor(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        await send({"type": "http.response.body", "body": BODY})
    elif scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return


def create_app() -> ASGIApp:
    return floor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    # The same options as app/processes.py `_run_uvicorn` with --workers 1.
    uvicorn.run(
        "tests.perf.floor:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=1,
        loop="uvloop",
        http="httptools",
        access_log=False,
        server_header=False,
        log_config=log_config("INFO"),
        timeout_graceful_shutdown=10,
    )


if __name__ == "__main__":
    main()
