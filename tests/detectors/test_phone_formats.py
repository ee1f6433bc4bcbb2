"""PhoneDetector, issue 10: every country's formats, tables and SQL rows, URL-encoded and
digit-by-digit numbers, and the punctuation around a number left outside it."""

from __future__ import annotations

import random
from urllib.parse import quote

import phonenumbers
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import redaction
from redaction.detectors.phone import PhoneDetector

DETECTOR = PhoneDetector()


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # International numbers of any country, in any language's text.
    ("Bitte rufen Sie Herrn Martin unter +33 1 42 68 53 00 zurück.", [("+33 1 42 68 53 00", "PHONE")]),
    ("Zentrale: +49 (0)30 901820, Durchwahl folgt", [("+49 (0)30 901820", "PHONE")]),
    ("Tel. 0049 30 901820", [("0049 30 901820", "PHONE")]),
    ("London office +44 (0) 20 7946 0958", [("+44 (0) 20 7946 0958", "PHONE")]),
    ("+34 91 123 45 67 / 0034 612 34 56 78", [("+34 91 123 45 67", "PHONE"), ("0034 612 34 56 78", "PHONE")]),
    ("+39 06 6988 4567, +39 347 123 4567", [("+39 06 6988 4567", "PHONE"), ("+39 347 123 4567", "PHONE")]),
    ("+31 20 123 4567", [("+31 20 123 4567", "PHONE")]),
    ("+86 10 1234 5678 or +86 138 0013 8000",
     [("+86 10 1234 5678", "PHONE"), ("+86 138 0013 8000", "PHONE")]),
    ("+82 2-123-4567", [("+82 2-123-4567", "PHONE")]),
    ("+81 3-1234-5678", [("+81 3-1234-5678", "PHONE")]),
    ("+91 98765 43210", [("+91 98765 43210", "PHONE")]),
    ("+61 4 1234 5678", [("+61 4 1234 5678", "PHONE")]),
    # National formats: US, GB, FR, DE, ES, IT, NL, CN, KR, JP, IN, BR, AU.
    ("call (415) 555-0100 or 415.555.0100", [("(415) 555-0100", "PHONE"), ("415.555.0100", "PHONE")]),
    ("Ring 020 7946 0958, or", [("020 7946 0958", "PHONE")]),
    ("Appelez le 01 42 68 53 00 ou le 06.12.34.56.78.",
     [("01 42 68 53 00", "PHONE"), ("06.12.34.56.78", "PHONE")]),
    ("Telefon 030 901820 oder (030) 901820-0", [("030 901820", "PHONE"), ("(030) 901820-0", "PHONE")]),
    ("Llame al 91 123 45 67 o al 612 34 56 78", [("91 123 45 67", "PHONE"), ("612 34 56 78", "PHONE")]),
    ("Teléfono: 612 345 678", [("612 345 678", "PHONE")]),
    ("Chiamare 06 6988 4567 o 347 123 4567", [("06 6988 4567", "PHONE"), ("347 123 4567", "PHONE")]),
    ("Bel 06 12345678 of 020-123 4567", [("06 12345678", "PHONE"), ("020-123 4567", "PHONE")]),
    ("北京 010 1234 5678, 手机 138 0013 8000", [("010 1234 5678", "PHONE"), ("138 0013 8000", "PHONE")]),
    ("휴대폰 010-1234-5678, 02-123-4567", [("010-1234-5678", "PHONE"), ("02-123-4567", "PHONE")]),
    ("東京 03-1234-5678, 携帯 090-1234-5678", [("03-1234-5678", "PHONE"), ("090-1234-5678", "PHONE")]),
    ("WhatsApp 98765 43210", [("98765 43210", "PHONE")]),
    ("Ligue (11) 91234-5678 ou (21) 3234-5678", [("(11) 91234-5678", "PHONE"), ("(21) 3234-5678", "PHONE")]),
    ("Sydney (02) 9876 5432, mobile 0412 345 678", [("(02) 9876 5432", "PHONE"), ("0412 345 678", "PHONE")]),
    # Punctuation around a number stays outside it; an area code's parentheses stay inside.
    ("(see +44 20 7946 0958)", [("+44 20 7946 0958", "PHONE")]),
    ("..., +44 20 7946 0958).", [("+44 20 7946 0958", "PHONE")]),
    ("Call (+44 20 7946 0958) now", [("+44 20 7946 0958", "PHONE")]),
    ("We had (415) 555-0100 and (020 7946 0958), ok",
     [("(415) 555-0100", "PHONE"), ("020 7946 0958", "PHONE")]),
    ("numbers: 020 7946 0958; 030 901820.", [("020 7946 0958", "PHONE"), ("030 901820", "PHONE")]),
    # Bare runs in phone context: `tel:`, key=value, CSV columns, SQL rows.
    ("tel:+14155550100", [("+14155550100", "PHONE")]),
    ("phone=4155550100&x=1", [("4155550100", "PHONE")]),
    ("name,phone\nJane,4155550100\nBob,4155550101",
     [("4155550100", "PHONE"), ("4155550101", "PHONE")]),
    ("id;name;mobile\n1;Jane;4155550100", [("4155550100", "PHONE")]),
    ('"id","Phone Number"\n"1","4155550100"', [("4155550100", "PHONE")]),
    ("id\tphone\tmobile\n1\t4155550100\t07700900123", [("4155550100", "PHONE"), ("07700900123", "PHONE")]),
    ("name,phone,age\nJane,4155550100,42\n", [("4155550100", "PHONE")]),
    ("name,age,phone\nJane7,42,4155550100\n", [("4155550100", "PHONE")]),
    ("rows: 1,234,567 and 12,345,678,901 and 3,14159265358", []),
    ("INSERT INTO users VALUES ('Jane', '4155550100');", [("4155550100", "PHONE")]),
    ("INSERT INTO users (id, name, phone) VALUES (1, 'Jane', '4155550100'), (2, 'Bob', '4155550101');",
     [("4155550100", "PHONE"), ("4155550101", "PHONE")]),
    # URL-encoded.
    ("GET /call?to=%2B44%2020%207946%200958 HTTP/1.1", [("%2B44%2020%207946%200958", "PHONE")]),
    ("href=tel%3A%2B442079460958", [("%2B442079460958", "PHONE")]),
    ("/contact?phone=020%207946%200958&x=1", [("020%207946%200958", "PHONE")]),
    ("body=a%3Db&tel=%2B1+415+555+0100", [("%2B1+415+555+0100", "PHONE")]),
    # Digit by digit: validated once the separators are gone.
    ("call 4 1 5 5 5 5 0 1 0 0 now", [("4 1 5 5 5 5 0 1 0 0", "PHONE")]),
    ("+1 4 1 5 5 5 5 0 1 0 0", [("+1 4 1 5 5 5 5 0 1 0 0", "PHONE")]),
    ("Tel: 0-2-0-7-9-4-6-0-9-5-8", [("0-2-0-7-9-4-6-0-9-5-8", "PHONE")]),
    ("0-2-0-7-9-4-6-0-9-5-8 and 4 1 5 5 5 5 0 1 0 0 without a contact word", []),
    ("+44 2 0 7 9 4 6 0 9 5 8.", [("+44 2 0 7 9 4 6 0 9 5 8", "PHONE")]),
    # Look-alikes: dates, times, versions, IPs, amounts, ids, ISBNs, cards, SSNs, coordinates.
    ("Scores: 0 1 2 3 4 5 6 7 8 9", []),
    ("rows: 3 5 2 8 1 9 4 7 6 0 and Serial: 4 1 5 5 5 5 0 1 0 0", []),
    ("Matrix 1 0 0 1 0 1 1 0 1 0; ISBN 0 3 0 6 4 0 6 1 5 2", []),
    ('"account_number","phone"\n"4155550100","4155550101"', [("4155550101", "PHONE")]),
    ("UPDATE users SET phone = '4155550100' WHERE id = 3", [("4155550100", "PHONE")]),
    ("id,created_at,amount\n1,1700000000,4155550100 and SELECT 4155550100 FROM dual", []),
    ("1 2 3 4 5 6 7 8 9 0 and 9 8 7 6 5 4 3 2 1 0", []),
    ("answers 2 4 1 3 5 2 4 1 3 5 ok", []),
    ("Total 612 345 678 and 1 234 567,89 € and Preis: 612 345 678,50", []),
    ("id,name,amount\n1,Jane,4155550100\n", []),
    ("id,name,phone\n4155550100,Jane,\n", []),
    ("INSERT INTO users (id, name, zip) VALUES (1, 'Jane', '4155550100');", []),
    ("INSERT INTO t VALUES ('x', '1234567890');", []),
    ("select * from t where x = '4155550100'", []),
    ("Order #12345678901 shipped; invoice INV-2024-000123", []),
    ("IP 10.0.0.1:8080 port 50051 lat 48.8566, 2.3522", []),
    ("Version 1.2.3.4567 released 2023-10-05 at 14:30:00 (UTC+01:00)", []),
    ("ISBN 978-3-16-148410-0, 123-45-6789, 0.1234567890", []),
    ("on 12/03/1971, 03.12.1971, 1971-03-12 and 12 03 1971", []),
    ("https://x.com/?q=v2%20final%202024 and page%201234567", []),
    ("hex 0x4155550100 and deadbeef 4155550100abc", []),
    ("4111 1111 1111 1111 and 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_detects_exactly_the_phone_numbers(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Bitte rufen Sie +33 1 42 68 53 00 an.", "+33 1 42 68 53 00"),
        ("INSERT INTO users VALUES ('Jane', '4155550100');", "4155550100"),
        ("GET /call?to=%2B44%2020%207946%200958 HTTP/1.1", "%2B44%2020%207946%200958"),
        ("call 4 1 5 5 5 5 0 1 0 0 now", "4 1 5 5 5 5 0 1 0 0"),
        ("(see +44 20 7946 0958)", "+44 20 7946 0958"),
    ],
)
def test_scrub_tokenizes_the_number_and_keeps_the_rest(text: str, number: str) -> None:
    scrubbed, token_map, _ = redaction.scrub(text)
    assert scrubbed == text.replace(number, "[PHONE_1]")
    assert redaction.rehydrate(scrubbed, token_map) == text


REGIONS = ("US", "GB", "FR", "DE", "ES", "IT", "NL", "CN", "KR", "JP", "IN", "BR",
           "AU", "CH", "SE", "PL", "MX")  # fmt: skip
SEPARATORS = (" ", "-", ".", " - ")


def _example(region: str, kind: phonenumbers.PhoneNumberType) -> phonenumbers.PhoneNumber:
    number = phonenumbers.example_number_for_type(region, kind)
    assert number is not None, region
    return number


@settings(max_examples=150, deadline=None)
@given(
    region=st.sampled_from(REGIONS),
    mobile=st.booleans(),
    separator=st.sampled_from(SEPARATORS),
    seed=st.integers(0, 2**32 - 1),
)
def test_international_numbers_are_found_with_any_grouping(
    region: str, mobile: bool, separator: str, seed: int
) -> None:
    kind = phonenumbers.PhoneNumberType.MOBILE if mobile else phonenumbers.PhoneNumberType.FIXED_LINE
    number = _example(region, kind)
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    digits = formatted[1:].replace(" ", "").replace("-", "")
    cc = str(number.country_code)
    rest = digits[len(cc) :]
    # Random groups of 2 to 4 digits (the last one at least 2), one separator throughout.
    rng = random.Random(seed)
    groups: list[str] = []
    while rest:
        size = rng.randint(2, 4)
        if len(rest) - size == 1:
            size += 1
        groups.append(rest[:size])
        rest = rest[size:]
    written = f"+{cc} " + separator.join(groups)
    text = f"Bitte unter {written} zurückrufen."
    assert _found(text) == [(written, "PHONE")]


@settings(max_examples=80, deadline=None)
@given(region=st.sampled_from(REGIONS), mobile=st.booleans(), separator=st.sampled_from(SEPARATORS))
def test_numbers_written_digit_by_digit_are_found(region: str, mobile: bool, separator: str) -> None:
    kind = phonenumbers.PhoneNumberType.MOBILE if mobile else phonenumbers.PhoneNumberType.FIXED_LINE
    number = _example(region, kind)
    digits = f"{number.country_code}{phonenumbers.national_significant_number(number)}"
    written = "+" + separator.join(digits)
    assert _found(f"reach me on {written} tonight") == [(written, "PHONE")]


@settings(max_examples=80, deadline=None)
@given(region=st.sampled_from(REGIONS), mobile=st.booleans())
def test_url_encoded_international_numbers_are_found(region: str, mobile: bool) -> None:
    kind = phonenumbers.PhoneNumberType.MOBILE if mobile else phonenumbers.PhoneNumberType.FIXED_LINE
    number = _example(region, kind)
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    encoded = quote(formatted, safe="")
    assert _found(f"GET /v1/callback?number={encoded}&lang=en") == [(encoded, "PHONE")]


@settings(max_examples=100, deadline=None)
@given(area=st.integers(201, 989), exchange=st.integers(200, 999), line=st.integers(0, 9999))
def test_csv_phone_columns_are_found_and_other_columns_are_not(area: int, exchange: int, line: int) -> None:
    value = f"{area}{exchange}{line:04d}"
    assume(phonenumbers.is_valid_number(phonenumbers.parse(value, "US")))
    assert _found(f"id,name,phone\n7,Jane,{value}\n8,Bob,{value}") == [(value, "PHONE")] * 2
    assert _found(f"id,name,amount\n7,Jane,{value}\n") == []
    assert _found(f"INSERT INTO users VALUES (7, 'Jane', '{value}');") == [(value, "PHONE")]
    assert _found(f"INSERT INTO users (id, name, account) VALUES (7, 'Jane', '{value}');") == []


# fmt: off
# A field that names a phone takes any 7-15 digits (a national number without its trunk 0,
# written digit by digit); a wrapped number does not swallow the street on its next line.
FIELD_CASES: list[tuple[str, list[str]]] = [
    ('{"id": 87269, "phone": "30.126093", "status": "rejected"}', ["30.126093"]),
    ("id,phone,created\n208,2.1234.7547,2024-04-12\n", ["2.1234.7547"]),
    ("customer_id,name,phone,plan\n87585,Douglas Bridges,22122391,free\n", ["22122391"]),
    ("  phone: 3-1-2-3-4-1-5-3-0\n", ["3-1-2-3-4-1-5-3-0"]),
    ("Mobile: +49 791 855513\n9704 Poole Hills", ["+49 791 855513"]),
    # Look-alikes: not a phone field, too few digits, a date after "Tel".
    ("id,amount,total\n1,22122391,5\n", []),
    ("phone: 12345", []),
    ("Tel: 2024-05-01", []),
    ("case number 93996888; PO 4522843184", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), FIELD_CASES)
def test_a_phone_field_takes_any_phone_length_number(text: str, expected: list[str]) -> None:
    found = [text[s.start : s.end] for s in PhoneDetector().detect(text)]
    assert found == expected


@settings(max_examples=200, deadline=None)
@given(
    region=st.sampled_from((*REGIONS, "ID", "RU", "ZA", "NG", "AE")),
    mobile=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_compact_international_numbers_are_phones_never_ids(region: str, mobile: bool, seed: int) -> None:
    # `+4915112345678` passes Luhn and `+5511072624012` looks like a KR RRN: after a `+` they
    # are phone numbers, tokenized (restorable), never dropped as a card or an id.
    kind = phonenumbers.PhoneNumberType.MOBILE if mobile else phonenumbers.PhoneNumberType.FIXED_LINE
    example = _example(region, kind)
    national = str(example.national_number)
    rng = random.Random(seed)
    for _ in range(20):  # random subscriber digits, kept only when the number is still valid
        digits = national[:3] + "".join(rng.choice("0123456789") for _ in national[3:])
        number = phonenumbers.parse(f"+{example.country_code}{digits}")
        if phonenumbers.is_valid_number(number):
            break
    else:
        number = example
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    scrubbed, token_map, _ = redaction.scrub(f"Call {e164} now")
    assert scrubbed == "Call [PHONE_1] now"
    assert token_map["[PHONE_1]"] == e164
