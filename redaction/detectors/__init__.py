"""The deterministic detectors of DESIGN §3.1, one module each.

`DEFAULT_DETECTORS` is the configuration the engine runs: which detectors, in which order
(order never changes the output: the resolver decides). Pass another tuple to `scrub` to
run a subset.
"""

from __future__ import annotations

from ._base import Detector, Pattern, PatternDetector

# -- contact & network (email, phone, ip, url, date, money) --
# -- secrets (api keys, jwt, bearer, pem, passwords, url credentials) --
# -- financial & national ids (card, iban, ssn, aba, account, kr rrn, passport) --

__all__ = ["DEFAULT_DETECTORS", "Detector", "Pattern", "PatternDetector"]

DEFAULT_DETECTORS: tuple[Detector, ...] = (
)
