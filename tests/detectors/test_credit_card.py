"""CreditCardDetector: Luhn-valid 13-19 digit cards in printed groupings, never look-alikes."""

from __future__ import annotations

import random
import time

import pytest
from stdnum import luhn

import redaction
from redaction.detectors.credit_card import CreditCardDetector, _luhn_valid

DETECTOR = CreditCardDetector()
FULLWIDTH_PER_DIGIT = " ".join("４１１１１１１１１１１１１１１１")


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in sorted(DETECTOR.detect(text), key=lambda s: s.start)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # Printed groupings, compact runs, every network's leading digit.
    ("Card used: 4213 9129 4185 0274\nAmount $1,147.60", [("4213 9129 4185 0274", "CREDIT_CARD")]),
    ('declined customer="Jo" card=2720130337028286 code=do_not_honor',
     [("2720130337028286", "CREDIT_CARD")]),
    ("Card used: 3784-367047-24392\n", [("3784-367047-24392", "CREDIT_CARD")]),
    ("amex 3493 125305 65406.", [("3493 125305 65406", "CREDIT_CARD")]),
    ("diners 3825 149097 0378", [("3825 149097 0378", "CREDIT_CARD")]),
    ("pay with 4111-1111-1111-1111 today", [("4111-1111-1111-1111", "CREDIT_CARD")]),
    # Wider separators: two spaces (a receipt's layout), a spaced dash.
    ("Card used: 4631  9477  5910  0911; 4111 - 1111 - 1111 - 1111",
     [("4631  9477  5910  0911", "CREDIT_CARD"), ("4111 - 1111 - 1111 - 1111", "CREDIT_CARD")]),
    ("totals  1234  5678  9012  3456 (no Luhn)", []),
    ("Q1-Q4 units:  4439  2537  8993  1464 (two spaces, Luhn-valid, no card word)", []),
    # A CSV export's row: the code after the card and its expiry is the CVV, the next field a phone.
    ("m@x.com,5387669796603755,09/26,321,773-256-2121",
     [("5387669796603755", "CREDIT_CARD"), ("321", "CVV")]),
    ("4111111111111111,12/27,123.45; 4111111111111111,12/27,123,45",
     [("4111111111111111", "CREDIT_CARD"), ("4111111111111111", "CREDIT_CARD")]),
    ("discover 6011 9722 0937 9142, unionpay 6295-1278-2830-9759",
     [("6011 9722 0937 9142", "CREDIT_CARD"), ("6295-1278-2830-9759", "CREDIT_CARD")]),
    ("19 digits 6011 0000 0000 0000 001 ok", [("6011 0000 0000 0000 001", "CREDIT_CARD")]),
    ("visa-13 4222222222222 here", [("4222222222222", "CREDIT_CARD")]),
    ("375716761858263", [("375716761858263", "CREDIT_CARD")]),
    # Wrapped over a line break between groups, also in a quoted reply.
    ("> card on file 4062\n4201 5684 6997 will be charged.", [("4062\n4201 5684 6997", "CREDIT_CARD")]),
    ("card on file 3409 120305\n18521 will be charged", [("3409 120305\n18521", "CREDIT_CARD")]),
    ("> card 4386 7138\n> 0574 9185 on file", [("4386 7138\n> 0574 9185", "CREDIT_CARD")]),
    # Next to other numbers: an expiry, a year, a quantity in front, a CJK label.
    ("4111 1111 1111 1111 12/26", [("4111 1111 1111 1111", "CREDIT_CARD")]),
    ("card 4111 1111 1111 1111 2024-05-01 ok", [("4111 1111 1111 1111", "CREDIT_CARD")]),
    ("qty 12 4111 1111 1111 1111", [("4111 1111 1111 1111", "CREDIT_CARD")]),
    ("qty 12 4111111111111111", [("4111111111111111", "CREDIT_CARD")]),
    ("卡号4111111111111111。", [("4111111111111111", "CREDIT_CARD")]),
    ("Card on file: 4723 5389 4317 1402. Customer asks", [("4723 5389 4317 1402", "CREDIT_CARD")]),
    # Dots, slashes, mixed and spaced separators between groups.
    ("4111.1111.1111.1111 and 4111/1111/1111/1111",
     [("4111.1111.1111.1111", "CREDIT_CARD"), ("4111/1111/1111/1111", "CREDIT_CARD")]),
    ("mixed 4111 1111-1111.1111; spaced 5500 - 0000 - 0000 - 0004.",
     [("4111 1111-1111.1111", "CREDIT_CARD"), ("5500 - 0000 - 0000 - 0004", "CREDIT_CARD")]),
    ("amex 3782.822463.10005 ok", [("3782.822463.10005", "CREDIT_CARD")]),
    # One separator between every digit, or a wider one between the printed groups.
    ("card 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 thanks", [("4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", "CREDIT_CARD")]),
    ("4-1-1-1 1-1-1-1 1-1-1-1 1-1-1-1", [("4-1-1-1 1-1-1-1 1-1-1-1 1-1-1-1", "CREDIT_CARD")]),
    ("5.5.0.0.0.0.0.0.0.0.0.0.0.0.0.4", [("5.5.0.0.0.0.0.0.0.0.0.0.0.0.0.4", "CREDIT_CARD")]),
    ("3 7 8 2  8 2 2 4 6 3  1 0 0 0 5", [("3 7 8 2  8 2 2 4 6 3  1 0 0 0 5", "CREDIT_CARD")]),
    # Look-alikes: other groupings, other checksums, other number kinds.
    ("dates 2024.05.01 2024/05/01 12/03/1971, IP 10.0.0.1, versions 3.16.5.2 and 1.2.3.4.5.6.7", []),
    ("per digit, Luhn fails: 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 2", []),
    ("per digit after a number: 10 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", []),
    ("mixed per-digit separators 4 1.1 1.1 1.1 1.1 1.1 1.1 1.1 1.1 and 1.5 2.5 3.5 4.5 5.5 6.5 7.5 8.5", []),
    ("too many digits 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", []),
    ("decimals 4111.1111.1111.1111.50 and 1.4111/1111/1111/1111", []),
    ("Luhn fails: 4111 1111 1111 1112 and 4213912941850275", []),
    ("one digit: 4444 4444 4444 4444 and 0000 0000 0000 0000", []),
    ("order 321-5232635-8356602 shipped; order 702-8348828-9011930", []),
    ("| EAN 4027615504453 | ISBN 978-21-3524-138-1 | 9780761534624 |", []),
    ("Luhn-valid EAN-13s: EAN 4039621723216 and 4066848475130", []),
    ("phone +82 10 2612 6183, (02) 6041-7140, 010 9814 8733 4411", []),
    ("verify that 2^32 = 4294967296 and 1,234,567 rows, 0.142857142857142857", []),
    ("Batch 05d79aaf-902b-4716-b1cb-ce973372b717 at 2024-10-05T23:19:48.187Z", []),
    ("checkout 5b53a17f6f8cde0b4747c779fc6abb475e5b4f50 digest 5b53a17f6f8cde0b4111111111111111", []),
    # 4-4-4-4 split by underscores or bars, or by commas after a card word.
    ("card 4526_0181_5908_3012 / 4526|0181|5908|3012 / card 4526,0181,5908,3012",
     [("4526_0181_5908_3012", "CREDIT_CARD"), ("4526|0181|5908|3012", "CREDIT_CARD"),
      ("4526,0181,5908,3012", "CREDIT_CARD")]),
    ("sales 4526,0181,5908,3012 and a4526_0181_5908_3012 and 4526_0181_5908_3012_1", []),
    # After a `+`, compact digits are a phone number in international form (a German mobile).
    ("Call +4915112345678 now, phone: +4917612345678", []),
    # ... but 16 digits are no phone number (E.164: 15 at most).
    ("card: +4111111111111111", [("4111111111111111", "CREDIT_CARD")]),
    # Glued to letters: only in the network's own prefix and length.
    ("card4111111111111111exp and ref:4111111111111111abc",
     [("4111111111111111", "CREDIT_CARD"), ("4111111111111111", "CREDIT_CARD")]),
    ("CC5555555555554444, amex378282246310005x, CC_6011111111111117_x",
     [("5555555555554444", "CREDIT_CARD"), ("378282246310005", "CREDIT_CARD"),
      ("6011111111111117", "CREDIT_CARD")]),
    ("Visa4111 1111 1111 1111 and 4111-1111-1111-1111y",
     [("4111 1111 1111 1111", "CREDIT_CARD"), ("4111-1111-1111-1111", "CREDIT_CARD")]),
    # On the left only a card word: ids with a prefix pass Luhn one time in ten.
    ("ref txn_4519961983914549, PO4532015112830366, file_4111111111111111.log, x4111-1111-1111-1111y", []),
    ("glued, Luhn-valid, no network length: ORD411111111111111118 SKU3782822463100011x v1.4111111111111111ab",
     []),
    ("SO63858597 INV-905722 ORD-2885832 #A9605104 PO-2024-22641 REF 25.386.815", []),
    ("Luhn-valid, no card network: 1234 5678 9012 347, 7111 1111 1111 1114, 9111111111111110", []),
    ("amount 4111111111111111.50 and 1.4111111111111111", []),
    ("a column\n4111\n1111\n1111\n1111\n", []),
    ("Version 10.0.20778.1102 build 4111 1111", []),
    # A comma separates (a CSV row): a card-shaped run is never part of an amount.
    ("4111111111111111,42 and 42,4213 9129 4185 0274",
     [("4111111111111111", "CREDIT_CARD"), ("4213 9129 4185 0274", "CREDIT_CARD")]),
    ("1,234,567,890,123,456,789 and 4111111111111111.50", []),
    # One punctuation character throughout, maybe spaced: form-encoded `+`, pipes, colons.
    ("card=4111+1111+1111+1111&x=1 then 4111 | 1111 | 1111 | 1111",
     [("4111+1111+1111+1111", "CREDIT_CARD"), ("4111 | 1111 | 1111 | 1111", "CREDIT_CARD")]),
    ("4111~1111~1111~1111 4111*1111*1111*1111 4111:1111:1111:1111",
     [("4111~1111~1111~1111", "CREDIT_CARD"), ("4111*1111*1111*1111", "CREDIT_CARD"),
      ("4111:1111:1111:1111", "CREDIT_CARD")]),
    ("4111+1111:1111+1111, 4111:1111:1111:1111:2222, 1234:5678:9012:3456", []),
    ("2222 | 4111 | 1111 | 1111 | 1111 and 4111 | 1111 | 1111 | 1111 | 2222", []),
    # A dump's row: card, expiry, CVV; a magnetic stripe's track 1; an expiry glued on.
    ("4111111111111111|12/27|123\n5555555555554444;1227;456;Bob",
     [("4111111111111111", "CREDIT_CARD"), ("123", "CVV"),
      ("5555555555554444", "CREDIT_CARD"), ("456", "CVV")]),
    ("4111111111111111,12,2027,789 and 4111111111111111|12/27|123.50",
     [("4111111111111111", "CREDIT_CARD"), ("789", "CVV"), ("4111111111111111", "CREDIT_CARD")]),
    ("%B4111111111111111^DOE/JOHN^2712101000000000000?", [("4111111111111111", "CREDIT_CARD")]),
    ("4111111111111111-12/27 and 5555555555554444.1227",
     [("4111111111111111", "CREDIT_CARD"), ("5555555555554444", "CREDIT_CARD")]),
    ("%B1234567890123456^X and 4111111111111111-13/27", []),
    ("EXPOSE 2023 2024 2025 2026; EXPOSE 2002 2003 2004 2005", []),
    ("IMEI 490154203237518, IMEI: 356938035643809, ICCID 8944500102198304826", []),
    ("IMEI: 4539 1488 0343 6467 (a card pasted in the IMEI field)", [("4539 1488 0343 6467", "CREDIT_CARD")]),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_credit_card_detector_table(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_card_is_dropped_by_scrub_even_in_fullwidth_digits() -> None:
    for text, card in [
        ("Card: ４１１１－１１１１－１１１１－１１１１\nthanks", "４１１１－１１１１－１１１１－１１１１"),
        ("card on file 4386 7138\n0574 9185 will be charged.", "4386 7138\n0574 9185"),
        (f"card {FULLWIDTH_PER_DIGIT} ok", FULLWIDTH_PER_DIGIT),
        ("card 4111.1111.1111.1111/ok", "4111.1111.1111.1111"),
        # Dash and dot look-alikes are read as dashes and dots (the detection view).
        ("paid with 4111\u20141111\u20141111\u20141111 today", "4111\u20141111\u20141111\u20141111"),
        ("paid with 4111 \u2015 1111 \u2015 1111 \u2015 1111", "4111 \u2015 1111 \u2015 1111 \u2015 1111"),
        ("paid with 4111\u00b71111\u00b71111\u00b71111", "4111\u00b71111\u00b71111\u00b71111"),
        ("paid with 4111\u22c51111\u22c51111\u22c51111", "4111\u22c51111\u22c51111\u22c51111"),
        ("paid with 4111 \u2022 1111 \u2022 1111 \u2022 1111", "4111 \u2022 1111 \u2022 1111 \u2022 1111"),
    ]:
        scrubbed = redaction.scrub(text).text
        assert card not in scrubbed, "a card number must never reach the LLM"
        assert "[REDACTED:CREDIT_CARD]" in scrubbed
        assert "1111" not in scrubbed, "no group of the card may survive"
        assert "7138" not in scrubbed, "no group of the card may survive"


def _luhn_complete(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return body + luhn.calc_check_digit(body)


def test_random_valid_cards_with_random_separators_are_always_found() -> None:
    rng = random.Random(10)
    seps = [" ", "-", ".", "/", " - ", "  "]
    for _ in range(2_000):
        card = _luhn_complete(rng, rng.choice(["4", "51", "2720", "6011"]), 16)
        if card.count(card[0]) == len(card):
            continue
        if rng.random() < 0.5:  # printed groups of four, any separator (mixed too)
            groups = [card[i : i + 4] for i in range(0, 16, 4)]
            value = groups[0] + "".join(rng.choice(seps[:4]) + g for g in groups[1:])
        else:  # one separator between every digit
            sep = rng.choice(seps)
            value = sep.join(card)
        text = f"Paid with {value}, thanks."
        assert _found(text) == [(value, "CREDIT_CARD")], text


def test_fast_luhn_precheck_agrees_with_stdnum() -> None:
    rng = random.Random(7)
    for _ in range(5_000):
        digits = str(rng.randrange(10**12, 10**19))
        assert _luhn_valid(digits) == luhn.is_valid(digits), digits


@pytest.mark.parametrize(
    "text",
    [
        "1" * 100_000,
        "1 " * 50_000,
        "1-" * 50_000,
        "4111 " * 20_000,
        "3782 822463 " * 8_000,
        "4111\n> " * 14_000,
        "1111 1111 1111 1111 1" * 5_000,
        "4 1 1 1 " * 12_500,  # per digit
        "4.1 " * 25_000,
        "4111 - " * 14_000,
    ],
    ids=[
        "digits",
        "1-space",
        "1-dash",
        "4-groups",
        "amex-groups",
        "quoted-lines",
        "runs",
        "per-digit",
        "decimals",
        "spaced-dash",
    ],
)
def test_adversarial_input_runs_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0
