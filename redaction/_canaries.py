"""Canary generators: fresh, valid-looking sensitive values, one generator per kind.

Each value passes the checks the engine applies to its kind (Luhn for cards, mod 97 for
IBANs, an issuable SSN area and group, the KR RRN and ABA check digits, both CPF check
digits), so a leak test built on them fails when detection regresses, not because the
canary was never plausible. Values are random (a seeded `random.Random`): a value found in
an output came from the input, not from a coincidence. ``text`` is a short sentence that
presents the value the way real text does (a label where the kind needs one).

Every value is synthetic; the e-mail and URL hosts are reserved or fictitious.
"""

from __future__ import annotations

import base64
import json
import random
import string
from collections.abc import Callable
from dataclasses import dataclass

from stdnum import iban, luhn
from stdnum.kr import rrn
from stdnum.us import rtn

__all__ = ["CANARY_KINDS", "KNOWN_ENTITY_KINDS", "Canary", "make_canary"]

_ALNUM = string.ascii_letters + string.digits


@dataclass(frozen=True, slots=True)
class Canary:
    """One planted value: its ``kind`` (a tier-1 kind or a token type), the ``value`` that must
    never come out, and a ``text`` that contains it where the engine looks for it.

    ``repr`` hides the value, so a failing assertion never prints it."""

    kind: str
    value: str
    text: str

    def __repr__(self) -> str:
        return f"Canary(kind={self.kind!r}, value=<{len(self.value)} chars>)"


def _alnum(rng: random.Random, n: int) -> str:
    # Every class present: secret detectors require random-looking bodies.
    body = [rng.choice(string.ascii_uppercase), rng.choice(string.ascii_lowercase), rng.choice(string.digits)]
    body += [rng.choice(_ALNUM) for _ in range(n - 3)]
    rng.shuffle(body)
    return "".join(body)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _name(rng: random.Random) -> str:
    syllables = ("zor", "vel", "qui", "dra", "mon", "tesh", "kal", "bryn", "oss", "lume", "fax", "wen")
    return "".join(rng.choice(syllables) for _ in range(3)).capitalize()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


# -- tier 2 (reversible tokens) ---------------------------------------------------------------------


def _email(rng: random.Random) -> Canary:
    value = f"{_name(rng).lower()}.{_digits(rng, 4)}@example.com"
    return Canary("EMAIL", value, f"Please write to {value} about the renewal.")


def _phone(rng: random.Random) -> Canary:
    value = f"+44 20 7946 0{_digits(rng, 3)}"  # Ofcom's range for drama: never a real line
    return Canary("PHONE", value, f"Call me on {value} after six.")


def _ip(rng: random.Random) -> Canary:
    value = f"81.2.{rng.randrange(1, 255)}.{rng.randrange(1, 255)}"
    return Canary("IP", value, f"The login came from {value} at night.")


def _url(rng: random.Random) -> Canary:
    value = f"https://www.linkedin.com/in/{_name(rng).lower()}-{_digits(rng, 4)}"
    return Canary("URL", value, f"Her profile is {value} if you need it.")


def _date(rng: random.Random) -> Canary:
    value = f"{rng.randrange(1940, 2005)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    return Canary("DATE", value, f"DOB: {value}.")


def _amount(rng: random.Random) -> Canary:
    value = f"${rng.randrange(1, 999)},{_digits(rng, 3)},{_digits(rng, 3)}"
    return Canary("AMOUNT", value, f"They committed {value} to the fund.")


def _known(kind: str, suffix: str) -> Callable[[random.Random], Canary]:
    def make(rng: random.Random) -> Canary:
        value = f"{_name(rng)} {_name(rng)}{suffix}"
        return Canary(kind, value, f"Notes from the call with {value} yesterday.")

    return make


# -- tier 1 (dropped) -------------------------------------------------------------------------------


def _api_key(rng: random.Random) -> Canary:
    value = f"sk-proj-{_alnum(rng, 64)}"
    return Canary("API_KEY", value, f"OPENAI_API_KEY={value}")


def _jwt(rng: random.Random) -> Canary:
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64url(json.dumps({"sub": _digits(rng, 10), "name": _name(rng)}).encode())
    value = f"{header}.{payload}.{_b64url(rng.randbytes(32))}"
    return Canary("JWT", value, f"token={value} ok")


def _private_key(rng: random.Random) -> Canary:
    lines = [base64.b64encode(rng.randbytes(48)).decode("ascii") for _ in range(4)]
    value = "\n".join(["-----BEGIN RSA PRIVATE KEY-----", *lines, "-----END RSA PRIVATE KEY-----"])
    return Canary("PRIVATE_KEY", value, f"key:\n{value}\nend")


def _password(rng: random.Random) -> Canary:
    value = f"{_alnum(rng, 12)}!{_digits(rng, 2)}"
    return Canary("PASSWORD", value, f"password={value}")


def _url_credentials(rng: random.Random) -> Canary:
    value = f"{_alnum(rng, 14)}!"
    # A connection string's password is reported as PASSWORD: this is a plain https URL.
    return Canary("URL_CREDENTIALS", value, f"git clone https://deploy:{value}@git.example.com/r.git")


def _credit_card(rng: random.Random) -> Canary:
    number = "4" + _digits(rng, 14)
    number += luhn.calc_check_digit(number)
    value = " ".join(number[i : i + 4] for i in range(0, 16, 4))
    return Canary("CREDIT_CARD", value, f"Visa {value}, exp 09/29.")


def _code(rng: random.Random, n: int) -> str:
    # One digit repeated (000, 1111) reads as a mask, not a code: the engine rightly keeps it.
    value = _digits(rng, n)
    return value if len(set(value)) > 1 else _code(rng, n)


def _cvv(rng: random.Random) -> Canary:
    value = _code(rng, 3)
    return Canary("CVV", value, f"card security code CVV: {value}")


def _pin(rng: random.Random) -> Canary:
    value = _code(rng, 4)
    return Canary("PIN", value, f"the card PIN: {value}")


def _us_ssn(rng: random.Random) -> Canary:
    area = rng.choice([a for a in range(100, 900) if a != 666])
    value = f"{area:03d}-{rng.randrange(1, 100):02d}-{rng.randrange(1, 10000):04d}"
    return Canary("US_SSN", value, f"SSN {value} on file.")


def _us_itin(rng: random.Random) -> Canary:
    value = f"9{_digits(rng, 2)}-{rng.randrange(70, 89)}-{rng.randrange(1, 10000):04d}"
    return Canary("US_ITIN", value, f"ITIN {value} on file.")


def _iban(rng: random.Random) -> Canary:
    bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + _digits(rng, 14)
    number = f"GB{iban.calc_check_digits('GB00' + bban)}{bban}"
    value = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return Canary("IBAN", value, f"IBAN {value} for the transfer.")


def _routing(rng: random.Random) -> Canary:
    body = f"0{rng.randrange(1, 10)}{_digits(rng, 6)}"
    value = body + rtn.calc_check_digit(body)
    return Canary("US_BANK_ROUTING", value, f"ACH details: routing {value}.")


def _account(rng: random.Random) -> Canary:
    value = str(rng.randrange(1, 10)) + _digits(rng, 9)
    return Canary("US_BANK_ACCOUNT", value, f"ACH details: account number {value}.")


def _kr_rrn(rng: random.Random) -> Canary:
    body = f"{rng.randrange(50, 100)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}{rng.choice('12')}"
    body += _digits(rng, 5)
    number = body + rrn.calc_check_digit(body)
    value = f"{number[:6]}-{number[6:]}"
    return Canary("KR_RRN", value, f"Resident registration number {value}.")


def _cpf(rng: random.Random) -> Canary:
    digits = [rng.randrange(10) for _ in range(9)]
    for width in (10, 11):  # both CPF check digits: weights width..2 over the digits so far
        digits.append(sum(w * d for w, d in zip(range(width, 1, -1), digits, strict=False)) * 10 % 11 % 10)
    s = "".join(map(str, digits))
    value = f"{s[:3]}.{s[3:6]}.{s[6:9]}-{s[9:]}"
    return Canary("NATIONAL_ID", value, f"CPF {value} do titular.")


def _passport(rng: random.Random) -> Canary:
    value = rng.choice(string.ascii_uppercase) + _digits(rng, 8)
    return Canary("PASSPORT", value, f"Passport number: {value}.")


_GENERATORS: dict[str, Callable[[random.Random], Canary]] = {
    "EMAIL": _email,
    "PHONE": _phone,
    "IP": _ip,
    "URL": _url,
    "DATE": _date,
    "AMOUNT": _amount,
    "PERSON": _known("PERSON", ""),
    "ORG": _known("ORG", " Holdings"),
    "FUND": _known("FUND", " Growth Fund IV"),
    "LOC": _known("LOC", "ville"),
    "API_KEY": _api_key,
    "JWT": _jwt,
    "PRIVATE_KEY": _private_key,
    "PASSWORD": _password,
    "URL_CREDENTIALS": _url_credentials,
    "CREDIT_CARD": _credit_card,
    "CVV": _cvv,
    "PIN": _pin,
    "US_SSN": _us_ssn,
    "US_ITIN": _us_itin,
    "IBAN": _iban,
    "US_BANK_ROUTING": _routing,
    "US_BANK_ACCOUNT": _account,
    "KR_RRN": _kr_rrn,
    "NATIONAL_ID": _cpf,
    "PASSPORT": _passport,
}

CANARY_KINDS: tuple[str, ...] = tuple(_GENERATORS)
# Kinds no rule detects: the engine finds them through ``known_entities`` (or NER) only.
KNOWN_ENTITY_KINDS: dict[str, str] = {"PERSON": "persons", "ORG": "orgs", "FUND": "funds", "LOC": "locations"}


def make_canary(kind: str, rng: random.Random) -> Canary:
    """A fresh canary of ``kind`` (one of `CANARY_KINDS`) drawn from ``rng``."""
    try:
        generator = _GENERATORS[kind]
    except KeyError:
        raise ValueError(f"no canary generator for kind {kind!r}; known: {', '.join(CANARY_KINDS)}") from None
    return generator(rng)
