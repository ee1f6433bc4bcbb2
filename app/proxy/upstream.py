"""The provider upstreams: one pooled httpx transport, bounded timeouts and response size.

The upstream URL comes from configuration only (``REDACTION_ANTHROPIC_UPSTREAM``,
``REDACTION_OPENAI_UPSTREAM``), never from a request. Of the caller's headers only the
provider's own (`FORWARDED_HEADERS`: its key, API version and beta flags, organization and
project) go upstream, and nowhere else: they are not logged, stored or echoed. Transport
failures become `UpstreamUnavailable` (502), `UpstreamTimeout` (504) or `UpstreamTooLarge`
(502), each with a fixed ``reason`` word, never the exception's text (which can quote a URL
or a header).
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Final

import httpx

from redaction.errors import InputError

from ..errors import UpstreamTimeout, UpstreamTooLarge, UpstreamUnavailable
from ..settings import Settings

__all__ = [
    "FORWARDED_HEADERS",
    "PASSED_BACK_HEADERS",
    "Upstream",
    "UpstreamReply",
    "forwarded_headers",
    "passed_back_headers",
]

FORWARDED_HEADERS: Final = (
    "x-api-key", "authorization", "anthropic-version", "anthropic-beta",
    "openai-organization", "openai-project",
)  # fmt: skip
# What the SDKs read from a reply besides its body (retry hints, request ids, rate limits).
PASSED_BACK_HEADERS: Final = ("retry-after", "retry-after-ms", "request-id", "openai-processing-ms")
_PASSED_BACK_PREFIXES: Final = ("anthropic-ratelimit-", "x-ratelimit-")


def forwarded_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The provider headers of a caller's request, for the upstream only; `InputError` (400)
    for one that is not printable ASCII (HTTP cannot carry it on; the error names the header,
    never its value)."""
    out = {name: headers[name] for name in FORWARDED_HEADERS if name in headers}
    out["content-type"] = "application/json"
    out["accept"] = headers.get("accept", "application/json")
    for name, value in out.items():
        if not (value.isascii() and value.isprintable()):
            raise InputError(f"the {name} header must be printable ASCII")
    return out


def passed_back_headers(headers: httpx.Headers) -> dict[str, str]:
    """The upstream reply's headers the SDKs read; everything else stays behind."""
    out: dict[str, str] = {}
    for name, value in headers.items():
        lower = name.lower()
        if lower in PASSED_BACK_HEADERS or lower.startswith(_PASSED_BACK_PREFIXES):
            out[lower] = value
    return out


@dataclass(slots=True)
class UpstreamReply:
    """An upstream answer whose headers have arrived; its body is read by the caller."""

    response: httpx.Response
    max_bytes: int

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def is_event_stream(self) -> bool:
        content_type: str = self.response.headers.get("content-type", "")
        return content_type.startswith("text/event-stream")

    async def read(self) -> bytes:
        """The whole body, bounded; closes the response."""
        chunks: list[bytes] = []
        try:
            async for chunk in self.chunks():
                chunks.append(chunk)
        finally:
            await self.aclose()
        return b"".join(chunks)

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body as it arrives; `UpstreamTooLarge` past the bound."""
        size = 0
        try:
            # Decoded bytes: the bound applies to what is parsed (a compressed bomb cannot pass).
            async for chunk in self.response.aiter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    raise UpstreamTooLarge("response_too_large")
                yield chunk
        except httpx.TimeoutException:
            raise UpstreamTimeout("read_timeout") from None
        except httpx.HTTPError:
            raise UpstreamUnavailable("connection_dropped") from None

    async def aclose(self) -> None:
        await self.response.aclose()


class Upstream:
    """The pooled transport for both providers (created with the app, closed at shutdown):
    HTTP/2 with ``REDACTION_UPSTREAM_HTTP2`` (negotiated by TLS ALPN, many requests over one
    connection), the CAs of ``REDACTION_UPSTREAM_CA_FILE`` when set.

    Requests go straight to httpx's pooled transport: the client layer above it (cookies,
    auth flows, redirects, event hooks, environment proxies) has nothing to do for a proxy
    that forwards a fixed set of headers to a configured URL, and skipping it saves about a
    third of a millisecond per request. Timeouts ride on each request, as the client would
    set them.
    """

    def __init__(self, settings: Settings, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = settings
        self._timeout = httpx.Timeout(
            connect=settings.upstream_connect_timeout_seconds,
            read=settings.upstream_read_timeout_seconds,
            write=settings.upstream_read_timeout_seconds,
            pool=settings.upstream_connect_timeout_seconds,
        ).as_dict()
        limits = httpx.Limits(max_connections=256, max_keepalive_connections=64)
        verify: ssl.SSLContext | bool = True
        if settings.upstream_ca_file is not None:
            verify = ssl.create_default_context(cafile=str(settings.upstream_ca_file))
        self.transport = transport or httpx.AsyncHTTPTransport(
            verify=verify, http2=settings.upstream_http2, limits=limits, trust_env=False
        )

    async def send(
        self, url: str, headers: Mapping[str, str], body: bytes | None, *, method: str = "POST"
    ) -> UpstreamReply:
        """``method`` ``body`` to ``url`` (a GET has none); returns once the reply's headers are in."""
        request = httpx.Request(
            method, url, headers=dict(headers), content=body, extensions={"timeout": self._timeout}
        )
        try:
            response = await self.transport.handle_async_request(request)
        except httpx.TimeoutException as exc:
            connecting = isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
            reason = "connect_timeout" if connecting else "read_timeout"
            raise UpstreamTimeout(reason) from None
        except httpx.HTTPError:
            raise UpstreamUnavailable("connect_failed") from None
        if not 100 <= response.status_code <= 599:  # not HTTP: nothing to pass on to the client
            await response.aclose()
            raise UpstreamUnavailable("malformed_answer")
        response.request = request
        return UpstreamReply(response, self.settings.upstream_max_response_bytes)

    async def aclose(self) -> None:
        await self.transport.aclose()
