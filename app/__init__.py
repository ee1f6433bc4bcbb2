"""redaction-gateway, the service: ``/scrub`` and ``/rehydrate`` over the `redaction` engine.

`app.main.create_app` builds the FastAPI application; ``redaction-gateway serve`` (`app.cli`)
runs it. Modules: `settings` (docs/architecture.md §10), `models` (the wire contract), `api` (routes),
`store` (the encrypted map store), `crypto` (the map keyring), `errors` (HTTP statuses and
bodies), `middleware`, `logging`, `metrics`, `ner` (the NER layer seam).
"""

from __future__ import annotations

__all__: list[str] = []
