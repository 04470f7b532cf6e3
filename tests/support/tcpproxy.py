"""A loopback TCP proxy that can be switched to hang, like a black-holed network.

`TcpProxy(port)` listens on a free port of 127.0.0.1 and forwards every connection to
127.0.0.1:`port`. `hang()` stops it forwarding: bytes already on their way stay where they are,
connections keep being accepted (the kernel completes the handshake) and held, and nothing is
closed, so neither side hears anything. `forward()` lets everything held flow again, in order:
what a client sent before it gave up still reaches the server, as it would once a network
heals. `hang_after(first, then)` forwards until a connection that has carried `first` sends a
chunk holding `then` (say a COMMIT), forwards that chunk and hangs: the server acts on it, its
answer is held.

One thread, one selector; stopped (every socket closed) by `close()` or on leaving `with`.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
from dataclasses import dataclass, field
from types import TracebackType

__all__ = ["TcpProxy"]

_CHUNK = 65_536
_SEND_TIMEOUT_SECONDS = 10.0


@dataclass(eq=False)
class _Pair:
    """One client connection and, once forwarding, its connection to the server."""

    client: socket.socket
    server: socket.socket | None = None
    carried: bytes = b""  # what the client sent so far, kept only while a trigger is armed
    closed: bool = False

    def sockets(self) -> list[socket.socket]:
        return [self.client] if self.server is None else [self.client, self.server]


@dataclass
class _Trigger:
    first: bytes
    then: bytes
    armed: set[int] = field(default_factory=set)  # ids of pairs that have carried `first`


class TcpProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.setblocking(False)
        self.port: int = self._listener.getsockname()[1]
        self._wake_read, self._wake_write = socket.socketpair()
        self._lock = threading.Lock()
        self._hanging = False
        self._trigger: _Trigger | None = None
        self._pairs: list[_Pair] = []
        self._stopping = False
        self.connections_accepted = 0
        self._thread = threading.Thread(target=self._run, name="tcp-proxy", daemon=True)
        self._thread.start()

    # -- control (any thread) ---------------------------------------------------------------

    @property
    def hanging(self) -> bool:
        with self._lock:
            return self._hanging

    def hang(self) -> None:
        self._set(hanging=True, trigger=None)

    def forward(self) -> None:
        self._set(hanging=False, trigger=None)

    def hang_after(self, first: bytes, then: bytes) -> None:
        """Keep forwarding; hang right after a connection that carried `first` sends `then`."""
        self._set(hanging=False, trigger=_Trigger(first, then))

    def close(self) -> None:
        with self._lock:
            self._stopping = True
        self._wake()
        self._thread.join(timeout=10)
        for pair in self._pairs:
            _close_pair(pair)
        for sock in (self._listener, self._wake_read, self._wake_write):
            sock.close()

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.close()

    def _set(self, *, hanging: bool, trigger: _Trigger | None) -> None:
        with self._lock:
            self._hanging = hanging
            self._trigger = trigger
        self._wake()

    def _wake(self) -> None:
        self._wake_write.send(b"x")

    # -- the loop (the proxy's own thread) ----------------------------------------------------

    def _run(self) -> None:
        with selectors.DefaultSelector() as selector:
            while True:
                with self._lock:
                    if self._stopping:
                        return
                    hanging = self._hanging
                self._watch(selector, hanging)
                for key, _events in selector.select(timeout=1.0):
                    sock = key.fileobj
                    if sock is self._wake_read:
                        self._wake_read.recv(_CHUNK)
                    elif sock is self._listener:
                        self._accept(hanging)
                    elif not hanging and isinstance(key.data, _Pair):
                        assert isinstance(sock, socket.socket)
                        self._pass_on(key.data, sock)
                    if self.hanging != hanging:
                        break  # the mode changed (a trigger fired): watch afresh
                self._pairs = [pair for pair in self._pairs if not pair.closed]

    def _watch(self, selector: selectors.BaseSelector, hanging: bool) -> None:
        """Watch the listener and the wake-up socket; the connections only while forwarding."""
        for key in list(selector.get_map().values()):
            selector.unregister(key.fileobj)
        selector.register(self._wake_read, selectors.EVENT_READ)
        selector.register(self._listener, selectors.EVENT_READ)
        if hanging:
            return
        for pair in self._pairs:
            if pair.server is None and not self._connect(pair):
                continue
            for sock in pair.sockets():
                selector.register(sock, selectors.EVENT_READ, pair)

    def _accept(self, hanging: bool) -> None:
        try:
            client, _address = self._listener.accept()
        except BlockingIOError:
            return
        client.setblocking(True)
        client.settimeout(_SEND_TIMEOUT_SECONDS)
        self.connections_accepted += 1
        pair = _Pair(client)
        self._pairs.append(pair)
        if not hanging:
            self._wake()  # watch it at once

    def _connect(self, pair: _Pair) -> bool:
        try:
            pair.server = socket.create_connection(self.target, timeout=_SEND_TIMEOUT_SECONDS)
        except OSError:  # the server is down: the client hears the connection close
            _close_pair(pair)
            return False
        return True

    def _pass_on(self, pair: _Pair, sock: socket.socket) -> None:
        if pair.closed:
            return
        other = pair.server if sock is pair.client else pair.client
        assert other is not None
        try:
            chunk = sock.recv(_CHUNK)
            if not chunk:
                _close_pair(pair)
                return
            other.sendall(chunk)
        except OSError:
            _close_pair(pair)
            return
        if sock is pair.client:
            self._check_trigger(pair, chunk)

    def _check_trigger(self, pair: _Pair, chunk: bytes) -> None:
        with self._lock:
            trigger = self._trigger
            if trigger is None:
                return
            if id(pair) in trigger.armed:
                if trigger.then in chunk:
                    self._hanging, self._trigger = True, None
                return
            pair.carried = (pair.carried + chunk)[-_CHUNK:]
            if trigger.first in pair.carried:
                trigger.armed.add(id(pair))
                pair.carried = b""


def _close_pair(pair: _Pair) -> None:
    pair.closed = True
    for sock in pair.sockets():
        with contextlib.suppress(OSError):
            sock.close()
