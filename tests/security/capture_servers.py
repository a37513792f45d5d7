"""Small HTTP servers on 127.0.0.1 for the endpoint tests: one that records whatever reaches it (it stands
for an attacker's host outside the allow-list), one that redirects there, and a gateway that signs in at
the real emulator but answers getAPISession with the capture server as the session's endpoint."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

Answer = tuple[int, dict[str, str], bytes]
Responder = Callable[[str, bytes], Answer]  # (path, body) -> (status, headers, body)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = field(repr=False)


class RunningServer:
    def __init__(self, server: ThreadingHTTPServer, seen: list[Seen]) -> None:
        self._server = server
        self.seen = seen

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        return f"{self.base_url}/ia/xml/xmlgw.phtml"

    def received(self, secret: str) -> bool:
        """Whether any request (line, headers or body) carried `secret`."""
        return any(secret.encode() in s.body or secret in s.path or secret in str(s.headers) for s in self.seen)


@contextmanager
def serve(respond: Responder) -> Iterator[RunningServer]:
    """A threading HTTP server on a free 127.0.0.1 port that records every request and answers with `respond`."""
    seen: list[Seen] = []

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            seen.append(Seen(self.command, self.path, dict(self.headers), body))
            status, headers, content = respond(self.path, body)
            self.send_response(status)
            for name, value in {**headers, "Content-Length": str(len(content))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_PUT = do_HEAD = _any

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield RunningServer(server, seen)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def capture_server() -> Iterator[RunningServer]:
    """The attacker's host: it answers a plausible gateway failure, so only what was sent matters."""
    body = b"<response><control><status>failure</status></control></response>"
    return serve(lambda path, _body: (200, {"Content-Type": "text/xml"}, body))


def redirecting_server(target: str) -> Iterator[RunningServer]:
    """An allowed address that answers every request with a 307 (which keeps the POST body) to `target`."""
    return serve(lambda path, _body: (307, {"Location": target}, b""))


_ENDPOINT = re.compile(rb"<endpoint>[^<]*</endpoint>")


def lying_gateway(emulator_url: str, session_endpoint: str) -> Iterator[RunningServer]:
    """Forwards each request to the emulator, but its getAPISession answers name `session_endpoint`."""

    def respond(path: str, body: bytes) -> Answer:
        answer = httpx.post(emulator_url, content=body, headers={"Content-Type": "application/xml"}, timeout=30)
        content = _ENDPOINT.sub(b"<endpoint>" + session_endpoint.encode() + b"</endpoint>", answer.content)
        return answer.status_code, {"Content-Type": answer.headers.get("content-type", "text/xml")}, content

    return serve(respond)
