"""HTTP/2 to the provider (``REDACTION_UPSTREAM_HTTP2``) and the upstream's CA bundle
(``REDACTION_UPSTREAM_CA_FILE``), against a scripted provider served by hypercorn over TLS
on 127.0.0.1 with a test CA: the protocol is negotiated by ALPN, as with the real APIs."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anthropic
import openai
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypercorn.asyncio import serve
from hypercorn.config import Config

from app.settings import Settings

from ..ports import free_port
from .conftest import CANARIES, PROVIDER_KEY, SOURCE, assert_no_canary, running_proxy
from .upstream import _EVENTS, _WHOLE, Recorded, Script, _cut, _last_user_text

_APIS = {"/v1/messages": "anthropic", "/v1/chat/completions": "chat", "/v1/responses": "responses"}


def _certificates(directory: Path) -> tuple[Path, Path, Path]:
    """A test CA and a certificate for 127.0.0.1 signed by it: (ca.pem, cert.pem, key.pem)."""
    now = datetime.datetime.now(datetime.UTC)
    valid = (now - datetime.timedelta(minutes=5), now + datetime.timedelta(days=1))
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "redaction-gateway test CA")])
    signs_certificates = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(valid[0]).not_valid_after(valid[1])
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(signs_certificates, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    key = ec.generate_private_key(ec.SECP256R1())
    loopback = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(valid[0]).not_valid_after(valid[1])
        .add_extension(loopback, critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    paths = (directory / "ca.pem", directory / "cert.pem", directory / "key.pem")
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return paths


@dataclass
class TlsUpstream:
    url: str
    ca_file: Path
    requests: list[Recorded] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)  # the HTTP version of each request


async def _read_body(receive: Any) -> bytes:
    body, more = b"", True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    return body


def _provider(up: TlsUpstream) -> Any:
    """The scripted provider as an ASGI app: an echo of the last user text, JSON or SSE."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        raw = await _read_body(receive)
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        up.requests.append(Recorded(scope["path"], headers, raw))
        up.versions.append(scope["http_version"])
        api = _APIS[scope["path"]]
        body = json.loads(raw)
        text = "ECHO:" + _last_user_text(api, body)
        model = body.get("model", "m")
        if not body.get("stream"):
            payload = json.dumps(_WHOLE[api](model, text, None, None)).encode()
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"application/json")]})  # fmt: skip
            await send({"type": "http.response.body", "body": payload})
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/event-stream")]})  # fmt: skip
        for event, data in _EVENTS[api](model, _cut(text, Script(chunk=5)), None, None, body):
            head = f"event: {event}\n" if event else ""
            line = data if isinstance(data, str) else json.dumps(data)
            chunk = f"{head}data: {line}\n\n".encode()
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    return app


@contextmanager
def tls_upstream(directory: Path) -> Iterator[TlsUpstream]:
    """The scripted provider over TLS (ALPN: h2, http/1.1) on 127.0.0.1, in a thread."""
    ca_file, cert, key = _certificates(directory)
    port = free_port()
    up = TlsUpstream(f"https://127.0.0.1:{port}", ca_file)
    config = Config()
    config.bind = [f"127.0.0.1:{port}"]
    config.certfile, config.keyfile = str(cert), str(key)
    config.accesslog = config.errorlog = None
    stop = threading.Event()

    async def stopped() -> None:
        while not stop.is_set():
            await asyncio.sleep(0.02)

    app = _provider(up)
    thread = threading.Thread(target=lambda: asyncio.run(serve(app, config, shutdown_trigger=stopped)))
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket_to(port):
                    break
            except OSError:
                assert time.monotonic() < deadline, "hypercorn did not start"
                time.sleep(0.05)
        yield up
    finally:
        stop.set()
        thread.join(10)


@contextmanager
def socket_to(port: int) -> Iterator[None]:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=1):
        yield


@pytest.mark.parametrize("http2", [True, False])
def test_the_proxy_speaks_http2_to_an_upstream_that_offers_it(tmp_path: Path, http2: bool) -> None:
    with tls_upstream(tmp_path) as up, running_proxy(
        tmp_path / "data", anthropic_upstream=up.url, openai_upstream=up.url + "/v1",
        upstream_http2=http2, upstream_ca_file=up.ca_file,
    ) as p:  # fmt: skip
        with p.openai() as client:
            answer = client.chat.completions.create(model="m", messages=[{"role": "user", "content": SOURCE}])
        assert answer.choices[0].message.content == "ECHO:" + SOURCE, "rehydrated byte for byte"
        with p.anthropic() as client:
            messages: Any = [{"role": "user", "content": SOURCE}]
            with client.messages.stream(model="m", max_tokens=64, messages=messages) as stream:
                streamed = "".join(stream.text_stream)
        assert streamed == "ECHO:" + SOURCE
    assert up.versions == (["2", "2"] if http2 else ["1.1", "1.1"])
    assert_no_canary(up.requests, CANARIES)
    assert all(PROVIDER_KEY in (r.headers.get("x-api-key", "") + r.headers.get("authorization", ""))
               for r in up.requests), "the provider key goes upstream, over either protocol"  # fmt: skip


def test_an_upstream_certificate_from_another_ca_is_502(tmp_path: Path) -> None:
    # Without REDACTION_UPSTREAM_CA_FILE the test CA is not trusted: the TLS handshake fails,
    # nothing is sent, and the error says so without a URL, a header or the key.
    with (
        tls_upstream(tmp_path) as up,
        running_proxy(tmp_path / "data", openai_upstream=up.url + "/v1", upstream_http2=True) as p,
        p.openai() as client,
        pytest.raises(openai.InternalServerError) as caught,
    ):
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": SOURCE}])
    assert caught.value.status_code == 502
    assert caught.value.code == "upstream_unavailable"
    assert PROVIDER_KEY not in caught.value.response.text
    assert "127.0.0.1" not in caught.value.response.text
    assert up.requests == []


def test_an_unreadable_ca_file_stops_start_up(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("not a certificate")
    for path in (tmp_path / "missing.pem", tmp_path / "ca.pem"):
        with pytest.raises(ValueError, match="REDACTION_UPSTREAM_CA_FILE"):
            Settings(_env_file=None, data_dir=tmp_path, upstream_ca_file=path)


def test_anthropic_sdk_is_the_client_for_the_tls_error_too(tmp_path: Path) -> None:
    with (
        tls_upstream(tmp_path) as up,
        running_proxy(tmp_path / "data", anthropic_upstream=up.url) as p,
        p.anthropic() as client,
        pytest.raises(anthropic.InternalServerError) as caught,
    ):
        client.messages.create(model="m", max_tokens=8, messages=[{"role": "user", "content": SOURCE}])
    assert caught.value.status_code == 502
    assert "upstream_unavailable" in str(caught.value)
