"""The provider proxy (docs/architecture.md §11): Anthropic Messages, OpenAI Chat Completions
and Responses, spoken by the gateway so an SDK's ``base_url`` is the only change an agent makes.

- `outbound`: the fail-closed request walker (per-API allowlist of structural fields) and
  the map capture around ``POST /scrub``'s own scrub;
- `upstream`: the pooled httpx client, header forwarding, timeouts, response bound;
- `sse`: the event-stream parser and writer;
- `inbound`: rehydration and response scanning shared by the APIs; `anthropic`,
  `openai_chat`, `openai_responses`: each API's reply and stream;
- `replies`: the gateway's refusals in each provider's error shape.

The routes are `app.api.proxy`.
"""

from __future__ import annotations

__all__: list[str] = []
