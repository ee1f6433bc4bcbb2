"""BicDetector: ISO 9362 shape and country, plus a label, an IBAN nearby or a digit in the location."""

from __future__ import annotations

import random
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import redaction
from redaction.detectors.bic import _COUNTRIES, BicDetector

DETECTOR = BicDetector()


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    ("BIC: DEUTDEFF", [("DEUTDEFF", "ID")]),
    # An IBAN nearby: a code beside the payment's words, not a word of a line in capitals.
    ("Bank: Commerzbank COBADEFF, IBAN DE89370400440532013000", [("COBADEFF", "ID")]),
    ("SEPA DIVIDEND CREDIT IBAN DE89370400440532013000; JOHN MARTINEZ IBAN DE89370400440532013000", []),
    ("INTEREST IBAN DE89370400440532013000; CUSTOMER SAYS: WIRE IT TO IBAN DE89370400440532013000", []),
    ("SWIFT code DEUTDEFF500 please", [("DEUTDEFF500", "ID")]),
    ("BIC/SWIFT: BNPAFRPPXXX.", [("BNPAFRPPXXX", "ID")]),
    ("Swift code is CHASUS33", [("CHASUS33", "ID")]),
    ("Wire to CHASUS33 today", [("CHASUS33", "ID")]),  # a digit in the location
    ("pay BNPAFRPPXXX by Friday", [("BNPAFRPPXXX", "ID")]),  # the primary-office branch
    ("IBAN DE89370400440532013000 BIC COBADEFFXXX", [("COBADEFFXXX", "ID")]),
    ("IBAN DE89 3704 0044 0532 0130 00, bank DEUTDEFF", [("DEUTDEFF", "ID")]),  # IBAN nearby
    ("Swift/BIC der Bank: COBADEFF", [("COBADEFF", "ID")]),
    ("DEUTDEFF (BIC)", [("DEUTDEFF", "ID")]),
    ("code BIC : BNPAFRPP\n", [("BNPAFRPP", "ID")]),
    ('{"bic": "ABNANL2A", "swift": "INGBNL2A"}', [("ABNANL2A", "ID"), ("INGBNL2A", "ID")]),
    ("SWIFT代码：BKCHCNBJ", [("BKCHCNBJ", "ID")]),
    # Look-alikes: capital words, no country, glued, wrong length, no evidence.
    ("ABCDEFGH and HTTPSGET and CUSTOMER and REQUIRED", []),
    ("The DEUTDEFF token was rotated", []),
    ("ABCDEF12 and XDEUTDEFF and DEUTDEFF5 and DEUT-DEFF and DEUTDEFF_1", []),
    ("SWIFT: ABCDEFGH", []),  # EF is no country
    ("ERROR in HTTPSGET123 at BUILDING", []),  # a digit in the branch only
    ("deutdeff bic", []),
    ("SWIFT codes: CHASUS33X and path/CHASUS33 and CHASUS33.pdf", []),
    ("The SWIFT network sent a MTTEXTED message; BIC field empty. PASSWORD", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_bic_detector_table(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@settings(max_examples=200, deadline=None)
@given(st.randoms(use_true_random=False), st.sampled_from(["BIC ", "SWIFT: ", "Swift code ", "BIC/SWIFT "]))
def test_every_labelled_bic_is_found(rng: random.Random, label: str) -> None:
    alnum = string.ascii_uppercase + string.digits
    bank = "".join(rng.choices(string.ascii_uppercase, k=4))
    country = rng.choice(sorted(_COUNTRIES))
    code = (
        bank + country + "".join(rng.choices(alnum, k=2)) + "".join(rng.choices(alnum, k=rng.choice([0, 3])))
    )
    text = f"Please wire it. {label}{code}, thanks."
    assert _found(text) == [(code, "ID")]


def test_bic_is_tokenized_by_scrub() -> None:
    text = "Beneficiary bank BIC: COBADEFFXXX, IBAN to follow."
    result = redaction.scrub(text)
    assert "COBADEFFXXX" not in result.text
    assert result.text == "Beneficiary bank BIC: [ID_1], IBAN to follow."
    assert redaction.rehydrate(result.text, result.token_map) == text
