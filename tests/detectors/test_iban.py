"""IbanDetector: registry length and structure plus mod 97, grouped, compact or wrapped."""

from __future__ import annotations

import random
import string
import time

import pytest
from stdnum import iban

import redaction
from redaction.detectors.iban import IbanDetector

DETECTOR = IbanDetector()


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    ("from the account with IBAN IT89 F527 3663 1756 9184 0070 585. The first",
     [("IT89 F527 3663 1756 9184 0070 585", "IBAN")]),
    ("Wire instructions: IBAN GB37MHCQ62936530582958 (EUR) or ABA", [("GB37MHCQ62936530582958", "IBAN")]),
    ("auf das Konto mit der IBAN DE38 8107 4343 4904 4264 23 (Verwendungszweck",
     [("DE38 8107 4343 4904 4264 23", "IBAN")]),
    ("IBAN NL71 CLOJ 8558 9964 49 EUR", [("NL71 CLOJ 8558 9964 49", "IBAN")]),
    ('{"iban":"FR1420041010050500013M02606"}', [("FR1420041010050500013M02606", "IBAN")]),
    ("Norway NO9386011117947, Saint Lucia LC55HEMM000100010012001200023015.",
     [("NO9386011117947", "IBAN"), ("LC55HEMM000100010012001200023015", "IBAN")]),
    # A national check digit that fails (BE, ES) is still somebody's account.
    ("IBAN BE71 8354 4855 0229 or ES50 1717 0910 6129 1028 3006",
     [("BE71 8354 4855 0229", "IBAN"), ("ES50 1717 0910 6129 1028 3006", "IBAN")]),
    # Wrapped over a line break, also in a quoted reply; followed by a BIC.
    ("IBAN DE89 3704 0044\n0532 0130 00 thanks", [("DE89 3704 0044\n0532 0130 00", "IBAN")]),
    ("> IBAN GB82 WEST 1234\n> 5698 7654 32", [("GB82 WEST 1234\n> 5698 7654 32", "IBAN")]),
    ("IBAN DE89370400440532013000 BIC COBADEFFXXX", [("DE89370400440532013000", "IBAN")]),
    ("Konto: DE89-3704-0044-0532-0130-00.", [("DE89-3704-0044-0532-0130-00", "IBAN")]),
    # Dashes, dots, slashes, mixed, or a separator between every character.
    ("IBAN GB82-WEST-1234-5698-7654-32.", [("GB82-WEST-1234-5698-7654-32", "IBAN")]),
    ("IBAN DE89.3704.0044.0532.0130.00 and NL91/ABNA/0417/1643/00",
     [("DE89.3704.0044.0532.0130.00", "IBAN"), ("NL91/ABNA/0417/1643/00", "IBAN")]),
    ("mixed DE89 3704-0044.0532 0130 00 ok", [("DE89 3704-0044.0532 0130 00", "IBAN")]),
    ("G B 8 2 W E S T 1 2 3 4 5 6 9 8 7 6 5 4 3 2 end",
     [("G B 8 2 W E S T 1 2 3 4 5 6 9 8 7 6 5 4 3 2", "IBAN")]),
    ("N.L.9.1.A.B.N.A.0.4.1.7.1.6.4.3.0.0", [("N.L.9.1.A.B.N.A.0.4.1.7.1.6.4.3.0.0", "IBAN")]),
    # Two or three separators between every character (a log that spells the value out).
    ("kyc.check iban=N  L  4  7  U  O  Y  P  0  3  5  8  9  5  9  4  5  3 result=ok",
     [("N  L  4  7  U  O  Y  P  0  3  5  8  9  5  9  4  5  3", "IBAN")]),
    ("G   B   8   2   W   E   S   T   1   2   3   4   5   6   9   8   7   6   5   4   3   2.",
     [("G   B   8   2   W   E   S   T   1   2   3   4   5   6   9   8   7   6   5   4   3   2", "IBAN")]),
    # Look-alikes: mod 97 fails, wrong length, unknown country, glued, lowercase, not IBANs.
    ("N  L  4  7  U  O  Y  P  0  3  5  8  9  5  9  4  5  4 (one off), A  B  1  2  C  D  3  4  5  6", []),
    ("G B 8 2 W E S T 1 2 3 4 5 6 9 8 7 6 5 4 3 3 (one off) and A B 1 2 C D 3 4 5 6 7 8 9 0 1 2", []),
    ("IBAN DE89 3704 0044 0532 0130 01 (one digit off)", []),
    ("IBAN DE00 3704 0044 0532 0130 00 and DE99 0000 0000 0000 0000 00", []),
    ("IBAN GB82 WEST 1234 5698 7654 3 (too short)", []),
    ("IBAN DE89 3704 0044 0532 0130 0012 (too long)", []),
    ("ZZ89370400440532013000 and XDE89370400440532013000 and DE893704004405320130001", []),
    # Lowercase (typed in a chat) is read as its capitals; glued to a letter it is not one.
    ("de89 3704 0044 0532 0130 00 and gb29nwbk60161331926819",
     [("de89 3704 0044 0532 0130 00", "IBAN"), ("gb29nwbk60161331926819", "IBAN")]),
    ("xgb29 nwbk 6016 1331 9268 19 and de89 3704 0044 0532 0130 01 and ab12 cdef 1234", []),
    ("SO63858597 INC5993264 JC89009 AB12CDEF3456 ORD-2885832", []),
    ("sha256:DE89ABCDEF0123456789ABCDEF0123456789", []),
    ("Release 10.5.33, ISBN 978-1-414-88321-2, EAN 4027615504453", []),
    # The country written apart from its check digits.
    ("IBAN DE 89 3704 0044 0532 0130 00, GB 29 NWBK 6016 1331 9268 19",
     [("DE 89 3704 0044 0532 0130 00", "IBAN"), ("GB 29 NWBK 6016 1331 9268 19", "IBAN")]),
    ("Room AB 12 3456 7890 1234 5678, DE 88 3704 0044 0532 0130 00", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_iban_detector_table(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_iban_is_dropped_by_scrub() -> None:
    text = "Please wire to IBAN GB82 WEST 1234\n5698 7654 32 by Friday."
    scrubbed = redaction.scrub(text).text
    assert "WEST" not in scrubbed, "no part of an IBAN may reach the LLM"
    assert "5698" not in scrubbed, "no part of an IBAN may reach the LLM"
    assert scrubbed == "Please wire to IBAN [REDACTED:IBAN] by Friday."


def test_validation_agrees_with_stdnum_without_national_checks() -> None:
    rng = random.Random(11)
    alphabet = string.ascii_uppercase + string.digits
    samples = ["DE89370400440532013000", "GB82WEST12345698765432", "NL91ABNA0417164300"]
    for _ in range(2_000):
        base = rng.choice(samples)
        mutated = list(base)
        mutated[rng.randrange(2, len(base))] = rng.choice(alphabet)
        samples.append("".join(mutated))
    for value in samples:
        assert DETECTOR.validate(value) == iban.is_valid(value, check_country=False), value


@pytest.mark.parametrize(
    "text",
    ["DE00 " * 20_000, "DE89 3704 " * 10_000, "AA00" * 25_000, "A0" * 50_000, "GB82WEST" * 12_000],
)
def test_adversarial_input_runs_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0
