"""US bank numbers: ABA routing (checksum + context) and account numbers (context only)."""

from __future__ import annotations

import random
import time

import pytest
from stdnum.us import rtn

import redaction
from redaction.detectors.us_bank import UsBankAccountDetector, UsBankRoutingDetector, _aba_valid

ROUTING = UsBankRoutingDetector()
ACCOUNT = UsBankAccountDetector()


def _found(text: str) -> list[tuple[str, str]]:
    spans = [*ROUTING.detect(text), *ACCOUNT.detect(text)]
    return [(text[s.start : s.end], s.kind) for s in sorted(spans, key=lambda s: s.start)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    ("instead of to the card. Routing number 222441489,\naccount number 157059897231. Name on",
     [("222441489", "US_BANK_ROUTING"), ("157059897231", "US_BANK_ACCOUNT")]),
    ("IBAN NL71 CLOJ 8558 9964 49 (EUR) or ABA routing 297596181, account 57269014247 (USD).",
     [("297596181", "US_BANK_ROUTING"), ("57269014247", "US_BANK_ACCOUNT")]),
    ("ABA routing 800811208, account 379308348 (USD).",
     [("800811208", "US_BANK_ROUTING"), ("379308348", "US_BANK_ACCOUNT")]),
    ("RTN: 021000021 / Acct #: 000123456789",
     [("021000021", "US_BANK_ROUTING"), ("000123456789", "US_BANK_ACCOUNT")]),
    ("ROUTING/TRANSIT NO. 011000015, ACCOUNT NO. 4400012345",
     [("011000015", "US_BANK_ROUTING"), ("4400012345", "US_BANK_ACCOUNT")]),
    ('{"bank_account": "98765432", "account_number": "12345678901234567"}',
     [("98765432", "US_BANK_ACCOUNT"), ("12345678901234567", "US_BANK_ACCOUNT")]),
    ("acct no. 123456, bank account: 7654321",
     [("123456", "US_BANK_ACCOUNT"), ("7654321", "US_BANK_ACCOUNT")]),
    ("the routing number is 123456780 for wires", [("123456780", "US_BANK_ROUTING")]),
    ("Routing number:\n  021000021\nAccount number:\n  4400012345",
     [("021000021", "US_BANK_ROUTING"), ("4400012345", "US_BANK_ACCOUNT")]),
    ("ABA 021000021 0123456789", [("021000021", "US_BANK_ROUTING")]),
    # Routing look-alikes: checksum fails, district never issued, no context, too long.
    ("routing number 021000022 and ABA 222441488", []),
    ("routing 912345675 and routing 450000003 (checksum ok, no such district)", []),
    ("order 222441489 shipped; ticket 021000021; call 021000021 tomorrow", []),
    ("routing 0210000210 and routing 21000021 and routing 021000021-5", []),
    # Account look-alikes: no account word, ids, ledgers, dates, short or glued numbers.
    ("order number 157059897231 and invoice 57269014247", []),
    ("{{account_id}} 12345678 and accounts 12345678 and accounting 2024 12345678", []),
    # A ledger's account (the same rule as `labeled_ids`' account labels).
    ("GL account 400100; general ledger account 400100; expense account 612000", []),
    ("MyAccount 12345678 and account CASE-655676 and account INV-90572233", []),
    ("account opened 2024-05-01, account ending in 1234, account 12345", []),
    ("account 000000 is a placeholder; account 12345678901234567890 is too long", []),
    ("Name on the account: Jill Rodriguez.", []),
    ("Name on the account:\nInvoice 12345678", []),
    # UK details as printed: the sort code and the eight-digit account after it.
    ("| Lukas Brennan | sort 52-26-27 | 59146252 |\nsort code 20-00-00 acc 12345678",
     [("52-26-27", "US_BANK_ROUTING"), ("59146252", "US_BANK_ACCOUNT"), ("20-00-00", "US_BANK_ROUTING"),
      ("12345678", "US_BANK_ACCOUNT")]),
    ("sort by 20-05-24 12345678 and resort 12-12-12 87654321", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_us_bank_detector_table(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_bank_numbers_are_dropped_by_scrub() -> None:
    text = "Routing number 222441489, account number 157059897231. Thanks!"
    scrubbed = redaction.scrub(text).text
    assert "222441489" not in scrubbed, "a routing number must never reach the LLM"
    assert "157059897231" not in scrubbed, "an account number must never reach the LLM"
    assert scrubbed == (
        "Routing number [REDACTED:US_BANK_ROUTING], account number [REDACTED:US_BANK_ACCOUNT]. Thanks!"
    )


def test_fast_aba_precheck_agrees_with_stdnum() -> None:
    rng = random.Random(3)
    for _ in range(20_000):
        digits = f"{rng.randrange(10**9):09d}"
        assert _aba_valid(digits) == rtn.is_valid(digits), digits


@pytest.mark.parametrize(
    "text",
    [
        "1" * 100_000,
        "routing " * 12_500,
        "account " * 12_500,
        "account 1" * 11_000,
        "acct #" * 16_000,
        "routing 123456780 " * 5_000,
        "cc" * 50_000,
    ],
)
def test_adversarial_input_runs_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    list(ROUTING.detect(text))
    list(ACCOUNT.detect(text))
    assert time.perf_counter() - started < 2.0
