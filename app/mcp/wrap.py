"""``redaction-gateway mcp-wrap -- CMD ARGS``: the gateway between an MCP client and an MCP server.

The wrapper is the client's stdio MCP server and the wrapped server's stdio client. It relays
JSON-RPC messages (one JSON object or batch per line, the MCP stdio transport) both ways and
changes only text that carries data:

- coming back (server to client), scrubbed before the client, and so the model, reads them:
  the result of ``tools/call`` (text content, embedded resource text, ``structuredContent``),
  of ``resources/read`` (text contents) and of ``prompts/get`` (message texts, description);
  the ``message`` and ``data`` of any error answer (the error itself passes through: same id,
  same code); the ``data`` of ``notifications/message`` log notifications. Binary content
  (images, audio, blobs) cannot be scanned: it is withheld, replaced by a text notice. A tier-1
  value becomes ``[REDACTED:KIND]`` (dropped, never stored).
- going out (client to server): the ``arguments`` of ``tools/call`` are rehydrated, so the
  real server gets the real values behind the placeholders the model used. A placeholder the
  map does not hold stays as written.

One map per session (a wrapper process serves one client): in memory with the in-process
engine (default; rules and known-entity layers, nothing written to disk), or a map of a
running service with ``--url`` (its NER layers and policies apply; one task id per session).

Never deadlocks: each direction is its own task reading whole lines (up to `MAX_LINE_BYTES`)
and writing with flow control, and the engine runs in a worker thread; a slow or huge message
in one direction does not stop the other. A line from the server that is not JSON is dropped
(it could carry data); the wrapped server's stderr passes through untouched to ours.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol

__all__ = ["MAX_LINE_BYTES", "LocalSessionMap", "Relay", "RemoteSessionMap", "SessionMap", "run_wrapper"]

MAX_LINE_BYTES = 256 * 1024 * 1024
_WITHHELD = "[binary content withheld by redaction-gateway: it cannot be scanned]"
_BINARY_TYPES = frozenset({"image", "audio"})


class SessionMap(Protocol):
    """One session's map: scrub texts into it, rehydrate texts from it."""

    async def scrub(self, texts: list[str]) -> list[str]: ...

    async def rehydrate(self, texts: list[str]) -> list[str]: ...

    async def aclose(self) -> None: ...


class LocalSessionMap:
    """The engine in this process; the map lives in memory for the session only."""

    def __init__(self, known_entities: dict[str, list[str]] | None = None) -> None:
        from redaction import KnownEntities, ScrubState

        self._state = ScrubState()
        self._known = KnownEntities(known_entities) if known_entities else None
        self._lock = threading.Lock()  # the state is shared by both directions' threads

    def _scrub(self, texts: list[str]) -> list[str]:
        from redaction import scrub

        with self._lock:
            return [scrub(text, state=self._state, known_entities=self._known).text for text in texts]

    def _rehydrate(self, texts: list[str]) -> list[str]:
        from redaction import rehydrate

        with self._lock:
            return [rehydrate(text, self._state.token_map) for text in texts]

    async def scrub(self, texts: list[str]) -> list[str]:
        return await asyncio.to_thread(self._scrub, texts)

    async def rehydrate(self, texts: list[str]) -> list[str]:
        return await asyncio.to_thread(self._rehydrate, texts)

    async def aclose(self) -> None:
        return None


class GatewayRefused(Exception):
    """The service answered an error code (internal to the relay: it becomes a refusal)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class RemoteSessionMap:
    """A running service's map: one task id per session, the handle of the first scrub."""

    def __init__(
        self, url: str, api_key: str | None, known_entities: dict[str, list[str]] | None = None
    ) -> None:
        import httpx

        self._known = known_entities
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.AsyncClient(base_url=url.rstrip("/"), headers=headers, timeout=300)
        self._task = f"mcp-wrap-{secrets.token_hex(8)}"
        self._handle: str | None = None
        self._lock = asyncio.Lock()  # scrubs extend one map: one at a time

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self._http.post(path, json=body)
        answer = (
            response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        )
        if response.status_code != 200 or not isinstance(answer, dict):
            code = answer.get("error") if isinstance(answer, dict) else None
            raise GatewayRefused(str(code or f"http_{response.status_code}"))
        return answer

    async def scrub(self, texts: list[str]) -> list[str]:
        if not texts:
            return []
        items = [{"id": str(i), "text": t} for i, t in enumerate(texts)]
        async with self._lock:
            body: dict[str, Any] = {"task_id": self._task, "items": items}
            if self._known:
                body["known_entities"] = self._known
            if self._handle is not None:
                body["map_handle"] = self._handle
            answer = await self._post("/scrub", body)
            self._handle = answer["map_handle"]
        return [str(item["scrubbed_text"]) for item in answer["items"]]

    async def rehydrate(self, texts: list[str]) -> list[str]:
        if not texts or self._handle is None:
            return texts  # nothing was scrubbed yet: no placeholder can be ours
        items = [{"id": str(i), "text": t} for i, t in enumerate(texts)]
        body = {"task_id": self._task, "map_handle": self._handle, "items": items, "strict": False}
        answer = await self._post("/rehydrate", body)
        return [str(item["rehydrated_text"]) for item in answer["items"]]

    async def aclose(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(Exception):  # best effort: the map expires anyway
                await self._post("/forget", {"task_id": self._task, "map_handle": self._handle})
        await self._http.aclose()


# -- where the data is -----------------------------------------------------------------------

_Slot = tuple[Any, Any]  # (container, key): a string to replace in place


def _strings(value: Any, slots: list[_Slot]) -> None:
    """Every string inside ``value`` (dict values, list items), as replaceable slots."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                slots.append((value, key))
            else:
                _strings(item, slots)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                slots.append((value, index))
            else:
                _strings(item, slots)


def _content_slots(blocks: Any, slots: list[_Slot]) -> None:
    """Text of MCP content blocks; binary blocks are replaced by a text notice."""
    if not isinstance(blocks, list):
        return
    for index, block in enumerate(blocks):
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind == "text" and isinstance(block.get("text"), str):
            slots.append((block, "text"))
        elif kind in _BINARY_TYPES:
            blocks[index] = {"type": "text", "text": _WITHHELD}
        elif kind == "resource" and isinstance(block.get("resource"), dict):
            _resource_slots(block["resource"], slots)
        elif kind == "resource_link":
            for key in ("description", "title"):
                if isinstance(block.get(key), str):
                    slots.append((block, key))


def _resource_slots(resource: dict[str, Any], slots: list[_Slot]) -> None:
    if isinstance(resource.get("text"), str):
        slots.append((resource, "text"))
    if "blob" in resource:
        resource.pop("blob")
        resource["text"] = _WITHHELD
        resource["mimeType"] = "text/plain"


def _result_slots(method: str, result: Any, slots: list[_Slot]) -> None:
    if not isinstance(result, dict):
        return
    if method == "tools/call":
        _content_slots(result.get("content"), slots)
        if "structuredContent" in result:
            _strings(result["structuredContent"], slots)
    elif method == "resources/read":
        for resource in result.get("contents") or []:
            if isinstance(resource, dict):
                _resource_slots(resource, slots)
    elif method == "prompts/get":
        if isinstance(result.get("description"), str):
            slots.append((result, "description"))
        for message in result.get("messages") or []:
            if isinstance(message, dict):
                content = message.get("content")
                if isinstance(content, dict):
                    holder = [content]
                    _content_slots(holder, slots)
                    message["content"] = holder[0]


# -- the relay -------------------------------------------------------------------------------


class Relay:
    """Both directions of one session; `pending` maps our client's request ids to methods."""

    def __init__(self, session: SessionMap, log: Callable[[str], None]) -> None:
        self.session = session
        self.pending: dict[Any, str] = {}
        self._log = log

    async def _replace(self, slots: list[_Slot], transform: Callable[[list[str]], Any]) -> None:
        if not slots:
            return
        texts = [container[key] for container, key in slots]
        for (container, key), text in zip(slots, await transform(texts), strict=True):
            container[key] = text

    async def outgoing(self, message: Any) -> Any:
        """A client-to-server message, with tool-call arguments rehydrated."""
        if isinstance(message, list):
            return [await self.outgoing(m) for m in message]
        if not isinstance(message, dict):
            return message
        method = message.get("method")
        if isinstance(method, str) and "id" in message:
            self.pending[_key(message["id"])] = method
        if method == "tools/call":
            params = message.get("params")
            if isinstance(params, dict) and "arguments" in params:
                slots: list[_Slot] = []
                _strings(params["arguments"], slots)
                await self._replace(slots, self.session.rehydrate)
        return message

    async def incoming(self, message: Any) -> Any:
        """A server-to-client message, with the data in it scrubbed."""
        if isinstance(message, list):
            return [await self.incoming(m) for m in message]
        if not isinstance(message, dict):
            return message
        slots: list[_Slot] = []
        if "method" not in message and "id" in message:  # an answer to one of the client's requests
            method = self.pending.pop(_key(message["id"]), "")
            if isinstance(message.get("error"), dict):
                error = message["error"]
                if isinstance(error.get("message"), str):
                    slots.append((error, "message"))
                if "data" in error:
                    if isinstance(error["data"], str):
                        slots.append((error, "data"))
                    else:
                        _strings(error["data"], slots)
            else:
                _result_slots(method, message.get("result"), slots)
        elif message.get("method") == "notifications/message":
            params = message.get("params")
            if isinstance(params, dict) and "data" in params:
                if isinstance(params["data"], str):
                    slots.append((params, "data"))
                else:
                    _strings(params["data"], slots)
        await self._replace(slots, self.session.scrub)
        return message


def _key(request_id: Any) -> str:
    return json.dumps(request_id)  # ids are strings or numbers: 1 and "1" stay distinct


async def _pump(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    transform: Callable[[Any], Any],
    *,
    drop_non_json: bool,
    on_error: Callable[[Any, str], bytes | None],
    log: Callable[[str], None],
) -> None:
    while True:
        try:
            line = await reader.readuntil(b"\n")
        except asyncio.IncompleteReadError as exc:
            line = exc.partial
            if not line.strip():
                return
        except asyncio.LimitOverrunError:
            log("mcp-wrap: a message over the size limit was dropped")
            # Skip the rest of the oversized line.
            while True:
                try:
                    await reader.readuntil(b"\n")
                    break
                except asyncio.LimitOverrunError as exc:
                    await reader.readexactly(exc.consumed)
            continue
        if not line.strip():
            continue
        try:
            message = json.loads(line)
        except ValueError:
            if drop_non_json:
                log("mcp-wrap: a line from the server that is not JSON was dropped")
            else:
                writer.write(line if line.endswith(b"\n") else line + b"\n")
                await writer.drain()
            continue
        try:
            out = json.dumps(await transform(message), ensure_ascii=False).encode("utf-8") + b"\n"
        except Exception as exc:  # fail closed: never forward what could not be transformed
            reply = on_error(message, type(exc).__name__)
            if reply is None:
                continue
            out = reply
        writer.write(out)
        await writer.drain()


def _refusal(message: Any, reason: str) -> bytes | None:
    """The JSON-RPC error that replaces a message we could not scrub or rehydrate."""
    if isinstance(message, dict) and "id" in message:
        error = {"code": -32603, "message": f"redaction-gateway could not process this message ({reason})"}
        return json.dumps({"jsonrpc": "2.0", "id": message["id"], "error": error}).encode() + b"\n"
    return None


async def _stdio() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=MAX_LINE_BYTES)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin.buffer)
    transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin, sys.stdout.buffer)
    writer = asyncio.StreamWriter(transport, protocol, None, loop)
    return reader, writer


async def _wrap(
    command: Sequence[str], url: str | None, api_key: str | None, known: dict[str, list[str]] | None
) -> int:
    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    session: SessionMap = RemoteSessionMap(url, api_key, known) if url else LocalSessionMap(known)
    relay = Relay(session, log)
    child = await asyncio.create_subprocess_exec(
        *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, limit=MAX_LINE_BYTES
    )
    assert child.stdin is not None
    assert child.stdout is not None
    client_in, client_out = await _stdio()

    def refuse_to_client(message: Any, reason: str) -> bytes | None:
        # A client request we could not rehydrate is answered to the client, not sent on.
        reply = _refusal(message, reason)
        if reply is not None:
            client_out.write(reply)
        return None

    def refuse_from_server(message: Any, reason: str) -> bytes | None:
        return _refusal(message, reason)

    to_server = asyncio.create_task(
        _pump(client_in, child.stdin, relay.outgoing, drop_non_json=False, on_error=refuse_to_client, log=log)
    )
    to_client = asyncio.create_task(
        _pump(
            child.stdout, client_out, relay.incoming, drop_non_json=True, on_error=refuse_from_server, log=log
        )
    )
    try:
        done, _ = await asyncio.wait({to_server, to_client}, return_when=asyncio.FIRST_COMPLETED)
        if to_server in done:  # the client closed our stdin: close the server's, let it finish
            with contextlib.suppress(OSError):
                child.stdin.close()
            try:
                await asyncio.wait_for(asyncio.shield(to_client), 10)
            except TimeoutError:
                to_client.cancel()
        try:
            code = await asyncio.wait_for(child.wait(), 5)
        except TimeoutError:
            child.terminate()
            code = await child.wait()
        return 0 if code is None or code < 0 else code
    finally:
        for task in (to_server, to_client):
            task.cancel()
        if child.returncode is None:
            child.kill()
            await child.wait()
        await session.aclose()


def run_wrapper(
    command: list[str],
    *,
    url: str | None,
    api_key: str | None,
    known_entities: dict[str, list[str]] | None = None,
) -> int:
    """Run ``command`` as the wrapped MCP server until either side closes; its exit status.

    ``known_entities``: names the session's map must always catch (``persons``, ``orgs``...),
    as in ``POST /scrub``; the in-process map has no NER layer, so names come from here.
    """
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        print("mcp-wrap: give the server command after --", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_wrap(command, url, api_key, known_entities))
    except FileNotFoundError:
        print("mcp-wrap: the server command was not found", file=sys.stderr)
        return 2
