"""localstripe (PyPI), a fake but stateful Stripe server, run for the tests on 127.0.0.1 at a free
port, its state in memory only (its own `start()` binds every interface and pickles to a fixed
file in /tmp that parallel runs would share); and a small HTTP receiver for the webhooks it sends,
which hands each delivery to the portal's webhook service and keeps it for re-posting."""

from __future__ import annotations

import hashlib
import hmac
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_SERVER = """
import sys
from aiohttp import web
from localstripe import resources
resources.Store.dump_to_disk = lambda self: None   # in memory only
from localstripe.server import app
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_localstripe() -> Iterator[str]:
    """Start localstripe; yield its base URL (the SDK's api base; Stripe.js at <url>/js.stripe.com/v3/)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", _SERVER, str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("localstripe did not start: " + (process.stderr.read() or b"").decode()[-2000:])
            time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header as Stripe (and localstripe) make it: t=<time>,v1=HMAC-SHA256."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@dataclass
class Delivery:
    payload: bytes
    signature: str
    status: int
    outcome: str


@dataclass
class Receiver:
    """The webhook endpoint localstripe posts to: `handle(payload, signature) -> (status, outcome)`."""

    handle: Callable[[bytes, str], tuple[int, str]]
    deliveries: list[Delivery] = field(default_factory=list)
    drop: bool = False  # answer 500 without handling (a webhook "never came")
    url: str = ""

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Delivery]:
        deadline = time.monotonic() + timeout
        while len(self.deliveries) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.deliveries)} webhooks arrived, expected {count}")
            time.sleep(0.05)
        return list(self.deliveries)


@contextmanager
def webhook_receiver(handle: Callable[[bytes, str], tuple[int, str]]) -> Iterator[Receiver]:
    receiver = Receiver(handle=handle)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            signature = self.headers.get("Stripe-Signature", "")
            if receiver.drop:
                status, outcome = 500, "dropped"
            else:
                status, outcome = receiver.handle(body, signature)
            with lock:
                receiver.deliveries.append(Delivery(body, signature, status, outcome))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args) -> None:  # noqa: ANN002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/api/stripe/webhook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
