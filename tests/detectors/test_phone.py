"""PhoneDetector: international and national numbers; dates, ids, amounts and codes left alone."""

from __future__ import annotations

import time

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumber, ValidationResult

import redaction
from redaction.detectors.phone import PhoneDetector, _parse_international, _possible

DETECTOR = PhoneDetector()


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # International: the `+` (or `00`) is evidence enough for a possible number.
    ("+44 20 7946 0958", [("+44 20 7946 0958", "PHONE")]),
    ("+1-415-555-0100", [("+1-415-555-0100", "PHONE")]),
    ("+49 30 123456", [("+49 30 123456", "PHONE")]),
    ("+44 (0)20 5157 5796 and +33 (0)1 45 79 68 16",
     [("+44 (0)20 5157 5796", "PHONE"), ("+33 (0)1 45 79 68 16", "PHONE")]),
    ("Phone (+86) 13213026645, email", [("(+86) 13213026645", "PHONE")]),
    ("tel:+1.495.636.5932.dob=9/9/1977", [("+1.495.636.5932", "PHONE")]),
    ("연락처는 +82 10-6456-8297입니다.", [("+82 10-6456-8297", "PHONE")]),
    ("+447698492355", [("+447698492355", "PHONE")]),
    ("+7 495 123-45-67, +55 11 91234-5678", [("+7 495 123-45-67", "PHONE"), ("+55 11 91234-5678", "PHONE")]),
    ("Tel: 0049 30 1234567", [("0049 30 1234567", "PHONE")]),
    ("Tel. +49 211 123456-12", [("+49 211 123456-12", "PHONE")]),
    # US/CA, grouped the usual ways (area code and exchange must be well formed).
    ("(411)951-7520", [("(411)951-7520", "PHONE")]),
    ("415.555.0100", [("415.555.0100", "PHONE")]),
    ("Carolyn Mills (brother), 627-510-8156.", [("627-510-8156", "PHONE")]),
    ("on 1-743-396-5108. LinkedIn", [("1-743-396-5108", "PHONE")]),
    ("I can be reached at (711) 702-0545 if", [("(711) 702-0545", "PHONE")]),
    ("- Mobile: 873 868 4440\n", [("873 868 4440", "PHONE")]),
    ("call 415-555-0100 x123 today", [("415-555-0100 x123", "PHONE")]),
    # National with a trunk 0: valid numbers, or the region's own grouping.
    ("07701 327806", [("07701 327806", "PHONE")]),
    ("Emergency contact: Anne Saunders (daughter), 07775176066.", [("07775176066", "PHONE")]),
    ("020 5789 9834", [("020 5789 9834", "PHONE")]),
    ("Mum's new number is 0139 213 0556", [("0139 213 0556", "PHONE")]),
    ("05.75.96.51.67 / 04-29-01-41-44 / 05 58 46 39 47",
     [("05.75.96.51.67", "PHONE"), ("04-29-01-41-44", "PHONE"), ("05 58 46 39 47", "PHONE")]),
    ("Handy: 0171/80562462, Fax: 0211 123456-0", [("0171/80562462", "PHONE"), ("0211 123456-0", "PHONE")]),
    ("(02) 9463-4598 or 031-611-9392", [("(02) 9463-4598", "PHONE"), ("031-611-9392", "PHONE")]),
    ("010-43570591", [("010-43570591", "PHONE")]),
    ("03-1234-5678", [("03-1234-5678", "PHONE")]),
    # Bare runs without `+` or trunk 0 need a contact word just before them.
    ("Phone: 9242946281", [("9242946281", "PHONE")]),
    ("You can reach me directly on 5292822959 or", [("5292822959", "PHONE")]),
    ('{"name": "Samuel Moore", "phone": "6498057449"}', [("6498057449", "PHONE")]),
    ("Phone 17311978643, email", [("17311978643", "PHONE")]),
    ("客户电话：17359743120", [("17359743120", "PHONE")]),
    ("WhatsApp 98765 43210", [("98765 43210", "PHONE")]),
    # Wrapped over a line: joined only with a contact word or a `+`.
    ("who can be reached on\n> (739)778-\n8515 or", [("(739)778-\n8515", "PHONE")]),
    ("who can be reached on\n> 20451\n43060 or", [("20451\n43060", "PHONE")]),
    ("> +1\n(872) 283-7568 or", [("+1\n(872) 283-7568", "PHONE")]),
    ("total 415\n5550100", []),
    # Part of a longer run: the part with phone syntax of its own is kept.
    ("2024-10-05 415-555-0100", [("415-555-0100", "PHONE")]),
    ("call 415-555-0100 2024", [("415-555-0100", "PHONE")]),
    # An amount after the number is not part of it, whichever way it is written.
    ("+1 415 555 2671 0$ and +1 415 555 2672 $0",
     [("+1 415 555 2671", "PHONE"), ("+1 415 555 2672", "PHONE")]),
    ("call 415-555-0100 5%", [("415-555-0100", "PHONE")]),
    ("\ud800 call +1 415 555 2671", [("+1 415 555 2671", "PHONE")]),
    # Look-alikes that are not phone numbers.
    ("9242946281", []),
    ("verify that 2^32 = 4294967296.", []),
    ("INT_MAX is 2147483647; epoch 1700000000; ts=1700000000123", []),
    ("Release 10.5.33 (01.05.2023), built 2024-10-05T23:19:48.187Z", []),
    ("Batch 05d79aaf-902b-4716-b1cb-ce973372b717 imported", []),
    ("Listening on 0.0.0.0:2169, peer 192.168.23.102; Windows 10.0.20778.1102", []),
    ("| 978-1-414-88321-2 | 9780761534624 | ISBN 0-306-40615-2 |", []),
    ("EAN 4027615504453 | order 321-5232635-8356602 | ORD-2885832 | SO63858597", []),
    ("Model 899-196-7628X | P/N 021-8057-41 | SKU 1889-0176-758 | REF 25.386.815", []),
    ("Card: 4111 1111 1111 1111 or 4111-1111-1111-1111", []),
    ("card on file 6011\n0846 1944 8648 will be charged", []),
    ("SSN 123-45-6789", []),
    ("Routing number 222441489,\naccount number 157059897231.", []),
    # Product and card-terminal numbers after their label.
    ("Part no. 786-544-0391", []),
    ("Model 88-4248-2269", []),
    ("RRN 096685272333", []),
    ("Passport number 694600530, Account number 0161 521 1351", []),
    ("IBAN DE87 7975 0231 0279 9772 47", []),
    ("S_10 = 1023/1024 = 0.9990234375; pi 3.14159265358", []),
    ("$4,155,550,100 or 1 234 567 € or USD 1 234 567.89 or 1,234,567 rows", []),
    ("Scores: 0 1 2 3 4 5 6 7 8 9 / readings 20 21 22 23 24 25 26", []),
    ("ZIP 94103-1234, lat 51.5074 lon 0.1278", []),
    # `number` alone names any id; a phone needs a phone word or someone's number.
    ("case number 93996888; PO 4522843184", []),
    ("case number 09477032; order number 4155550100; Number of rows: 4155550100", []),
    ("the number 4155550100 of rows", []),
    ("my number is 4155550100", [("4155550100", "PHONE")]),
    ("her direct number 4155550100", [("4155550100", "PHONE")]),
    ("contact number 4155550100", [("4155550100", "PHONE")]),
    # Dots: a GB mobile after CJK, international numbers.
    ("请回电07400.128770，谢谢。", [("07400.128770", "PHONE")]),
    ("Call me at +31.6.12348824.", [("+31.6.12348824", "PHONE")]),
    ("Tel. +33.1.23.45.46.28, Fax none", [("+33.1.23.45.46.28", "PHONE")]),
    ("(+82.2.212.8478)", [("+82.2.212.8478", "PHONE")]),
    ("version 1.2.3.4, pi 3.14159, 0.5.12345", []),
    # Phone columns hold numbers without their trunk 0 (NL) or as BR writes them.
    ("customer_id,name,phone,plan\n75459,Michael Moreno,101237525,free\n",
     [("101237525", "PHONE")]),
    ("INSERT INTO c (id, name, phone, city) VALUES\n  (6948, 'Caitlin Fry', '1123451586', 'X');",
     [("1123451586", "PHONE")]),
    ("customer_id,name,amount,plan\n75459,Michael Moreno,101237525,free\n", []),
    ("INSERT INTO c (id, name, code) VALUES (6948, 'Caitlin Fry', '1123451586');", []),
    # A number at the end of a line, a street's house number on the next.
    ("Mobile: 01 56 73 31 23\n7056 Stephen Spur, West Ryanville", [("01 56 73 31 23", "PHONE")]),
    ("Mobile: 0141 496 0703\n7056 Stephen Spur", [("0141 496 0703", "PHONE")]),
    ("card 4111 1111\n1111 1111 end", []),
    # A number between other digit groups: found on its own, the groups around it kept.
    ("qty 3 (415) 555-0132 7 left", [("(415) 555-0132", "PHONE")]),
    ("00 (415) 555-0132 0.0", [("(415) 555-0132", "PHONE")]),
    ("1 2 +44 20 7946 0958 3 4", [("+44 20 7946 0958", "PHONE")]),
    ("ref 12 34 56 78 90 12", []),
    # A slash between two numbers, or between a number and an address: a list.
    ("+1 415 555 0132/10.0.0.1", [("+1 415 555 0132", "PHONE")]),
    ("(415) 555-0132/(415) 555-0133", [("(415) 555-0132", "PHONE"), ("(415) 555-0133", "PHONE")]),
    ("call 030/1234567", [("030/1234567", "PHONE")]),
    # A cut that leaves only an extension is no number (it once raised IndexError).
    ("0830106\tx0", []),
    ("a 0830106 x0", []),
    # After a contact word: any national length, a local number, another country's format.
    ("my cell is 5551234567; call me at 555-0134", [("5551234567", "PHONE"), ("555-0134", "PHONE")]),
    ("Call me at 8 (066) 907-43-91, mobile: 500 080 636, reach us on 22 657 07 04",
     [("8 (066) 907-43-91", "PHONE"), ("500 080 636", "PHONE"), ("22 657 07 04", "PHONE")]),
    # The bare verb is no label for digits no reading vouches for: durations, counts, cells.
    ("Call duration was 176-7416 ms; Calls: 12 345 678 (up 4%); cell A1 = 1234567890", []),
    ("Call stack depth: 1234 5678; contact ticket 555-0134", []),
    ("Contact center handled 765404690 calls; Calls: 12 345 678 (up 4%)", []),
    ("Call Anna at 555-0199 after 5; call 4155550132 (after 5pm)",
     [("555-0199", "PHONE"), ("4155550132", "PHONE")]),
    ("Call me at +61.437.406.812", [("+61.437.406.812", "PHONE")]),
    # ... and without one, the same digits are not enough.
    ("order 555-0134 shipped; ref 5551234567; version 1.2.3; 500 080 636 rows", []),
    # From the fifth tester: DIN 5008's old slash, "ring/text me", field names, NANP's 011.
    ("Tel: 030 / 123 456 78\nTelefon: 0171 / 1234567",
     [("030 / 123 456 78", "PHONE"), ("0171 / 1234567", "PHONE")]),
    ("ring me on 07911 123 456, text us at 07911 123 457",
     [("07911 123 456", "PHONE"), ("07911 123 457", "PHONE")]),
    ('{"msisdn": "447700900123"} caller_id=4155552671',
     [("447700900123", "PHONE"), ("4155552671", "PHONE")]),
    ("Call me at 011 44 20 7946 0958", [("011 44 20 7946 0958", "PHONE")]),
    ("12 / 34 / 2024, pages 123 / 456, ratio 2024 / 2025, see 030 / 123 456 78", []),
    ("user_id: 1234567, caller_id: 7654321", []),
    ("Tel.: 512-122-342", [("512-122-342", "PHONE")]),
    ("File 011 20 7946 0958 report; episode 011 44 20 7946 0958", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_detects_exactly_the_phone_numbers(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Please call Loretta Morales on +1.720.234.0068 to arrange", "+1.720.234.0068"),
        ("Mum's new number is 07701 327806\n[12/05/2025, 18:22] Marion: ok", "07701 327806"),
        ("客户电话：８７０\u3000８９８\u3000３１４９\nCard: none", "８７０\u3000８９８\u3000３１４９"),
        ("erreichen Sie mich unter +49 (0)351 3242695 oder per Mail", "+49 (0)351 3242695"),
    ],
)
def test_scrub_replaces_the_number_and_rehydrates_exactly(text: str, number: str) -> None:
    scrubbed, token_map, _ = redaction.scrub(text)
    assert scrubbed == text.replace(number, "[PHONE_1]"), "the number, and only it, must be replaced"
    assert redaction.rehydrate(scrubbed, token_map) == text


def test_one_number_in_two_formats_is_one_entity() -> None:
    scrubbed, token_map, _ = redaction.scrub("call 415-555-0100 or 415.555.0100")
    assert scrubbed.count("[PHONE_1") == 2
    assert redaction.rehydrate(scrubbed, token_map) == "call 415-555-0100 or 415.555.0100"


@pytest.mark.parametrize(
    "unit",
    ["1", "1 ", "1-", "1.", "12 ", "(1) ", "+1 ", "0", "00", "1\n", "1\n1 ", "+44 20 ", "12 12 12 12 -"],
)
def test_linear_time_on_adversarial_input(unit: str) -> None:
    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0, f"{unit!r}: catastrophic backtracking or quadratic scan"


# -- the fast paths agree with libphonenumber ---------------------------------------------------


def _parse(digits: str) -> PhoneNumber | None:
    try:
        return phonenumbers.parse("+" + digits)
    except phonenumbers.NumberParseException:
        return None


def _fields(number: PhoneNumber | None) -> tuple[object, ...] | None:
    if number is None:
        return None
    return (number.country_code, number.national_number, number.italian_leading_zero,
            number.number_of_leading_zeros, number.extension)  # fmt: skip


def _example_digits() -> list[str]:
    """Every region's example numbers after `+` and the country code, with and without a
    national prefix written in (`+44 0 20 ...`, `+7 8 ...`, `+39 06 ...`)."""
    out: list[str] = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in range(11):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                national = phonenumbers.national_significant_number(example)
                out.extend(
                    f"{example.country_code}{prefix}{national}" for prefix in ("", "0", "1", "8", "06")
                )
    return out


def test_parse_international_equals_libphonenumber_on_every_region() -> None:
    digits = _example_digits()
    assert len(digits) > 2000
    assert [_fields(_parse_international(d)) for d in digits] == [_fields(_parse(d)) for d in digits]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789", max_size=20))
def test_parse_international_equals_libphonenumber_on_any_digits(digits: str) -> None:
    assert _fields(_parse_international(digits)) == _fields(_parse(digits))


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from([0, 1, 7, 33, 39, 44, 49, 55, 82, 86, 91, 225, 800, 999]),
    st.integers(min_value=0, max_value=10**17),
    st.sampled_from([None, False, True]),
    st.sampled_from([None, 0, 1, 2, 3]),
)
def test_possible_equals_libphonenumber(
    code: int, national: int, italian: bool | None, zeros: int | None
) -> None:
    number = PhoneNumber(
        country_code=code, national_number=national, italian_leading_zero=italian,
        number_of_leading_zeros=zeros,
    )  # fmt: skip
    expected = phonenumbers.is_possible_number_with_reason(number) == ValidationResult.IS_POSSIBLE
    assert _possible(number) == expected
