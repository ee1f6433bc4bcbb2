"""Outbound: every string of a provider request the model will read, scrubbed with one map.

Fail closed (docs/architecture.md §11). The walker visits the *whole* JSON body and scrubs
every string except the values of a small, fixed allowlist of structural fields per API;
a string under a key it does not know is scrubbed. Three modes:

- structural (the request, its messages, content blocks, tool definitions): a string is kept
  only under an allowlisted key (`ANTHROPIC_STRUCTURAL`, `OPENAI_STRUCTURAL`: model, role,
  type, ids, enums), and only when it looks like an identifier or enum (`looks_structural`:
  the keys apply wherever they appear, so their values must earn it); ``name`` is kept
  where it names a tool or a schema (a tool definition, a tool call, ``tool_choice``), and
  scrubbed elsewhere (an OpenAI message's participant ``name`` is a person's name). Stop
  sequences are scrubbed like text, with the same map: the model writes placeholders, so a
  scrubbed stop sequence still matches what it writes.
- data (a tool call's ``input``, a function call's ``arguments``, ``metadata``, prompt
  ``variables``): every string value is scrubbed, whatever its key; keys are kept (they are
  the tool's parameter names). ``arguments`` is a JSON string: it is parsed, its string
  values scrubbed, and it is re-serialized (text that is not JSON is scrubbed as text).
- schema (``input_schema``, ``parameters``, ``schema``): JSON-Schema keywords that are
  syntax (``type``, ``format``, ``pattern``, ``$ref``, ``required``...) are kept;
  ``description``, ``title``, ``enum``, ``const``, ``default``, ``examples`` are scrubbed.

Content the rules cannot read (images, audio, files, documents other than plain text) is
refused with `UnscannableContent` before anything is scrubbed or stored.

The strings are then scrubbed exactly as ``POST /scrub`` scrubs items (`scrub_request`: the
same engine, NER layers, known-entities compile, tier-1 action and map store), one item per
string, in document order, with one `ScrubState` for the whole request.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypeVar

from redaction import ScrubState

from ..errors import UnscannableContent
from ..store import MapRecord, MapStore

__all__ = [
    "ANTHROPIC_STRUCTURAL",
    "OPENAI_STRUCTURAL",
    "Api",
    "CapturingStore",
    "Extraction",
    "extract",
    "looks_structural",
]

Api = Literal["anthropic", "openai"]
T = TypeVar("T")

# Keys whose *string* value passes untouched: identifiers, enums, model names. Containers
# under these keys are still walked.
_COMMON: Final = frozenset({"model", "role", "type", "id", "status", "service_tier"})
ANTHROPIC_STRUCTURAL: Final = _COMMON | frozenset(
    {"tool_use_id", "media_type", "signature", "stop_reason", "ttl", "container", "tool_choice"}
)
OPENAI_STRUCTURAL: Final = _COMMON | frozenset(
    {
        "tool_call_id", "call_id", "tool_choice", "reasoning_effort", "effort", "summary",
        "verbosity", "truncation", "previous_response_id", "conversation", "encrypted_content",
        "detail", "format", "voice", "search_context_size", "prompt_cache_retention", "object",
    }
)  # fmt: skip
# Keys whose list of strings passes (output options, not text).
_STRUCTURAL_LISTS: Final = frozenset({"modalities", "include"})
# ``name`` is a tool's or a schema's identifier in these places (upstreams validate it).
_NAME_PARENTS: Final = frozenset(
    {"tools", "function", "function_call", "tool_choice", "json_schema", "format", "custom", "allowed_tools"}
)
_TOOL_TYPES: Final = frozenset(
    {
        "tool", "tool_use", "server_tool_use", "mcp_tool_use", "function", "function_call",
        "custom", "custom_tool_call", "mcp_call", "json_schema", "allowed_tools",
    }
)  # fmt: skip
_DATA_KEYS: Final = frozenset({"metadata", "variables"})
_SCHEMA_KEYS: Final = frozenset({"input_schema", "parameters", "schema"})
_SCHEMA_SYNTAX: Final = frozenset(
    {
        "type", "format", "pattern", "$ref", "$schema", "$id", "$anchor", "$dynamicRef",
        "$dynamicAnchor", "contentEncoding", "contentMediaType",
    }
)  # fmt: skip
_SCHEMA_SYNTAX_LISTS: Final = frozenset({"required", "type"})
# Content type -> the kind named in the 422 (a closed set: never a value of the request).
_UNSCANNABLE: Final = {
    "image": "image", "image_url": "image", "input_image": "image", "computer_screenshot": "image",
    "input_audio": "audio", "audio": "audio",
    "file": "file", "input_file": "file", "container_upload": "file",
}  # fmt: skip
_READABLE_SOURCES: Final = frozenset({"text", "content"})  # a document's plain-text sources
# Fail closed: an allowlisted key keeps its value untouched only when the value looks like an
# identifier or enum (no whitespace, no "@", no run of 6+ digits, at most 200 characters);
# anything else under such a key is scrubbed like text. Scrubbing a real id leaves it as is.
_STRUCTURAL_VALUE: Final = re.compile(r"[A-Za-z0-9_.:/+-]{1,200}")
_DIGIT_RUN: Final = re.compile(r"[0-9]{6}")
# Opaque provider tokens (signatures, encrypted reasoning) are long base64: kept when they are.
_OPAQUE_KEYS: Final = frozenset({"signature", "encrypted_content", "data"})
_OPAQUE_VALUE: Final = re.compile(r"[A-Za-z0-9+/=_-]{64,}")


def looks_structural(key: str, value: str) -> bool:
    """Whether ``value`` may pass untouched under the allowlisted key ``key``."""
    if key in _OPAQUE_KEYS and _OPAQUE_VALUE.fullmatch(value):
        return True
    return _STRUCTURAL_VALUE.fullmatch(value) is not None and _DIGIT_RUN.search(value) is None


@dataclass(slots=True)
class Extraction:
    """A request body with its scrubbable strings lifted out.

    ``texts``: the strings to scrub, in document order. `fill` returns the body with each
    replaced by its scrubbed text (and ``arguments`` JSON re-serialized).
    """

    body: Any
    texts: list[str] = field(default_factory=list)
    _setters: list[Callable[[str], None]] = field(default_factory=list)
    _finishers: list[Callable[[], None]] = field(default_factory=list)

    def fill(self, scrubbed: list[str]) -> Any:
        if len(scrubbed) != len(self._setters):
            raise ValueError("one scrubbed text per extracted string")
        for setter, text in zip(self._setters, scrubbed, strict=True):
            setter(text)
        for finish in reversed(self._finishers):  # inner JSON strings first
            finish()
        return self.body


def _structural_str(key: str, value: Any) -> bool:
    return isinstance(value, str) and looks_structural(key, value)


class _Walker:
    def __init__(self, api: Api) -> None:
        self.structural = ANTHROPIC_STRUCTURAL if api == "anthropic" else OPENAI_STRUCTURAL
        self.out = Extraction(None)

    def take(self, container: dict[str, Any] | list[Any], key: Any, text: str) -> None:
        if not text:
            return

        def put(value: str) -> None:
            container[key] = value

        self.out.texts.append(text)
        self.out._setters.append(put)

    # -- modes ----------------------------------------------------------------------------

    def structural_value(
        self, value: Any, key: str | None, parent: dict[str, Any] | list[Any], slot: Any
    ) -> Any:
        if isinstance(value, dict):
            return self.structural_dict(value, key)
        if isinstance(value, list):
            copy: list[Any] = [None] * len(value)
            for i, item in enumerate(value):
                copy[i] = self.structural_value(item, key, copy, i)
            return copy
        if isinstance(value, str):
            self.take(parent, slot, value)
        return value

    def structural_dict(self, d: dict[str, Any], key: str | None) -> dict[str, Any]:
        kind = d.get("type")
        kind = kind if isinstance(kind, str) else None
        if kind in _UNSCANNABLE:
            raise UnscannableContent(_UNSCANNABLE[kind])
        source = d.get("source")
        if isinstance(source, dict) and source.get("type") not in _READABLE_SOURCES:
            raise UnscannableContent("image" if kind == "image" else "document")
        out: dict[str, Any] = {}
        for k, v in d.items():
            if isinstance(v, str):
                out[k] = v
                if self._keeps(k, kind, key) and looks_structural(k, v):
                    continue
                if k == "arguments":
                    self.json_string(out, k, v)
                else:
                    self.take(out, k, v)
            elif k in _STRUCTURAL_LISTS and isinstance(v, list) and all(_structural_str(k, i) for i in v):
                out[k] = list(v)
            elif k in _DATA_KEYS or (k == "input" and kind in _TOOL_TYPES):
                out[k] = self.data_value(v, out, k)
            elif k in _SCHEMA_KEYS and isinstance(v, dict):
                out[k] = self.schema_value(v, out, k)
            else:
                out[k] = self.structural_value(v, k, out, k)
        return out

    def _keeps(self, k: str, kind: str | None, parent_key: str | None) -> bool:
        if k in self.structural:
            return True
        if k == "name":
            return kind in _TOOL_TYPES or parent_key in _NAME_PARENTS
        return k == "data" and kind == "redacted_thinking"  # opaque, signed by the provider

    def data_value(self, value: Any, parent: dict[str, Any] | list[Any], slot: Any) -> Any:
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for k, v in value.items():
                out[k] = self.data_value(v, out, k)
            return out
        if isinstance(value, list):
            copy: list[Any] = [None] * len(value)
            for i, item in enumerate(value):
                copy[i] = self.data_value(item, copy, i)
            return copy
        if isinstance(value, str):
            self.take(parent, slot, value)
        return value

    def schema_value(self, value: Any, parent: dict[str, Any] | list[Any], slot: Any) -> Any:
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for k, v in value.items():
                if isinstance(v, str) and k in _SCHEMA_SYNTAX and looks_structural(k, v):
                    out[k] = v
                elif (
                    k in _SCHEMA_SYNTAX_LISTS
                    and isinstance(v, list)
                    and all(_structural_str(k, i) for i in v)
                ):
                    out[k] = list(v)
                else:
                    out[k] = self.schema_value(v, out, k)
            return out
        if isinstance(value, list):
            copy: list[Any] = [None] * len(value)
            for i, item in enumerate(value):
                copy[i] = self.schema_value(item, copy, i)
            return copy
        if isinstance(value, str):
            self.take(parent, slot, value)
        return value

    def json_string(self, parent: dict[str, Any], key: str, text: str) -> None:
        """``arguments``: scrub the string values of the JSON it holds, then re-serialize."""
        try:
            parsed = json.loads(text)
        except ValueError:
            self.take(parent, key, text)  # not JSON: the whole text is scrubbed as text
            return
        if isinstance(parsed, str):
            self.take(parent, key, text)
            return
        holder: list[Any] = [None]
        holder[0] = self.data_value(parsed, holder, 0)

        def finish() -> None:
            parent[key] = json.dumps(holder[0], ensure_ascii=False)

        self.out._finishers.append(finish)


def extract(api: Api, body: Mapping[str, Any]) -> Extraction:
    """Lift every scrubbable string out of a request ``body`` (a copy; ``body`` is untouched).

    Raises `UnscannableContent` for images, audio, files and non-text documents.
    """
    walker = _Walker(api)
    walker.out.body = walker.structural_dict(dict(body), None)
    return walker.out


class CapturingStore:
    """The map store seen by `scrub_request`, keeping the `ScrubState` it saves.

    The proxy rehydrates the reply with the map it just wrote; capturing it here spares a
    second read and decryption of the stored map.
    """

    def __init__(self, store: MapStore) -> None:
        self._store = store
        self.state: ScrubState | None = None

    def create(self, task_id: str, state: ScrubState, *, handle: str | None = None) -> MapRecord:
        record = self._store.create(task_id, state, handle=handle)
        self.state = state
        return record

    def extend(self, handle: str, task_id: str, mutate: Callable[[ScrubState], T]) -> tuple[MapRecord, T]:
        def capture(state: ScrubState) -> T:
            result = mutate(state)
            self.state = state
            return result

        return self._store.extend(handle, task_id, capture)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)
