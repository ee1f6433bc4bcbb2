"""``GET /policy``: the effective policy of every profile, without terms or patterns (§12).

For operators and CI jobs: each profile's actions per type, counts of allow and deny terms
(deny terms by type), its custom rules by name, type, action and validator, whether requests
may relax it, and its hash, the same one every ``/scrub`` carries in ``stats.policy.hash``
when the request adds nothing. With ``REDACTION_API_KEY`` set it needs the key, like every
route but ``/health``.
"""

from __future__ import annotations

from fastapi import APIRouter

from ..models import PolicyResponse
from ..responses import JSONResponse
from .common import error_responses
from .deps import GatewayDep

__all__ = ["router"]

router = APIRouter(tags=["operations"])


@router.get("/policy", response_model=PolicyResponse, responses=error_responses("unauthorized"))
async def get_policy(gateway: GatewayDep) -> JSONResponse:
    """Every profile's effective policy (docs/policies.md), never a term or a pattern."""
    return JSONResponse(gateway.policies.describe())
