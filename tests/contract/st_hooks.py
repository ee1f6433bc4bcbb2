"""Checks the schemathesis run adds to its built-in ones (loaded through ``SCHEMATHESIS_HOOKS``).

- `only_documented_400s_for_valid_data`: positive_data_acceptance accepts a 400 for a
  schema-valid request (schemathesis.toml), because some of the service's 400s depend on what
  a schema cannot say: a ``map_handle`` that never existed (``unknown_map_handle``), a policy
  profile this deployment does not define (``unknown_profile``), a policy a schema cannot
  judge (``invalid_policy`` for RE2 syntax, unique or reserved names, blank terms; one whose
  reason is "must match" a pattern is a schema gap and fails), item ids repeated within one request
  (``duplicate_id``) or holding a lone surrogate (``string_unicode``). This check
  narrows it to exactly those: any other 400 for schema-valid data means the schema and the
  validation disagree.
- `error_bodies_echo_no_input`: no error body repeats a string the request carried (privacy:
  an error must never carry input text), placeholders listed by a 409 and identifiers the
  contract echoes on purpose (item ids, a profile or rule name) excepted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import schemathesis

_STATE_DEPENDENT_400 = {"duplicate_id", "string_unicode"}
_STATE_DEPENDENT_BODIES = {
    "/scrub": ({"error": "unknown_map_handle"}, {"error": "unknown_profile"}),
    "/forget": ({"error": "unknown_map_handle"},),
}
_PLACEHOLDER = re.compile(r"\[[A-Za-z][A-Za-z0-9_]*(?:\.\d+)?\]")
_MIN_ECHO = 6  # shorter strings occur in any body by chance ("error", digits, field names)


# Identifiers the contract echoes on purpose (item ids in 422 spans, the profile a 403 names,
# a rule's name in invalid_policy): never text, entities or values.
_IDENTIFIERS = frozenset({"id", "task_id", "actor", "profile", "map_handle", "name", "type", "item"})


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _IDENTIFIERS:
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@schemathesis.check
def only_documented_400s_for_valid_data(ctx: Any, response: Any, case: Any) -> bool | None:
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 400:
        return None
    body = json.loads(response.content)
    if body in _STATE_DEPENDENT_BODIES.get(case.path, ()):
        return None  # a handle or a policy profile name that does not exist here
    if body.get("error") == "invalid_policy" and "must match" not in str(body.get("reason", "")):
        return None  # semantics no JSON Schema states: RE2 syntax, unique or reserved names, ...
    kinds = {issue["type"] for issue in body.get("detail", [])}
    if body.get("error") == "bad_request" and kinds and kinds <= _STATE_DEPENDENT_400:
        return None
    raise AssertionError(f"a schema-valid request got a 400 the schema does not explain: {body}")


@schemathesis.check
def error_bodies_echo_no_input(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code < 400 or not isinstance(case.body, dict | list):
        return None
    text = response.content.decode("utf-8", "replace")
    for value in _strings(case.body):
        probe = _PLACEHOLDER.sub("", value).strip()
        if len(probe) >= _MIN_ECHO and probe in text:
            raise AssertionError(f"an error body repeats request input ({len(probe)} characters)")
    return None
