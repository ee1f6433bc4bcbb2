"""MoneyDetector: amounts need a currency symbol, code or word; bare numbers are not money."""

from __future__ import annotations

import time

import pytest

import redaction
from redaction.detectors.money import MoneyDetector

DETECTOR = MoneyDetector()


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(text[s.start : s.end], s.kind, s.label) for s in DETECTOR.detect(text)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str, str]]]] = [
    ("a ticket of $2.3M", [("$2.3M", "AMOUNT", "prefixed")]),
    ("budget approx. $500,000.", [("$500,000", "AMOUNT", "prefixed")]),
    ("Committed: £2 million", [("£2 million", "AMOUNT", "prefixed")]),
    ("a further GBP 250,000", [("GBP 250,000", "AMOUNT", "prefixed")]),
    # Codes that are clinical abbreviations: one digit or one decimal is a chart's value.
    ("INR 2.4 today, target INR 2-3; CAD 3 vessels; CHF 2 admissions; AUD 4 drinks/day", []),
    ("Total CHF 2,450.00; pay INR 500; CAD 3.50 fee",
     [("CHF 2,450.00", "AMOUNT", "prefixed"), ("INR 500", "AMOUNT", "prefixed"),
      ("CAD 3.50", "AMOUNT", "prefixed")]),
    ("raised €1.2bn in 2021", [("€1.2bn", "AMOUNT", "prefixed")]),
    # SWIFT MT: the value date glued before the code is no amount; the amount follows it.
    (":32A:240703EUR94879,76\n:33B:USD1000,", [("EUR94879,76", "AMOUNT", "prefixed"),
                                               ("USD1000", "AMOUNT", "prefixed")]),
    ("ref 20240703EUR5 and x1EUR100", []),
    ("wire USD 3,000,000.00 today", [("USD 3,000,000.00", "AMOUNT", "prefixed")]),
    ("Betrag EUR 1.250.000,00", [("EUR 1.250.000,00", "AMOUNT", "prefixed")]),
    ("call $0.25M", [("$0.25M", "AMOUNT", "prefixed")]),
    ("fee CHF 40k", [("CHF 40k", "AMOUNT", "prefixed")]),
    ("about 1.5 million dollars", [("1.5 million dollars", "AMOUNT", "suffixed")]),
    ("limit ₩50,000,000", [("₩50,000,000", "AMOUNT", "prefixed")]),
    ("limit ¥1,000,000", [("¥1,000,000", "AMOUNT", "prefixed")]),
    ("payment of $2,012.10 USD", [("$2,012.10 USD", "AMOUNT", "prefixed")]),
    ("The rent of 1.689,54 € is due", [("1.689,54 €", "AMOUNT", "suffixed")]),
    ("Budget approx. 0,25 Mio. €", [("0,25 Mio. €", "AMOUNT", "suffixed")]),
    ("한도를 250,000원으로", [("250,000원", "AMOUNT", "suffixed")]),
    ("Committed: US$0.25m", [("US$0.25m", "AMOUNT", "prefixed")]),
    ("RMB 7,500,000 and KRW 500,000",
     [("RMB 7,500,000", "AMOUNT", "prefixed"), ("KRW 500,000", "AMOUNT", "prefixed")]),
    ("ticket size 1 000 000 € net", [("1 000 000 €", "AMOUNT", "suffixed")]),
    ("₹12,34,567 paid", [("₹12,34,567", "AMOUNT", "prefixed")]),
    ("it costs 10$ total", [("10$", "AMOUNT", "suffixed")]),
    ("Preis: 1.500 Euro.", [("1.500 Euro", "AMOUNT", "suffixed")]),
    ("a 2 million pounds bid", [("2 million pounds", "AMOUNT", "suffixed")]),
    ("it is $5.00 now; ($5 million) or 10$, then", [("$5.00", "AMOUNT", "prefixed"),
     ("$5 million", "AMOUNT", "prefixed"), ("10$", "AMOUNT", "suffixed")]),
    # Look-alikes that are not money.
    ("export PATH=$HOME/bin:$PATH; echo ${VAR}", []),
    ("re.sub(r'(a)', '$1', s) and s/(x)/$2/g", []),
    ("$count = $1; LOCF=$1\necho $0|sed; (gdb) $5 = 36; substr($0,1,t-1); it costs $3.", []),
    ("r'^(a)?([^()]+)\\1$' and '(^1234$){i,d}' and ${CW}0${CR} and --abbrev=0 $newrev", []),
    ("fmt = ('%10.5f', '$10d'); mov $0x28, %sp", []),
    ("latency down 12%; margin €50% off?", []),
    ("1,234,567 rows in 4294967296 buckets", []),
    ("IBAN NL71 CLOJ 8558 9964 49 (EUR) or account 57269014247 (USD).", []),
    ("USDT 100 and 100 USDT on BUSD 5", []),
    ("the 2024 Euro final; 5 pounds of flour", []),
    ("Release 10.5.33, ISBN 978-1-414-88321-2, version 2.17", []),
    ("PHP 8.2 and TRY again", []),
    ("제 이름은 이주원입니다", []),
    # A code inside a hex id or UUID is no currency.
    ("trace_id=25EF2114-BA6E-436C-AED4-B1F0E9C3DEEE", []),
    ("id 3FAED4B1 and a1b2-3c4d-EUR5-6e7f", []),
    ("Pay AED400 now", [("AED400", "AMOUNT", "prefixed")]),
    # A crypt(3)/bcrypt prefix is no amount: `$2b$` is not 2 billion dollars.
    ("password_hash = '$2b$12$KIX', the bcrypt prefix is $2b$ or $2a$, crypt's is $1$", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_money_detector_table(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _found(text) == expected


def test_amounts_are_tokenized_and_round_trip() -> None:
    text = "We hereby call $3 million; a further GBP 250,000 follows."
    result = redaction.scrub(text)
    assert result.text == "We hereby call [AMOUNT_1]; a further [AMOUNT_2] follows."
    assert redaction.rehydrate(result.text, result.token_map) == text


def test_bucketed_amount_shows_a_range() -> None:
    text = "Ticket size $2.3M."
    result = redaction.scrub(text, bucket={"amounts": True})
    assert result.text == "Ticket size [AMOUNT_1: $1M-$5M]."
    assert redaction.rehydrate(result.text, result.token_map) == text


@pytest.mark.parametrize(
    "text",
    [
        "1" * 100_000,
        "$1," * 33_000,
        "$" * 100_000,
        "1 €" * 33_000,
        "USD " * 25_000,
        "9" * 50_000 + " €",
        "1,000,0" * 15_000,
    ],
)
def test_adversarial_input_runs_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize("text", ["paid $2,500 today", "a $1,000 deposit", "EUR-style $1.000 total"])
def test_one_digit_thousands_group_is_money(text: str) -> None:
    scrubbed = redaction.scrub(text).text
    assert "[AMOUNT_1]" in scrubbed, "a thousands-grouped dollar amount must not pass as a $1 variable"
