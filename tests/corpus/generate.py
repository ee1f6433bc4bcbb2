"""A deterministic synthetic corpus of what agents send: records with planted sensitive values.

Used by the leak test (`tests/test_leak_corpus.py`) and the engine benchmark. It generates in
memory; no data is committed. Same seed and same Faker version => same records. Faker may
change its output between versions, so nothing that must stay byte-stable (the golden parity
files) is derived from it at test time.

Each record has its text, the planted spans (offsets, value, type, finer label, whether the
value came from the caller's known-entities dictionary) and, for LP memos, the dictionary the
agent would send with it. Planted tier-1 values are valid: Luhn card numbers, checksummed
IBANs, SSNs, ABA routing numbers and KR RRNs, and keys shaped like the real ones with random
bodies.

    python -m tests.corpus.generate -n 5          # print 5 records as JSON lines
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import string
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import phonenumbers
from faker import Faker
from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.kr import rrn as stdnum_rrn
from stdnum.us import rtn as stdnum_rtn
from stdnum.us import ssn as stdnum_ssn

__all__ = ["DEFAULT_SEED", "FAMILIES", "Planted", "Record", "Turn", "generate", "iter_records"]

DEFAULT_SEED = 20240501

FAMILIES: tuple[str, ...] = (
    "email", "crm_note", "support_ticket", "chat", "json_blob", "log", "code_secret", "lp_memo",
    "negative",
)  # fmt: skip
_WEIGHTS = (14, 12, 12, 10, 10, 10, 10, 12, 10)


@dataclass(frozen=True, slots=True)
class Planted:
    """``value == record.text[start:end]`` is sensitive, of token type or tier-1 kind ``type``."""

    start: int
    end: int
    value: str
    type: str
    label: str = ""
    known: bool = False  # the value (or a mention of it) is in the record's known_entities
    entity: str = ""  # mentions of one entity share it (multi-turn: "p1" in every turn)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"start": self.start, "end": self.end, "value": self.value,
                                  "type": self.type, "label": self.label, "known": self.known}  # fmt: skip
        if self.entity:
            out["entity"] = self.entity
        return out


@dataclass(frozen=True, slots=True)
class Turn:
    """One message of a conversation: scrubbed in order under one map, known entities in turn 1."""

    text: str
    spans: tuple[Planted, ...]
    known_entities: Mapping[str, list[str]] | None = None


@dataclass(frozen=True, slots=True)
class Record:
    """A text with planted spans. A multi-turn record also has ``turns``: its ``text`` is then
    the turns joined by a blank line, and its ``spans`` are the turns' spans in that text."""

    id: str
    family: str
    text: str
    spans: tuple[Planted, ...]
    known_entities: Mapping[str, list[str]] | None = None
    turns: tuple[Turn, ...] = ()

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.id,
            "family": self.family,
            "text": self.text,
            "spans": [s.to_json() for s in self.spans],
            "known_entities": dict(self.known_entities) if self.known_entities else None,
        }
        if self.turns:
            out["turns"] = [
                {"text": t.text, "spans": [s.to_json() for s in t.spans],
                 "known_entities": dict(t.known_entities) if t.known_entities else None}
                for t in self.turns
            ]  # fmt: skip
        return out


@dataclass
class _Builder:
    parts: list[str] = field(default_factory=list)
    spans: list[Planted] = field(default_factory=list)
    size: int = 0

    def add(self, *texts: str) -> None:
        for text in texts:
            self.parts.append(text)
            self.size += len(text)

    def plant(self, value: str, kind: str, label: str = "", *, known: bool = False, entity: str = "") -> None:
        self.spans.append(Planted(self.size, self.size + len(value), value, kind, label, known, entity))
        self.add(value)

    def text(self) -> str:
        return "".join(self.parts)


def stable_faker(locale: str) -> Faker:
    """``Faker(locale)`` whose output depends on its seed only: Faker's it_IT address provider
    builds its city list from a set, so without sorting it the cities drawn for one seed
    changed with the interpreter's hash seed (and the corpus, and `make eval`, between runs)."""
    fake = Faker(locale)
    for provider in fake.providers:
        cities = getattr(provider, "cities", None)
        if isinstance(cities, list) and type(provider).__module__.endswith("it_IT"):
            provider.cities = sorted(cities)  # type: ignore[attr-defined]
    return fake


class _Gen:
    """Value factories over one seeded Faker and one seeded ``random.Random``."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.intl = {loc: stable_faker(loc) for loc in ("en_GB", "de_DE", "fr_FR", "nl_NL", "es_ES", "it_IT")}
        for offset, fake in enumerate(self.intl.values(), start=1):
            fake.seed_instance(seed + offset)

    # -- tier 2 -------------------------------------------------------------------------------

    def person(self) -> str:
        return f"{self.fake.first_name()} {self.fake.last_name()}"

    def email(self, name: str | None = None) -> str:
        if name:
            first, last = name.lower().split()[0], name.lower().split()[-1]
            local = self.rng.choice([f"{first}.{last}", f"{first[0]}{last}", f"{first}_{last}", first])
        else:
            local = self.fake.user_name()
        return f"{local}@{self.fake.domain_name()}"

    def phone(self) -> str:
        region, fake = self.rng.choice(
            [("US", self.fake), ("US", self.fake), ("GB", self.intl["en_GB"]),
             ("DE", self.intl["de_DE"]), ("FR", self.intl["fr_FR"])]
        )  # fmt: skip
        for _ in range(50):
            try:
                number = phonenumbers.parse(fake.phone_number(), region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                break
        else:  # pragma: no cover - Faker always yields valid numbers within 50 tries
            number = phonenumbers.parse("+1 415 555 2671", "US")
        fmt = self.rng.choice(
            [phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.NATIONAL,
             phonenumbers.PhoneNumberFormat.E164]
        )  # fmt: skip
        return phonenumbers.format_number(number, fmt)

    def ip(self) -> str:
        return self.fake.ipv4_public() if self.rng.random() < 0.8 else self.fake.ipv6()

    def amount(self) -> str:
        n = self.rng.choice(
            [self.rng.randint(1, 999), self.rng.randint(1_000, 99_999), self.rng.randint(1, 500)]
        )
        form = self.rng.randrange(5)
        if form == 0:
            return f"${n:,}"
        if form == 1:
            return f"${n}M"
        if form == 2:
            return f"USD {n * 1000:,}"
        if form == 3:
            return f"€{n:,}.{self.rng.randint(0, 99):02d}"
        return f"${self.rng.randint(1, 99)}.{self.rng.randint(1, 9)} million"

    # Faker's date helpers are relative to today: draw from fixed ranges so output never drifts.
    def birth_date(self) -> date:
        return date(1935, 1, 1) + timedelta(days=self.rng.randrange(365 * 70))

    def timestamp(self) -> str:
        moment = datetime(2015, 1, 1) + timedelta(seconds=self.rng.randrange(10 * 365 * 86400))
        return f"{moment.isoformat()}.{self.rng.randrange(10**6):06d}Z"

    def dob(self) -> str:
        d = self.birth_date()
        return self.rng.choice([d.isoformat(), d.strftime("%B %-d, %Y"), d.strftime("%m/%d/%Y")])

    def personal_url(self, name: str) -> str:
        slug = name.lower().replace(" ", "-")
        return self.rng.choice([f"https://www.linkedin.com/in/{slug}-{self.rng.randint(10, 999)}",
                                f"https://github.com/{slug.replace('-', '')}"])  # fmt: skip

    # -- tier 1 -------------------------------------------------------------------------------

    def card(self) -> str:
        kind = self.rng.choice(["visa16", "mastercard", "amex", "discover"])
        digits = self.fake.credit_card_number(card_type=kind)
        assert luhn.is_valid(digits)
        sep = self.rng.choice(["", " ", "-"])
        groups = [digits[:4], digits[4:10], digits[10:]] if len(digits) == 15 else [
            digits[i : i + 4] for i in range(0, len(digits), 4)]  # fmt: skip
        return sep.join(groups)

    def iban(self) -> str:
        fake = self.rng.choice([self.fake, *self.intl.values()])
        value = fake.iban()
        assert stdnum_iban.is_valid(value)
        if self.rng.random() < 0.5:
            value = " ".join(value[i : i + 4] for i in range(0, len(value), 4))
        return value

    def ssn(self) -> str:
        value = self.fake.ssn()
        assert stdnum_ssn.is_valid(value)
        return value

    def routing(self) -> str:
        value = self.fake.aba()
        assert stdnum_rtn.is_valid(value)
        return value

    def bank_account(self) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(self.rng.randint(9, 12)))

    def kr_rrn(self) -> str:
        while True:
            d = self.birth_date()
            sex = self.rng.choice("12") if d.year < 2000 else self.rng.choice("34")
            body = f"{d:%y%m%d}{sex}{self.rng.randint(0, 99999):05d}"
            total = sum(int(c) * w for c, w in zip(body, (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=True))
            value = f"{body[:6]}-{body[6:]}{(11 - total % 11) % 10}"
            if stdnum_rrn.is_valid(value):
                return value

    def _chars(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def api_key(self, label: str | None = None) -> tuple[str, str]:
        alnum = string.ascii_letters + string.digits
        label = label or self.rng.choice(
            ["aws", "github", "github_pat", "openai", "anthropic", "slack", "stripe", "google"]
        )
        value = {
            "aws": lambda: "AKIA" + self._chars(string.ascii_uppercase + "234567", 16),
            "github": lambda: "ghp_" + self._chars(alnum, 36),
            "github_pat": lambda: f"github_pat_{self._chars(alnum, 22)}_{self._chars(alnum, 59)}",
            "openai": lambda: "sk-proj-" + self._chars(alnum + "-_", 64),
            "anthropic": lambda: "sk-ant-api03-" + self._chars(alnum + "-_", 93) + "AA",
            "slack": lambda: (f"xoxb-{self._chars(string.digits, 12)}-{self._chars(string.digits, 13)}-"
                              f"{self._chars(alnum, 24)}"),
            "stripe": lambda: self.rng.choice(["sk_live_", "rk_live_"]) + self._chars(alnum, 32),
            "google": lambda: "AIza" + self._chars(alnum + "-_", 35),
        }[label]()  # fmt: skip
        return value, label

    def aws_secret(self) -> str:
        return self._chars(string.ascii_letters + string.digits + "/+", 40)

    def jwt(self) -> str:
        def b64(data: bytes) -> str:
            return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

        header = b64(b'{"alg":"HS256","typ":"JWT"}')
        claims = {"sub": str(self.rng.randint(10**6, 10**9)), "name": self.person(), "iat": 1716000000}
        payload = b64(json.dumps(claims, separators=(",", ":")).encode())
        return f"{header}.{payload}.{b64(self.rng.randbytes(32))}"

    def pem(self) -> tuple[str, str, str]:
        """(header, body, footer); the body is the secret."""
        kind = self.rng.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"])
        raw = base64.b64encode(self.rng.randbytes(48 * self.rng.randint(4, 12))).decode()
        body = "\n".join(raw[i : i + 64] for i in range(0, len(raw), 64))
        return f"-----BEGIN {kind}-----\n", body, f"\n-----END {kind}-----"

    def password(self, *, in_url: bool = False) -> str:
        # In a URL's userinfo only unreserved and sub-delim characters may appear unencoded.
        symbols = "!$*-_.~" if in_url else "!#$%^*-_"
        return (self._chars(string.ascii_letters + string.digits, self.rng.randint(8, 12))
                + self._chars(symbols, 2) + self._chars(string.digits, 2))  # fmt: skip

    def bearer(self) -> str:
        return self._chars(string.ascii_letters + string.digits + "-._~", 40)

    # -- look-alikes (negatives) --------------------------------------------------------------

    def lookalike(self) -> str:
        rng = self.rng
        isbn12 = "978" + self._chars(string.digits, 9)
        check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(isbn12)) % 10) % 10
        choices: list[Callable[[], str]] = [
            lambda: f"v{rng.randint(0, 12)}.{rng.randint(0, 40)}.{rng.randint(0, 99)}",
            lambda: str(self.fake.uuid4()),
            lambda: self._chars("0123456789abcdef", 40),
            lambda: self._chars("0123456789abcdef", 7),
            lambda: f"ISBN {isbn12[:3]}-{isbn12[3]}-{isbn12[4:8]}-{isbn12[8:]}-{check}",
            lambda: f"order #{rng.randint(10**7, 10**9)}",
            lambda: f"ORD-{rng.randint(2019, 2025)}-{rng.randint(0, 999999):06d}",
            self.timestamp,
            lambda: f"{rng.randint(1, 999)}.{rng.randint(0, 99)} * {rng.randint(2, 99)} = {rng.random():.4f}",
            lambda: f"build {rng.randint(1000, 99999)} ({rng.randint(1, 9)}.{rng.randint(0, 9)} ms p99)",
            lambda: f"port {rng.randint(1024, 65535)}",
            lambda: f"#{self._chars('0123456789ABCDEF', 6)}",
            lambda: f"SKU {self._chars(string.ascii_uppercase, 3)}-{self._chars(string.digits, 5)}",
            lambda: ".".join(str(rng.randint(0, 9)) for _ in range(4)) + f"-rc{rng.randint(1, 5)}",
            lambda: f"lat {rng.uniform(-90, 90):.5f}, lon {rng.uniform(-180, 180):.5f}",
            lambda: f"tracking 1Z{self._chars(string.ascii_uppercase + string.digits, 16)}",
            lambda: f"{rng.randint(1, 100)}% of {rng.randint(2, 500)} units",
            lambda: f"sha256:{self._chars('0123456789abcdef', 64)}",
        ]  # fmt: skip
        return rng.choice(choices)()


# -- families ---------------------------------------------------------------------------------


def _email(g: _Gen, b: _Builder) -> None:
    sender, recipient = g.person(), g.person()
    b.add("From: ")
    b.plant(sender, "PERSON")
    b.add(" <")
    b.plant(g.email(sender), "EMAIL")
    b.add(">\nTo: ")
    b.plant(recipient, "PERSON")
    b.add(" <")
    b.plant(g.email(recipient), "EMAIL")
    b.add(f">\nSubject: {g.fake.catch_phrase()}\n\nHi {recipient.split()[0]},\n\n{g.fake.paragraph(4)} ")
    if g.rng.random() < 0.7:
        b.add("The revised quote comes to ")
        b.plant(g.amount(), "AMOUNT")
        b.add(". ")
    if g.rng.random() < 0.3:
        b.add("Wire it to IBAN ")
        b.plant(g.iban(), "IBAN")
        b.add(" by Friday. ")
    b.add(f"{g.fake.paragraph(3)}\n\nBest,\n")
    b.plant(sender, "PERSON")
    b.add("\nMobile: ")
    b.plant(g.phone(), "PHONE")
    b.add("\n")
    b.plant(g.fake.street_address(), "ADDRESS")
    b.add(f", {g.fake.city()}\n")


def _crm_note(g: _Gen, b: _Builder) -> None:
    client = g.person()
    b.add(f"Account: {g.fake.company()}\nContact: ")
    b.plant(client, "PERSON")
    b.add("\nPhone: ")
    b.plant(g.phone(), "PHONE")
    b.add("\nE-mail: ")
    b.plant(g.email(client), "EMAIL")
    b.add(f"\nNote: {g.fake.paragraph(3)} Renewal discussed at ")
    b.plant(g.amount(), "AMOUNT")
    b.add(" per year. ")
    roll = g.rng.random()
    if roll < 0.3:
        b.add("KYC done, SSN ")
        b.plant(g.ssn(), "US_SSN")
        b.add(", DOB ")
        b.plant(g.dob(), "DATE", "dob")
        b.add(". ")
    elif roll < 0.5:
        b.add("Card on file: ")
        b.plant(g.card(), "CREDIT_CARD")
        b.add(f", exp {g.rng.randint(1, 12):02d}/{g.rng.randint(26, 31)}. ")
    elif roll < 0.65:
        b.add("ACH details: routing ")
        b.plant(g.routing(), "US_BANK_ROUTING")
        b.add(", account number ")
        b.plant(g.bank_account(), "US_BANK_ACCOUNT")
        b.add(". ")
    elif roll < 0.72:
        b.add("Korean resident registration number ")
        b.plant(g.kr_rrn(), "KR_RRN")
        b.add(" on the onboarding form. ")
    b.add(f"{g.fake.sentence()}\nProfile: ")
    b.plant(g.personal_url(client), "URL")
    b.add("\n")


def _support_ticket(g: _Gen, b: _Builder) -> None:
    customer = g.person()
    priority = g.rng.choice(["P1", "P2", "P3"])
    b.add(f"Ticket #{g.rng.randint(10000, 99999)} [{priority}] {g.fake.bs().capitalize()}\n")
    b.add("Reporter: ")
    b.plant(customer, "PERSON")
    b.add(" (")
    b.plant(g.email(customer), "EMAIL")
    b.add(")\n\n")
    b.add(f'Customer says: "{g.fake.paragraph(2)}" Last login from ')
    b.plant(g.ip(), "IP")
    b.add(". ")
    roll = g.rng.random()
    if roll < 0.35:
        b.add("They pasted their full card number ")
        b.plant(g.card(), "CREDIT_CARD")
        b.add(" into the chat, please purge. ")
    elif roll < 0.55:
        b.add("Refund to IBAN ")
        b.plant(g.iban(), "IBAN")
        b.add(". ")
    b.add("Call back on ")
    b.plant(g.phone(), "PHONE")
    b.add(f". {g.fake.sentence()}\n")


def _chat(g: _Gen, b: _Builder) -> None:
    alice, bob = g.fake.first_name().lower(), g.fake.first_name().lower()
    minute = g.rng.randint(0, 50)
    lines = g.rng.randint(4, 8)
    secret_at = g.rng.randrange(lines)
    for i in range(lines):
        who = alice if i % 2 == 0 else bob
        b.add(f"[09:{minute + i:02d}] {who}: ")
        if i == secret_at:
            roll = g.rng.random()
            if roll < 0.5:
                value, label = g.api_key()
                b.add("here's the key, don't share it ")
                b.plant(value, "API_KEY", label)
            elif roll < 0.75:
                b.add("my number is ")
                b.plant(g.phone(), "PHONE")
            else:
                b.add("send it to ")
                b.plant(g.email(), "EMAIL")
            b.add("\n")
        else:
            b.add(f"{g.fake.sentence().lower()}\n")


def _json_blob(g: _Gen, b: _Builder) -> None:
    name = g.person()
    # Written field by field (not json.dumps of the whole) so planted offsets stay exact.
    b.add('{"event": "user.updated", "id": ', json.dumps(str(g.fake.uuid4())), ', "user": {"name": "')
    b.plant(name, "PERSON")
    b.add('", "email": "')
    b.plant(g.email(name), "EMAIL")
    b.add('", "phone": "')
    b.plant(g.phone(), "PHONE")
    b.add('", "last_ip": "')
    b.plant(g.ip(), "IP")
    b.add('"}, "billing": {')
    roll = g.rng.random()
    if roll < 0.4:
        b.add('"card_number": "')
        b.plant(g.card(), "CREDIT_CARD")
        b.add('", ')
    elif roll < 0.7:
        b.add('"iban": "')
        b.plant(g.iban(), "IBAN")
        b.add('", ')
    b.add('"plan": "', g.rng.choice(["pro", "team", "enterprise"]), '", "mrr": "')
    b.plant(g.amount(), "AMOUNT")
    b.add('"}')
    if g.rng.random() < 0.3:
        b.add(', "ssn": "')
        b.plant(g.ssn(), "US_SSN")
        b.add('"')
    b.add(f', "version": "{g.lookalike()}"}}\n')


def _log(g: _Gen, b: _Builder) -> None:
    for _ in range(g.rng.randint(3, 6)):
        b.add(f"{g.timestamp()} {g.rng.choice(['INFO', 'WARN', 'DEBUG'])} ")
        roll = g.rng.random()
        if roll < 0.3:
            b.add("auth ok user=")
            b.plant(g.email(), "EMAIL")
            b.add(" src=")
            b.plant(g.ip(), "IP")
        elif roll < 0.5:
            b.add("outbound request headers={'Authorization': 'Bearer ")
            if g.rng.random() < 0.5:
                b.plant(g.jwt(), "JWT")
            else:
                b.plant(g.bearer(), "API_KEY", "bearer")
            b.add("'}")
        elif roll < 0.65:
            b.add("db connect url=postgresql://svc_app:")
            b.plant(g.password(in_url=True), "PASSWORD", "conn_string")
            b.add(f"@{g.fake.domain_word()}.internal:5432/app")
        elif roll < 0.75:
            b.add("config loaded password=")
            b.plant(g.password(), "PASSWORD", "assignment")
        else:
            took = g.rng.randint(2, 900)
            b.add(f"request id={g.fake.uuid4()} took {took}ms path=/api/v{g.rng.randint(1, 3)}/items")
        b.add("\n")


def _code_secret(g: _Gen, b: _Builder) -> None:
    style = g.rng.randrange(3)
    if style == 0:  # .env
        value, label = g.api_key()
        b.add("# .env for staging\nAPP_ENV=staging\nAPI_KEY=")
        b.plant(value, "API_KEY", label)
        b.add("\nAWS_ACCESS_KEY_ID=")
        b.plant(g.api_key("aws")[0], "API_KEY", "aws")
        b.add("\nAWS_SECRET_ACCESS_KEY=")
        b.plant(g.aws_secret(), "API_KEY", "aws_secret")
        b.add("\nDATABASE_URL=mysql://admin:")
        b.plant(g.password(in_url=True), "PASSWORD", "conn_string")
        b.add(f"@{g.fake.domain_name()}:3306/prod\n")
    elif style == 1:  # python
        value, label = g.api_key()
        b.add('import os\n\nclient = Client(\n    api_key="')
        b.plant(value, "API_KEY", label)
        b.add('",\n    timeout=30,\n)\nDB_PASSWORD = "')
        b.plant(g.password(), "PASSWORD", "assignment")
        b.add('"\ntoken = "')
        b.plant(g.jwt(), "JWT")
        b.add(f'"\nprint(client.get("/v1/{g.fake.word()}"))\n')
    else:  # key file pasted into a ticket
        header, body, footer = g.pem()
        b.add(f"Deploy failing on {g.fake.hostname()}, here is the key we use:\n\n{header}")
        b.plant(body, "PRIVATE_KEY")
        b.add(f"{footer}\n\nThanks!\n")


_FUND_WORDS = (
    "Harbor",
    "Granite",
    "Northwind",
    "Cedar",
    "Summit",
    "Bluewater",
    "Ironwood",
    "Meridian",
    "Lantern",
)


def _lp_memo(g: _Gen, b: _Builder) -> dict[str, list[str]]:
    persons = [g.person() for _ in range(g.rng.randint(2, 3))]
    orgs = [g.fake.company() for _ in range(g.rng.randint(1, 2))]
    fund = (f"{g.rng.choice(_FUND_WORDS)} {g.rng.choice(['Capital Partners', 'Growth Fund', 'Ventures'])} "
            f"{g.rng.choice(['II', 'III', 'IV', 'V'])}")  # fmt: skip
    location = g.fake.city()
    lead_email = g.email(persons[0])
    known = {
        "persons": persons,
        "orgs": orgs,
        "funds": [fund],
        "emails": [lead_email],
        "locations": [location],
    }

    lead, second = persons[0], persons[1]
    honorific = g.rng.choice(["Ms.", "Mr.", "Dr."])
    b.add("CONFIDENTIAL - LP memo\n\n")
    b.plant(lead, "PERSON", "full", known=True)
    b.add(" (")
    b.plant(lead_email, "EMAIL", "full", known=True)
    b.add(") introduced us to ")
    b.plant(second, "PERSON", "full", known=True)
    b.add(" of ")
    b.plant(orgs[0], "ORG", "full", known=True)
    b.add(f". {g.fake.sentence()} ")
    b.plant(lead, "PERSON", "full", known=True)
    b.add("'s view is that ")
    b.plant(fund, "FUND", "full", known=True)
    b.add(" should commit ")
    b.plant(g.amount(), "AMOUNT")
    b.add(" alongside the family office in ")
    b.plant(location, "LOC", "full", known=True)
    b.add(". ")
    b.plant(f"{honorific} {lead.split()[-1]}", "PERSON", "partial", known=True)
    b.add(f" will follow up; {g.fake.sentence().lower()} ")
    first = second.split()[0]
    if len(first) >= 3:
        b.plant(first, "PERSON", "partial", known=True)
        b.add(" asked about the fee terms. ")
    if len(orgs) > 1:
        b.add("Co-investor: ")
        b.plant(orgs[1], "ORG", "full", known=True)
        b.add(". ")
    if len(persons) > 2:
        b.add("Legal review by ")
        b.plant(persons[2], "PERSON", "full", known=True)
        b.add(". ")
    b.add(f"\n{g.fake.paragraph(3)}\n")
    return known


def _negative(g: _Gen, b: _Builder) -> None:
    b.add(f"Release notes ({g.fake.word()}): ")
    for _ in range(g.rng.randint(5, 10)):
        b.add(f"{g.lookalike()}; ")
    b.add(f"{g.fake.sentence()}\n")


_FAMILY_FNS: dict[str, Callable[[_Gen, _Builder], dict[str, list[str]] | None]] = {
    "email": _email, "crm_note": _crm_note, "support_ticket": _support_ticket, "chat": _chat,
    "json_blob": _json_blob, "log": _log, "code_secret": _code_secret, "lp_memo": _lp_memo,
    "negative": _negative,
}  # fmt: skip


def iter_records(n: int | None = None, *, seed: int = DEFAULT_SEED) -> Iterator[Record]:
    """Records ``0..n-1`` (forever if ``n`` is None), deterministic for a seed and Faker version."""
    g = _Gen(seed)
    i = 0
    while n is None or i < n:
        family = g.rng.choices(FAMILIES, _WEIGHTS)[0]
        b = _Builder()
        known = _FAMILY_FNS[family](g, b)
        text = b.text()
        spans = tuple(sorted(b.spans, key=lambda s: (s.start, s.end)))
        for span in spans:
            assert text[span.start : span.end] == span.value, (family, span)
        yield Record(f"{family}-{i:05d}", family, text, spans, known)
        i += 1


def generate(n: int, *, seed: int = DEFAULT_SEED) -> list[Record]:
    return list(iter_records(n, seed=seed))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for record in iter_records(args.n, seed=args.seed):
        sys.stdout.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
