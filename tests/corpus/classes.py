"""Issue 10's failure classes as corpus generators: one generator and one seed stream per class.

Each class (`CLASSES`) yields `Record`s whose ``family`` is the class name and whose planted
spans carry a ``label`` naming the variant (``card/each:space``, ``passport/ko``,
``national/DE``...). Record ``i`` of a class depends only on (seed, class, i): every record
reseeds its own ``random.Random`` and the Faker locales it uses, so adding a class, or
changing one, never changes another class's records. Values are valid where a checksum
exists (Luhn, mod-97, ABA, stdnum's national ids, MRZ check digits), phones are valid for
their region (`phonenumbers`), names and addresses come from Faker's locale providers.

Records without spans are negatives (nothing may change). The classes:

    t1_separators   tier-1 ids and phones with separators between every digit or group
    t1_labeled      a value right after its label, EN FR DE ES KO ZH (incl. 9 bare digits)
    itin            US ITINs (area 9xx) in prose, forms, JSON, CSV
    mrz             passport (TD3) and ID-card (TD1/TD2) machine-readable zones
    secrets_ctx     secrets by context: JSON, YAML, .env, .netrc, INI, headers, DSNs, CLI...
    national_ids    FR NIR, ES DNI/NIE, IT CF, CN RIC, GB NINO, IN Aadhaar, BR CPF, NL BSN
    phones          13 national formats, international anywhere, bare, tel:, %2B, punctuation
    obf_emails      `name [at] domain.com`, `name at domain dot com`, `name(at)domain`...
    addresses       US GB FR DE ES IT KR CN JP postal addresses, one span per address
    urls            URLs naming a person or customer; public documentation URLs (negatives)
    dob_bic         dates of birth with words before the date; BIC/SWIFT codes (`ID`)
    multi_turn      turns of one conversation; known entities in turn 1 only
    ner_plain       plain business text and look-alikes (negatives); "Call Jane" imperatives
    ner_names       non-English names, particles, hyphens, apostrophes; ORG and LOC

    python -m tests.corpus.classes -n 3 [--class phones]   # JSON lines
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import string
import sys
import unicodedata
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date

import phonenumbers
from faker import Faker
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum import luhn, verhoeff
from stdnum.br import cpf as stdnum_cpf
from stdnum.cn import ric as stdnum_ric
from stdnum.es import dni as stdnum_dni
from stdnum.es import nie as stdnum_nie
from stdnum.fr import nir as stdnum_nir
from stdnum.in_ import aadhaar as stdnum_aadhaar
from stdnum.it import codicefiscale as stdnum_cf
from stdnum.nl import bsn as stdnum_bsn

from .generate import DEFAULT_SEED, Planted, Record, Turn, _Builder, _Gen, stable_faker

__all__ = ["CLASSES", "NEGATIVE_LABEL", "TIER1_CLASSES", "class_records", "generate_classes"]

CLASSES: tuple[str, ...] = (
    "t1_separators", "t1_labeled", "itin", "mrz", "secrets_ctx", "national_ids", "phones",
    "obf_emails", "addresses", "urls", "dob_bic", "multi_turn", "ner_plain", "ner_names",
)  # fmt: skip
# Classes whose planted values are mostly tier 1 (every class's tier-1 spans count anyway).
TIER1_CLASSES: tuple[str, ...] = ("t1_separators", "t1_labeled", "itin", "mrz", "secrets_ctx", "national_ids")
NEGATIVE_LABEL = "negative"  # the family suffix of nothing: negatives are records without spans

_FAKERS: dict[str, Faker] = {}
_INTL = ("en_GB", "de_DE", "fr_FR", "nl_NL", "es_ES", "it_IT")
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _seed(*parts: object) -> int:
    return zlib.crc32("\x1f".join(map(str, parts)).encode())


class _ClassGen(_Gen):
    """`_Gen`'s value factories, reseeded for every record; Faker locales created once per
    process and reseeded on first use in a record (so records never share a random stream)."""

    def __init__(self, seed: int, name: str) -> None:  # no super(): Fakers are made lazily
        self.base = (seed, name)
        self.rng = random.Random(0)
        self._seeded: set[str] = set()
        self._record = 0

    def start(self, index: int) -> None:
        self._record = index
        self.rng.seed(_seed(*self.base, index))
        self._seeded.clear()

    def faker(self, locale: str) -> Faker:
        fake = _FAKERS.get(locale)
        if fake is None:
            fake = _FAKERS[locale] = stable_faker(locale)
        if locale not in self._seeded:
            fake.seed_instance(_seed(*self.base, self._record, locale))
            self._seeded.add(locale)
        return fake

    @property  # _Gen's attribute, made lazy and reseeded here
    def fake(self) -> Faker:  # type: ignore[override]
        return self.faker("en_US")

    @property
    def intl(self) -> dict[str, Faker]:  # type: ignore[override]
        return {loc: self.faker(loc) for loc in _INTL}

    def pick(self, options: Sequence[str]) -> str:
        return self.rng.choice(options)

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(n))

    def name(self, locale: str = "en_US") -> str:
        fake = self.faker(locale)
        if locale in ("zh_CN", "ko_KR"):
            return f"{fake.last_name()}{fake.first_name()}"
        if locale == "ja_JP":
            return f"{fake.last_name()} {fake.first_name()}"
        return f"{fake.first_name()} {fake.last_name()}"

    def sentence(self) -> str:
        return self.fake.sentence(nb_words=self.rng.randint(6, 12))

    # -- values with their natural digit groups ---------------------------------------------------

    def card_digits(self) -> tuple[str, tuple[int, ...]]:
        kind = self.pick(["visa16", "mastercard", "amex", "discover"])
        digits = self.fake.credit_card_number(card_type=kind)
        assert luhn.is_valid(digits)
        return digits, ((4, 6, 5) if len(digits) == 15 else (4, 4, 4, 4))

    def itin(self) -> str:
        group = self.rng.choice([*range(50, 66), *range(70, 89), 90, 91, 92, *range(94, 100)])
        return f"9{self.digits(2)}{group:02d}{self.rng.randint(1, 9999):04d}"

    def ssn_digits(self) -> str:
        return self.ssn().replace("-", "")

    def routing_digits(self) -> str:
        return self.routing()

    def account_digits(self) -> str:
        return str(self.rng.randint(1, 9)) + self.digits(self.rng.randint(8, 11))

    def iban_compact(self) -> str:
        value = self.rng.choice([self.fake, *self.intl.values()]).iban()
        assert stdnum_iban.is_valid(value)
        return value

    def nir(self) -> str:
        d = self.birth_date()
        dept = self.pick(["75", "69", "13", "33", "59", "2A", "2B", "92", "976"])
        commune = self.digits(3 if len(dept) == 2 else 2)
        body = f"{self.rng.choice('12')}{d:%y%m}{dept}{commune}{self.digits(3)}"
        value = body + stdnum_nir.calc_check_digits(body)
        assert stdnum_nir.is_valid(value), value
        return value

    def dni(self) -> str:
        body = self.digits(8)
        return body + stdnum_dni.calc_check_digit(body)

    def nie(self) -> str:
        body = self.pick(["X", "Y", "Z"]) + self.digits(7)
        return body + stdnum_nie.calc_check_digit(body)

    def codice_fiscale(self) -> str:
        up = string.ascii_uppercase
        d = self.birth_date()
        day = d.day + (40 if self.rng.random() < 0.5 else 0)
        body = (self._chars(up, 6) + f"{d:%y}" + "ABCDEHLMPRST"[d.month - 1] + f"{day:02d}"
                + self.rng.choice(up) + self.digits(3))  # fmt: skip
        value = body + stdnum_cf.calc_check_digit(body)
        assert stdnum_cf.is_valid(value), value
        return value

    def cn_ric(self) -> str:
        while True:  # stdnum knows the areas: draw until it accepts one
            area = self.pick(["110101", "110105", "310101", "310104", "440103", "330102", "510104", "420102"])
            body = f"{area}{self.birth_date():%Y%m%d}{self.digits(3)}"
            value = body + stdnum_ric.calc_check_digit(body + "0")  # it expects a check-digit slot
            if stdnum_ric.is_valid(value):
                return value

    def nino(self) -> str:
        first = self.rng.choice("ABCEGHJKLMNOPRSTWXYZ")
        second = self.rng.choice([c for c in "ABCEGHJKLMNPRSTWXYZ" if first + c not in ("GB", "NK", "TN")])
        return f"{first}{second}{self.digits(6)}{self.rng.choice('ABCD')}"

    def aadhaar(self) -> str:
        while True:
            body = str(self.rng.randint(2, 9)) + self.digits(10)
            value = body + verhoeff.calc_check_digit(body)
            if stdnum_aadhaar.is_valid(value):
                return value

    def cpf(self) -> str:
        while True:
            body = self.digits(9)
            for check in range(100):
                if stdnum_cpf.is_valid(f"{body}{check:02d}"):
                    return f"{body}{check:02d}"

    def bsn(self) -> str:
        while True:
            body = str(self.rng.randint(1, 9)) + self.digits(7)
            for check in range(10):
                if stdnum_bsn.is_valid(f"{body}{check}"):
                    return f"{body}{check}"

    def kr_rrn_digits(self) -> str:
        return self.kr_rrn().replace("-", "")

    def phone_number(self, region: str) -> phonenumbers.PhoneNumber:
        """A valid number of ``region``: the region's example number with random last digits."""
        ptype = self.rng.choice(
            [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]
        )
        example = phonenumbers.example_number_for_type(region, ptype)
        assert example is not None
        national = str(example.national_number)
        for _ in range(30):
            tail = min(4, len(national) - 3)
            candidate = phonenumbers.parse(national[:-tail] + self.digits(tail), region)
            if phonenumbers.is_valid_number(candidate):
                return candidate
        return example

    def phone_text(self, region: str, style: str) -> str:
        number = self.phone_number(region)
        fmt = phonenumbers.PhoneNumberFormat
        if style == "e164":
            return phonenumbers.format_number(number, fmt.E164)
        if style == "intl":
            return phonenumbers.format_number(number, fmt.INTERNATIONAL)
        national = phonenumbers.format_number(number, fmt.NATIONAL)
        if style == "national":
            return national
        if style == "dots":
            return "".join("." if c in " -" else c for c in national.replace("(", "").replace(") ", " "))
        if style == "spaces":
            return national.replace("-", " ").replace("(", "").replace(")", "")
        if style == "intl_trunk":  # +44 (0)20 ..., common in GB/DE signatures
            intl = phonenumbers.format_number(number, fmt.INTERNATIONAL)
            code, _, rest = intl.partition(" ")
            return f"{code} (0){rest}" if region in ("GB", "DE", "NL", "AU", "FR") else intl
        if style == "bare":
            return phonenumbers.national_significant_number(number)
        raise ValueError(style)


def _separate(value: str, groups: Sequence[int], style: str, rng: random.Random) -> str:
    """``value`` written with ``style`` separators: every char, its groups, or mixed."""
    chunks: list[str] = []
    pos = 0
    for size in groups:
        if value[pos : pos + size]:
            chunks.append(value[pos : pos + size])
        pos += size
    if pos < len(value):
        chunks.append(value[pos:])
    kind, _, sep = style.partition(":")
    if kind == "each":
        out = sep.join(value)
    elif kind == "groups":
        out = sep.join(chunks)
    elif kind == "fullwidth":
        out = (sep or " ").join(chunks).translate(_FULLWIDTH)
    elif kind == "mixed":
        out = chunks[0]
        for chunk in chunks[1:]:
            out += rng.choice([" ", "-", ".", " - ", "/", "  "]) + chunk
    elif kind == "fwmixed":  # full-width digits, a separator between every digit
        out = "".join(c + rng.choice(["", " ", "-", "\u3000"]) for c in value[:-1]) + value[-1]
        out = out.translate(_FULLWIDTH)
    else:
        raise ValueError(style)
    return out


_SEP_STYLES = (
    "each: ", "each:-", "each:.", "each:/", "groups: ", "groups:-", "groups:.", "groups:/",
    "fullwidth: ", "fullwidth:-", "mixed:", "fwmixed:", "each:  ",
)  # fmt: skip


# -- containers: one planted value (with its label) in realistic text ----------------------------


def _in_context(g: _ClassGen, b: _Builder, label: str, key: str, value: str, kind: str, tag: str) -> None:
    """Plant ``value`` after ``label`` (prose/form/e-mail) or under ``key`` (JSON/YAML/CSV/SQL/log)."""
    form = g.pick(["prose", "form", "json", "yaml", "csv", "sql", "log", "email"])
    if form == "prose":
        b.add(f"{g.sentence()} The {label} is ")
        b.plant(value, kind, tag)
        b.add(f". {g.sentence()}\n")
    elif form == "form":
        b.add("Name: ")
        b.plant(g.name(), "PERSON", "context")
        b.add(f"\n{label[:1].upper()}{label[1:]}: ")
        b.plant(value, kind, tag)
        b.add(f"\nNotes: {g.sentence()}\n")
    elif form == "json":
        b.add(f'{{"id": {g.rng.randint(1, 99999)}, "{key}": "')
        b.plant(value, kind, tag)
        b.add(f'", "status": "{g.pick(["pending", "verified", "rejected"])}"}}\n')
    elif form == "yaml":
        b.add(f"applicant:\n  status: review\n  {key}: ")
        b.plant(value, kind, tag)
        b.add("\n  country: US\n")
    elif form == "csv":
        b.add(f"id,{key},created\n{g.rng.randint(1, 9999)},")
        b.plant(value, kind, tag)
        b.add(f",2024-0{g.rng.randint(1, 9)}-1{g.rng.randint(0, 9)}\n")
    elif form == "sql":
        b.add(f"INSERT INTO applicants (id, {key}, state) VALUES ({g.rng.randint(1, 9999)}, '")
        b.plant(value, kind, tag)
        b.add("', 'open');\n")
    elif form == "log":
        b.add(f"{g.timestamp()} INFO kyc.check {key}=")
        b.plant(value, kind, tag)
        b.add(f" result={g.pick(['ok', 'mismatch'])}\n")
    else:
        b.add(f"Subject: {g.fake.catch_phrase()}\n\nHi,\n\nas requested, my {label}: ")
        b.plant(value, kind, tag)
        b.add(f"\n\n{g.sentence()}\n\nBest regards\n")


# -- classes ------------------------------------------------------------------------------------


def _t1_separators(g: _ClassGen, b: _Builder) -> None:
    what = g.pick(["card", "card", "ssn", "itin", "iban", "routing", "account", "kr_rrn", "nir", "cpf",
                   "aadhaar", "cn_ric", "phone", "phone"])  # fmt: skip
    style = g.pick(_SEP_STYLES)
    groups: tuple[int, ...]
    if what == "card":
        value, groups = g.card_digits()
        kind, label, key = "CREDIT_CARD", "card number", "card_number"
    elif what == "ssn":
        value, groups, kind, label, key = g.ssn_digits(), (3, 2, 4), "US_SSN", "SSN", "ssn"
    elif what == "itin":
        value, groups, kind, label, key = g.itin(), (3, 2, 4), "US_ITIN", "ITIN", "itin"
    elif what == "iban":
        value = g.iban_compact()
        groups, kind, label, key = (4,) * 8, "IBAN", "IBAN", "iban"
    elif what == "routing":
        value, groups = g.routing_digits(), (3, 3, 3)
        kind, label, key = "US_BANK_ROUTING", "routing number", "routing_number"
    elif what == "account":
        value = g.account_digits()
        groups, kind, label, key = (4, 4, 4), "US_BANK_ACCOUNT", "account number", "account_number"
    elif what == "kr_rrn":
        value, groups, kind = g.kr_rrn_digits(), (6, 7), "KR_RRN"
        label, key = "resident registration number", "rrn"
    elif what == "nir":
        value, groups, kind = g.nir(), (1, 2, 2, 2, 3, 3, 2), "NATIONAL_ID"
        label, key = "numéro de sécurité sociale", "nir"
    elif what == "cpf":
        value, groups, kind, label, key = g.cpf(), (3, 3, 3, 2), "NATIONAL_ID", "CPF", "cpf"
    elif what == "aadhaar":
        value, groups, kind, label, key = g.aadhaar(), (4, 4, 4), "NATIONAL_ID", "Aadhaar number", "aadhaar"
    elif what == "cn_ric":
        value, groups, kind = g.cn_ric(), (6, 8, 4), "NATIONAL_ID"
        label, key = "resident identity card number", "id_number"
    else:
        region = g.pick(["US", "GB", "FR", "DE", "ES", "IT", "NL", "KR", "JP", "BR", "AU", "IN", "CN"])
        number = g.phone_number(region)
        value = phonenumbers.national_significant_number(number)
        intl = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        groups = tuple(len(part) for part in intl.replace("-", " ").split()[1:])
        kind, label, key, what = "PHONE", "phone number", "phone", f"phone_{region}"
    surface = _separate(value, groups, style, g.rng)
    if kind == "PHONE" and g.rng.random() < 0.5:  # with its country code: "+ 4 4 2 0 ..."
        code = str(number.country_code)
        sep = style.partition(":")[2] or " "
        surface = f"+{_separate(code, (len(code),), style, g.rng)}{sep}{surface}"
    _in_context(g, b, label, key, surface, kind, f"{what}/{style}")


# label words per type and language: (labels, copulas between label and value)
_LABELS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "US_SSN": {"en": ("SSN", "SSN:", "social security number", "Social Security No."),
               "fr": ("numéro de sécurité sociale américain (SSN)", "SSN"),
               "de": ("US-Sozialversicherungsnummer", "SSN"), "es": ("número de seguro social", "SSN"),
               "ko": ("사회보장번호", "SSN"), "zh": ("社会安全号码", "SSN")},
    "PASSPORT": {"en": ("passport no.", "Passport Number", "passport #"),
                 "fr": ("numéro de passeport", "passeport n°"), "de": ("Reisepassnummer", "Pass-Nr."),
                 "es": ("número de pasaporte", "pasaporte nº"), "ko": ("여권번호", "여권 번호"),
                 "zh": ("护照号码", "护照号")},
    "US_BANK_ACCOUNT": {"en": ("account", "account number", "acct #", "checking account"),
                        "fr": ("numéro de compte", "compte n°"), "de": ("Kontonummer", "Konto-Nr."),
                        "es": ("número de cuenta", "cuenta nº"), "ko": ("계좌번호", "계좌 번호"),
                        "zh": ("银行账号", "账号")},
    "US_BANK_ROUTING": {"en": ("routing", "routing number", "ABA routing #"),
                        "fr": ("numéro de routage ABA", "code ABA"), "de": ("ABA-Routingnummer", "ABA-Nr."),
                        "es": ("número de ruta ABA", "ABA"), "ko": ("라우팅 번호", "ABA 번호"),
                        "zh": ("ABA路由号码", "路由号")},
    "IBAN": {"en": ("IBAN",), "fr": ("IBAN", "IBAN du compte"), "de": ("IBAN",), "es": ("IBAN",),
             "ko": ("IBAN", "IBAN 계좌"), "zh": ("IBAN", "IBAN号码")},
    "CREDIT_CARD": {"en": ("card", "card number", "credit card"), "fr": ("carte bancaire", "numéro de carte"),
                    "de": ("Kreditkartennummer", "Karte"), "es": ("número de tarjeta", "tarjeta"),
                    "ko": ("카드번호", "신용카드 번호"), "zh": ("信用卡号", "卡号")},
    "CVV": {"en": ("CVV", "CVC", "security code", "CVV2"), "fr": ("cryptogramme (CVV)", "CVV"),
            "de": ("Prüfnummer (CVC)", "CVC"), "es": ("código de seguridad CVV", "CVV"),
            "ko": ("CVC 번호", "보안코드(CVV)"), "zh": ("安全码(CVV)", "CVV码")},
    "PIN": {"en": ("PIN", "PIN code", "card PIN"), "fr": ("code PIN", "PIN"),
            "de": ("PIN", "Geheimzahl (PIN)"),
            "es": ("PIN", "clave PIN"), "ko": ("PIN 번호", "비밀번호(PIN)"), "zh": ("密码(PIN)", "PIN码")},
}  # fmt: skip
_COPULAS: Mapping[str, tuple[str, ...]] = {
    "en": (": ", " ", " is ", " = ", " # "), "fr": (" : ", " ", " est ", ": "), "de": (": ", " ", " lautet "),
    "es": (": ", " ", " es "), "ko": (": ", " ", "는 ", "："), "zh": ("：", ": ", "是", " "),
}  # fmt: skip
_FRAMES: Mapping[str, tuple[tuple[str, str], ...]] = {
    "en": (("Here are my details for the transfer. ", " Thanks!"), ("Updated the customer file: ", ".")),
    "fr": (("Bonjour, voici mes informations : ", ". Merci."), ("Mise à jour du dossier client : ", ".")),
    "de": (("Hallo, hier meine Angaben: ", ". Danke!"), ("Kundenakte aktualisiert, ", ".")),
    "es": (("Hola, aquí están mis datos: ", ". Gracias."), ("Actualicé el expediente: ", ".")),
    "ko": (("안녕하세요, 요청하신 정보입니다. ", " 감사합니다."), ("고객 정보 업데이트: ", ".")),
    "zh": (("您好，以下是我的信息：", "。谢谢！"), ("客户资料已更新：", "。")),
}  # fmt: skip


def _passport_number(g: _ClassGen) -> str:
    style = g.pick(["us", "gb", "de", "fr", "es", "kr", "cn"])
    if style in ("us", "gb"):
        return str(g.rng.randint(1, 9)) + g.digits(8)
    if style == "de":
        return g.rng.choice("CFGHJK") + g._chars("CFGHJKLMNPRTVWXYZ0123456789", 8)
    if style == "fr":
        return g.digits(2) + g._chars(string.ascii_uppercase, 2) + g.digits(5)
    if style == "es":
        return g._chars(string.ascii_uppercase, 3) + g.digits(6)
    if style == "kr":
        return g.rng.choice("MS") + g.digits(8)
    return g.pick(["E", "G"]) + g.digits(8) if g.rng.random() < 0.7 else "EA" + g.digits(7)


def _t1_labeled(g: _ClassGen, b: _Builder) -> None:
    kind = g.pick(list(_LABELS))
    lang = g.pick(list(_FRAMES))
    label = g.pick(_LABELS[kind][lang])
    copula = g.pick(_COPULAS[lang])
    variant = ""
    if kind == "US_SSN":
        value = g.ssn_digits() if g.rng.random() < 0.6 else g.ssn()
        variant = "bare9" if value.isdigit() else "dashed"
    elif kind == "PASSPORT":
        value = _passport_number(g)
    elif kind == "US_BANK_ACCOUNT":
        value = g.account_digits()
    elif kind == "US_BANK_ROUTING":
        value = g.routing()
    elif kind == "IBAN":
        value = g.iban_compact()
        if g.rng.random() < 0.5:
            value = " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    elif kind == "CREDIT_CARD":
        digits, groups = g.card_digits()
        value = _separate(digits, groups, g.pick(["groups: ", "groups:-", "groups:"]), g.rng)
    elif kind == "CVV":
        value = g.digits(g.rng.choice([3, 3, 4]))
    else:
        value = g.digits(g.rng.choice([4, 4, 6]))
    intro, outro = g.rng.choice(_FRAMES[lang])
    if g.rng.random() < 0.3:  # a form line instead of prose
        b.plant(g.name(), "PERSON", "context")
        intro, outro = "\n", "\n"
    tag = f"{kind.lower()}/{lang}" + (f"/{variant}" if variant else "")
    b.add(f"{intro}{label}{copula}")
    b.plant(value, kind, tag)
    b.add(f"{outro}\n")


def _itin(g: _ClassGen, b: _Builder) -> None:
    digits = g.itin()
    style = g.pick(["dashed", "dashed", "spaced", "bare"])
    value = {"dashed": f"{digits[:3]}-{digits[3:5]}-{digits[5:]}",
             "spaced": f"{digits[:3]} {digits[3:5]} {digits[5:]}", "bare": digits}[style]  # fmt: skip
    label = g.pick(["ITIN", "individual taxpayer identification number", "taxpayer ID", "TIN"])
    key = g.pick(["itin", "tax_id", "tin"])
    if style != "bare" and g.rng.random() < 0.3:  # unlabelled in prose: the 9xx shape alone
        b.add(f"{g.sentence()} Her number {g.pick(['is', 'reads', 'on file:'])} ")
        b.plant(value, "US_ITIN", f"itin/{style}/unlabeled")
        b.add(f". {g.sentence()}\n")
        return
    _in_context(g, b, label, key, value, "US_ITIN", f"itin/{style}")


def _mrz_check(field: str) -> str:
    """ICAO 9303 check digit: weights 7, 3, 1 over digits, letters A=10.., filler < = 0."""
    total = 0
    for i, c in enumerate(field):
        v = int(c) if c.isdigit() else (ord(c) - 55 if c.isalpha() else 0)
        total += v * (7, 3, 1)[i % 3]
    return str(total % 10)


def _mrz_name(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    return "".join(c if c.isalpha() else "<" for c in folded)


def _mrz(g: _ClassGen, b: _Builder) -> None:
    locale, country = g.pick(["en_GB:GBR", "de_DE:D<<", "fr_FR:FRA", "es_ES:ESP", "it_IT:ITA", "nl_NL:NLD",
                              "en_US:USA"]).split(":")  # fmt: skip
    fake = g.faker(locale)
    surname, given = _mrz_name(fake.last_name()), _mrz_name(fake.first_name())
    if g.rng.random() < 0.3:
        given += "<" + _mrz_name(fake.first_name())
    names = f"{surname}<<{given}"
    docno = g._chars(string.ascii_uppercase + string.digits, 9)
    dob = g.birth_date()
    born = f"{dob:%y%m%d}"
    expiry = f"{g.rng.randint(26, 35)}{g.rng.randint(1, 12):02d}{g.rng.randint(1, 28):02d}"
    sex = g.pick(["M", "F", "<"])
    fmt = g.pick(["TD3", "TD3", "TD1", "TD2"])
    kind = "PASSPORT" if fmt == "TD3" else "NATIONAL_ID"
    b.add(
        g.pick(
            ["Scanned document (OCR):\n", "MRZ from the upload:\n", "KYC check failed, raw zone below\n\n"]
        )
    )
    if fmt == "TD3":
        line1_head = f"P<{country}"
        width = 44
        b.add(line1_head)
        name_field = names[: width - len(line1_head)]
        b.plant(name_field.rstrip("<"), "PERSON", "mrz/td3/name")
        b.add("<" * (width - len(line1_head) - len(name_field.rstrip("<"))) + "\n")
        personal = "<" * 14
        body = f"{docno}{_mrz_check(docno)}{country}{born}{_mrz_check(born)}{sex}{expiry}{_mrz_check(expiry)}"
        body += personal + _mrz_check(personal)
        composite = _mrz_check(body[0:10] + body[13:20] + body[21:43])
        b.plant(docno, kind, "mrz/td3/docno")
        b.add(f"{_mrz_check(docno)}{country}")
        b.plant(born, "DATE", "dob")
        b.add(
            f"{_mrz_check(born)}{sex}{expiry}{_mrz_check(expiry)}{personal}{_mrz_check(personal)}{composite}\n"
        )
    elif fmt == "TD1":
        optional = "<" * 15
        b.add(f"I<{country}")
        b.plant(docno, kind, "mrz/td1/docno")
        b.add(f"{_mrz_check(docno)}{optional}\n")
        nat_opt = f"{country}{'<' * 11}"
        b.plant(born, "DATE", "dob")
        line2_tail = f"{_mrz_check(born)}{sex}{expiry}{_mrz_check(expiry)}{nat_opt}"
        composite = _mrz_check(f"{docno}{_mrz_check(docno)}{optional}{born}{_mrz_check(born)}{expiry}"
                               f"{_mrz_check(expiry)}{'<' * 11}")  # fmt: skip
        b.add(f"{line2_tail}{composite}\n")
        name_field = names[:30].rstrip("<")
        b.plant(name_field, "PERSON", "mrz/td1/name")
        b.add("<" * (30 - len(name_field)) + "\n")
    else:  # TD2
        head = f"I<{country}"
        name_field = names[: 36 - len(head)].rstrip("<")
        b.add(head)
        b.plant(name_field, "PERSON", "mrz/td2/name")
        b.add("<" * (36 - len(head) - len(name_field)) + "\n")
        b.plant(docno, kind, "mrz/td2/docno")
        b.add(f"{_mrz_check(docno)}{country}")
        b.plant(born, "DATE", "dob")
        optional = "<" * 7
        composite = _mrz_check(f"{docno}{_mrz_check(docno)}{born}{_mrz_check(born)}"
                               f"{expiry}{_mrz_check(expiry)}"
                               f"{optional}")  # fmt: skip
        b.add(f"{_mrz_check(born)}{sex}{expiry}{_mrz_check(expiry)}{optional}{composite}\n")
    b.add(f"\n{g.sentence()}\n")


_HUMAN_PASSWORDS = ("Summer{y}!", "Welcome{n}", "hunter{n}", "P@ssw0rd{n}", "{w}{n}!", "{w}-{w}-{w}-{w}",
                    "Tr0ub4dor&{n}", "{W}{y}#")  # fmt: skip


def _human_password(g: _ClassGen) -> str:
    words = ["correct", "horse", "battery", "staple", "maple", "river", "falcon", "copper", "orange"]
    return g.pick(_HUMAN_PASSWORDS).format(
        y=g.rng.randint(2015, 2026), n=g.rng.randint(1, 999), w=g.pick(words), W=g.pick(words).capitalize()
    )


def _secret_value(g: _ClassGen) -> tuple[str, str]:
    """(value, flavour): a high-entropy token under a secret-like key."""
    flavour = g.pick(["hex32", "hex40", "hex64", "b64", "b64url", "key"])
    if flavour.startswith("hex"):
        return g._chars("0123456789abcdef", int(flavour[3:])), flavour
    if flavour == "b64":
        return base64.b64encode(g.rng.randbytes(g.rng.choice([24, 32, 48]))).decode(), flavour
    if flavour == "b64url":
        return base64.urlsafe_b64encode(g.rng.randbytes(32)).decode().rstrip("="), flavour
    value, label = g.api_key()
    return value, f"key:{label}"


def _example_key(g: _ClassGen) -> tuple[str, str]:
    up, alnum = string.ascii_uppercase + "234567", string.ascii_letters + string.digits
    choice = g.pick(["aws_id", "aws_doc", "aws_secret", "stripe", "github", "openai"])
    if choice == "aws_id":
        return "AKIA" + g._chars(up, 9) + "EXAMPLE", choice
    if choice == "aws_doc":
        return "AKIAIOSFODNN7EXAMPLE", choice
    if choice == "aws_secret":
        return g._chars(alnum + "/", 29) + "EXAMPLEKEY", choice
    if choice == "stripe":
        return "sk_live_EXAMPLE" + g._chars(alnum, 24), choice
    if choice == "github":
        return "ghp_EXAMPLE" + g._chars(alnum, 29), choice
    return "sk-proj-EXAMPLE" + g._chars(alnum, 40), choice


_LOGIN_WORDS: Mapping[str, tuple[str, str]] = {
    "en": ("login", "password"), "fr": ("identifiant", "mot de passe"), "de": ("Benutzername", "Passwort"),
    "es": ("usuario", "contraseña"),
}  # fmt: skip


def _secrets_ctx(g: _ClassGen, b: _Builder) -> None:
    ctx = g.pick(
        ["json", "yaml", "env", "netrc", "ini", "http", "conn", "cli", "prose", "entropy", "example"]
    )
    user = g.fake.user_name()
    host = g.fake.domain_name()
    pw = g.password() if g.rng.random() < 0.6 else _human_password(g)
    secret, flavour = _secret_value(g)
    if ctx == "json":
        key = g.pick(["password", "passwd", "db_password", "secret", "client_secret", "token", "api_key",
                      "auth_token", "session"])  # fmt: skip
        kind, value = ("PASSWORD", pw) if "pass" in key else ("API_KEY", secret)
        b.add(f'{{"service": "{g.fake.word()}", "user": "{user}", "{key}": "')
        b.plant(value, kind, f"json/{key}")
        b.add('", "retries": 3}\n')
    elif ctx == "yaml":
        key = g.pick(["password", "secret_key", "auth_token", "client_secret", "private_key", "apiKey"])
        kind, value = ("PASSWORD", pw) if key == "password" else ("API_KEY", secret)
        quote = g.pick(["", '"', "'"])
        b.add(f"database:\n  host: db.{host}\n  user: {user}\n  {key}: {quote}")
        b.plant(value, kind, f"yaml/{key}")
        b.add(f"{quote}\n  pool: 5\n")
    elif ctx == "env":
        key = g.pick(["DB_PASSWORD", "SESSION_SECRET", "JWT_SECRET", "STRIPE_SECRET", "SMTP_PASS",
                      "REDIS_PASSWORD", "SECRET_KEY", "AUTH_TOKEN"])  # fmt: skip
        kind, value = ("PASSWORD", pw) if "PASS" in key else ("API_KEY", secret)
        b.add(f"# .env\nAPP_ENV=production\nLOG_LEVEL=info\n{key}=")
        b.plant(value, kind, f"env/{key.lower()}")
        b.add("\nPORT=8080\n")
    elif ctx == "netrc":
        b.add(f"# ~/.netrc\nmachine api.{host}\n  login {user}\n  password ")
        b.plant(pw, "PASSWORD", "netrc")
        b.add("\n")
    elif ctx == "ini":
        key = g.pick(["password", "passwd", "pwd"])
        b.add(f"[database]\nhost = db.{host}\nuser = {user}\n{key} = ")
        b.plant(pw, "PASSWORD", f"ini/{key}")
        b.add("\nport = 5432\n")
    elif ctx == "http":
        style = g.pick(["basic", "x-api-key", "cookie", "token"])
        b.add(f"GET /v2/accounts HTTP/1.1\nHost: api.{host}\n")
        if style == "basic":
            cred = base64.b64encode(f"{user}:{pw}".encode()).decode()
            b.add("Authorization: Basic ")
            b.plant(cred, "PASSWORD", "http/basic")
        elif style == "x-api-key":
            b.add(f"{g.pick(['X-Api-Key', 'X-Auth-Token', 'api-key'])}: ")
            b.plant(secret, "API_KEY", "http/x-api-key")
        elif style == "cookie":
            b.add("Cookie: theme=dark; session=")
            b.plant(secret, "API_KEY", "http/cookie")
        else:
            b.add("Authorization: Token ")
            b.plant(secret, "API_KEY", "http/token")
        b.add("\nAccept: application/json\n")
    elif ctx == "conn":
        style = g.pick(["adonet", "mongodb", "redis", "amqp", "jdbc"])
        pw_url = g.password(in_url=True)
        if style == "adonet":
            b.add(f'conn = "Server=db.{host};Database=app;User Id={user};Password=')
            b.plant(pw, "PASSWORD", "conn/adonet")
            b.add(';Encrypt=true;"\n')
        elif style == "jdbc":
            b.add(f"jdbc:postgresql://db.{host}:5432/app?user={user}&password=")
            b.plant(pw_url, "PASSWORD", "conn/jdbc")
            b.add("&ssl=true\n")
        else:
            scheme = {"mongodb": "mongodb+srv", "redis": "redis", "amqp": "amqp"}[style]
            b.add(f"{scheme.upper()}_URL={scheme}://{user if style != 'redis' else ''}:")
            b.plant(pw_url, "PASSWORD", f"conn/{style}")
            b.add(f"@{style}.{host}/0\n")
    elif ctx == "cli":
        style = g.pick(["mysql", "flag", "flag_eq", "curl", "docker", "sshpass"])
        b.add("$ ")
        if style == "mysql":
            b.add(f"mysql -h db.{host} -u {user} -p")
            b.plant(g.password(in_url=True), "PASSWORD", "cli/mysql")
        elif style == "flag":
            b.add(f"./deploy --user {user} --password ")
            b.plant(pw, "PASSWORD", "cli/flag")
        elif style == "flag_eq":
            b.add("terraform apply -var region=eu-west-1 --token=")
            b.plant(secret, "API_KEY", "cli/token")
        elif style == "curl":
            b.add(f"curl -u {user}:")
            b.plant(g.password(in_url=True), "PASSWORD", "cli/curl")
            b.add(f" https://api.{host}/v1/export")
        elif style == "docker":
            b.add(f"docker login registry.{host} -u {user} -p ")
            b.plant(pw, "PASSWORD", "cli/docker")
        else:
            b.add("sshpass -p '")
            b.plant(pw, "PASSWORD", "cli/sshpass")
            b.add(f"' ssh {user}@{host}")
        b.add("\n")
    elif ctx == "prose":
        lang = g.pick(["en", "en", "fr", "de", "es"])
        login_word, pw_word = _LOGIN_WORDS[lang]
        b.add(f"{g.sentence()} {login_word.capitalize()}: {user}, {pw_word}: " if g.rng.random() < 0.5
              else f"{g.sentence()} The {login_word} is {user} and the {pw_word} is ")  # fmt: skip
        b.plant(pw, "PASSWORD", f"prose/{lang}")
        b.add(f" {g.pick(['- please change it.', '(temporary).', ''])}\n".replace(" \n", "\n"))
    elif ctx == "entropy":
        key = g.pick(["signing_key", "webhook_secret", "private_key", "session_secret", "auth", "secret"])
        sep = g.pick([": ", "=", " = ", '": "'])
        b.add(f"{g.pick(['config', 'settings', 'vault dump'])}:\n{key}{sep}")
        b.plant(secret, "API_KEY", f"entropy/{flavour}")
        b.add("\n")
    else:
        value, choice = _example_key(g)
        b.add(f"{g.pick(['Use this key from the docs', 'Test creds', 'Sample config'])}: ")
        b.add(g.pick(["aws_access_key_id = ", "key=", "STRIPE_KEY=", "token: ", ""]))
        b.plant(value, "API_KEY", f"example/{choice}")
        b.add("\n")


def _nid_value(g: _ClassGen) -> tuple[str, str, tuple[str, ...], str, str, bool]:
    """(country_id, value, labels, key, language, may_be_bare)."""
    which = g.pick(
        ["FR_NIR", "ES_DNI", "ES_NIE", "IT_CF", "CN_RIC", "GB_NINO", "IN_AADHAAR", "BR_CPF", "NL_BSN"]
    )
    if which == "FR_NIR":
        v = g.nir()
        value = v if g.rng.random() < 0.5 else _separate(v, (1, 2, 2, 2, 3, 3, 2), "groups: ", g.rng)
        return which, value, ("numéro de sécurité sociale", "NIR", "n° INSEE"), "nir", "fr", True
    if which == "ES_DNI":
        v = g.dni()
        value = v if g.rng.random() < 0.7 else f"{v[:8]}-{v[8]}"
        return which, value, ("DNI", "número de DNI", "documento nacional de identidad"), "dni", "es", True
    if which == "ES_NIE":
        return which, g.nie(), ("NIE", "número de extranjero (NIE)"), "nie", "es", True
    if which == "IT_CF":
        return (
            which,
            g.codice_fiscale(),
            ("codice fiscale", "C.F.", "cod. fiscale"),
            "codice_fiscale",
            "it",
            True,
        )
    if which == "CN_RIC":
        return which, g.cn_ric(), ("身份证号", "公民身份号码", "身份证号码"), "id_card", "zh", True
    if which == "GB_NINO":
        v = g.nino()
        value = v if g.rng.random() < 0.5 else f"{v[:2]} {v[2:4]} {v[4:6]} {v[6:8]} {v[8]}"
        return which, value, ("National Insurance number", "NI number", "NINO"), "ni_number", "en", True
    if which == "IN_AADHAAR":
        v = g.aadhaar()
        value = v if g.rng.random() < 0.3 else f"{v[:4]} {v[4:8]} {v[8:]}"
        return which, value, ("Aadhaar", "Aadhaar number", "आधार संख्या"), "aadhaar", "en", False
    if which == "BR_CPF":
        v = g.cpf()
        value = f"{v[:3]}.{v[3:6]}.{v[6:9]}-{v[9:]}" if g.rng.random() < 0.7 else v
        return which, value, ("CPF", "CPF nº", "número do CPF"), "cpf", "pt", True
    return which, g.bsn(), ("BSN", "burgerservicenummer", "BSN-nummer"), "bsn", "nl", False


_NID_FRAMES: Mapping[str, tuple[str, str]] = {
    "fr": ("Bonjour, pour le dossier : ", ". Cordialement."),
    "es": ("Hola, para el expediente: ", ". Saludos."),
    "it": ("Buongiorno, per la pratica: ", ". Cordiali saluti."), "zh": ("您好，办理业务需要：", "。"),
    "en": ("Hi, for the onboarding file: ", ". Thanks."),
    "pt": ("Olá, segue para o cadastro: ", ". Obrigado."),
    "nl": ("Hallo, voor het dossier: ", ". Groeten."),
}  # fmt: skip


def _national_ids(g: _ClassGen, b: _Builder) -> None:
    which, value, labels, key, lang, may_be_bare = _nid_value(g)
    if may_be_bare and g.rng.random() < 0.3:
        b.add(f"{g.sentence()} {g.pick(['Ref', 'See', 'Number'])} ")
        b.plant(value, "NATIONAL_ID", f"{which}/bare")
        b.add(f" {g.pick(['attached', 'below', 'on file'])}. {g.sentence()}\n")
        return
    if g.rng.random() < 0.5:
        intro, outro = _NID_FRAMES[lang]
        b.add(f"{intro}{g.pick(labels)}{g.pick([': ', ' ', ' : ', '：' if lang == 'zh' else ' - '])}")
        b.plant(value, "NATIONAL_ID", f"{which}/labeled")
        b.add(f"{outro}\n")
        return
    _in_context(g, b, g.pick(labels), key, value, "NATIONAL_ID", f"{which}/labeled")


_PHONE_REGIONS = ("US", "GB", "FR", "DE", "ES", "IT", "NL", "CN", "KR", "JP", "IN", "BR", "AU")
_NOTES: Mapping[str, tuple[str, str]] = {
    "en": ("Please call back on ", " before noon."), "de": ("Bitte zurückrufen unter ", " bis Mittag."),
    "fr": ("Merci de rappeler au ", " avant midi."), "es": ("Por favor llame al ", " antes del mediodía."),
    "it": ("Richiamare al numero ", " entro mezzogiorno."), "nl": ("Bel terug op ", " voor de middag."),
    "zh": ("请回电", "，谢谢。"), "ko": ("연락처: ", " 로 연락 주세요."),
    "ja": ("折り返しは ", " までお願いします。"),
}  # fmt: skip


def _phones(g: _ClassGen, b: _Builder) -> None:
    region = g.pick(_PHONE_REGIONS)
    variant = g.pick(["national", "national", "intl", "e164", "dots", "spaces", "intl_trunk", "foreign",
                      "sql", "csv", "tel", "urlenc", "punct"])  # fmt: skip
    if variant in ("national", "dots", "spaces", "intl", "e164", "intl_trunk"):
        value = g.phone_text(region, variant)
        lang = g.pick(list(_NOTES))
        intro, outro = _NOTES[lang]
        b.add(f"{g.sentence()} {intro}" if lang == "en" else intro)
        b.plant(value, "PHONE", f"{variant}/{region}")
        b.add(f"{outro}\n")
    elif variant == "foreign":  # an international number in another language's note
        value = g.phone_text(region, g.pick(["intl", "e164"]))
        lang = g.pick([k for k in _NOTES if k != "en"])
        intro, outro = _NOTES[lang]
        b.add(intro)
        b.plant(value, "PHONE", f"foreign/{region}")
        b.add(f"{outro}\n")
    elif variant == "sql":
        b.add("INSERT INTO contacts (id, name, phone, city) VALUES\n")
        for i in range(g.rng.randint(1, 3)):
            b.add(f"  ({g.rng.randint(1, 9999)}, '")
            b.plant(g.name(), "PERSON", "sql")
            b.add("', '")
            b.plant(g.phone_text(region, "bare"), "PHONE", f"sql/bare/{region}")
            b.add("', '")
            b.plant(g.fake.city(), "LOC", "context")
            b.add(f"'){',' if i < 2 else ';'}\n")
    elif variant == "csv":
        b.add("customer_id,name,phone,plan\n")
        for _ in range(g.rng.randint(1, 3)):
            b.add(f"{g.rng.randint(1000, 99999)},")
            b.plant(g.name(), "PERSON", "csv")
            b.add(",")
            b.plant(g.phone_text(region, g.pick(["bare", "e164"])), "PHONE", f"csv/{region}")
            b.add(f",{g.pick(['pro', 'team', 'free'])}\n")
    elif variant == "tel":
        value = g.phone_text(region, g.pick(["e164", "bare"]))
        b.add('<p>Questions? <a href="tel:')
        b.plant(value, "PHONE", f"tel/{region}")
        b.add('">call us</a> or see the FAQ.</p>\n')
    elif variant == "urlenc":
        value = g.phone_text(region, "e164").replace("+", "%2B")
        b.add("GET /api/callback?to=")
        b.plant(value, "PHONE", f"urlenc/{region}")
        b.add("&lang=en HTTP/1.1\n")
    else:  # punctuation right around the number must survive
        value = g.phone_text(region, g.pick(["intl", "national", "e164"]))
        before, after = g.rng.choice(
            [("(", ")"), ("[", "]"), ('"', '"'), ("", "."), ("", ","), ("<", ">"), ("", ";")]
        )
        b.plant(g.name(), "PERSON", "context")
        b.add(f" {g.pick(['(mobile', 'mobile:', 'reach her at'])} {before}")
        b.plant(value, "PHONE", f"punct/{region}")
        b.add(f"{after} {g.sentence()}\n")


def _obf_emails(g: _ClassGen, b: _Builder) -> None:
    name = g.name()
    first, last = (_mrz_name(p).lower().strip("<") for p in (name.split()[0], name.split()[-1]))
    local = g.pick([f"{first}.{last}", f"{first[0]}{last}", first, f"{first}_{last}"])
    domain_word = g.fake.domain_word()
    tld = g.pick(["com", "org", "io", "de", "co.uk", "fr"])
    style = g.pick(["[at]", "[at][dot]", "at-dot", "(at)", "(at)(dot)", " @ ", "{at}", "AT-DOT", "fullwidth"])
    value = {
        "[at]": f"{local} [at] {domain_word}.{tld}",
        "[at][dot]": f"{local} [at] {domain_word} [dot] {tld.replace('.', ' [dot] ')}",
        "at-dot": f"{local} at {domain_word} dot {tld.replace('.', ' dot ')}",
        "(at)": f"{local}(at){domain_word}.{tld}",
        "(at)(dot)": f"{local} (at) {domain_word} (dot) {tld.replace('.', ' (dot) ')}",
        " @ ": f"{local} @ {domain_word}.{tld}",
        "{at}": f"{local}{{at}}{domain_word}.{tld}",
        "AT-DOT": f"{local} AT {domain_word} DOT {tld.replace('.', ' DOT ').upper()}",
        "fullwidth": f"{local}＠{domain_word}.{tld}",
    }[style]
    intro = g.pick([f"{g.sentence()} You can reach me at ", "Contact (no spam please): ", "-- \n",
                    "Send the CV to "])  # fmt: skip
    b.add(intro)
    if intro == "-- \n":  # a signature: the name above the address
        b.plant(name, "PERSON", "context")
        b.add("\n")
    b.plant(value, "EMAIL", f"obf/{style.strip()}")
    b.add(g.pick([" - thanks!\n", ".\n", "\n", " (replace at/dot).\n"]))


_ADDRESS_LOCALES = {"US": "en_US", "GB": "en_GB", "FR": "fr_FR", "DE": "de_DE", "ES": "es_ES", "IT": "it_IT",
                    "KR": "ko_KR", "CN": "zh_CN", "JP": "ja_JP"}  # fmt: skip
_ADDRESS_FRAMES: Mapping[str, tuple[str, ...]] = {
    "US": ("Ship to: ", "Mailing address: "), "GB": ("Deliver to: ", "Registered office: "),
    "FR": ("Adresse de livraison : ", "Domicile : "), "DE": ("Lieferadresse: ", "Anschrift: "),
    "ES": ("Dirección de envío: ", "Domicilio: "), "IT": ("Indirizzo di spedizione: ", "Residenza: "),
    "KR": ("배송지: ", "주소: "), "CN": ("收货地址：", "地址："), "JP": ("お届け先：", "住所："),
}  # fmt: skip


def _address_value(g: _ClassGen, country: str) -> tuple[str, str]:
    fake = g.faker(_ADDRESS_LOCALES[country])
    if country == "DE" and g.rng.random() < 0.4:  # "...-Ring 5", "...ring 12a", multi-line
        street = g.pick([f"{fake.last_name()}-Ring", f"{fake.last_name()}ring", f"Am {fake.last_name()}-Ring",
                         f"{fake.last_name()}-Allee",
                         f"{fake.first_name()}-{fake.last_name()}-Straße"])  # fmt: skip
        house = f"{g.rng.randint(1, 180)}{g.pick(['', '', 'a', 'b'])}"
        return f"{street} {house}\n{fake.postcode()} {fake.city()}", "ring"
    if country == "KR" and g.rng.random() < 0.5:
        value = f"{fake.city()} {fake.borough()} {fake.road_name()} {g.rng.randint(1, 300)}"
        return value, "road"
    return fake.address(), "faker"


def _addresses(g: _ClassGen, b: _Builder) -> None:
    country = g.pick(list(_ADDRESS_LOCALES))
    value, how = _address_value(g, country)
    multiline = "\n" in value and g.rng.random() < 0.5
    if not multiline:
        value = ", ".join(line.strip() for line in value.splitlines())
    form = g.pick(["frame", "frame", "json", "letter"]) if not multiline else g.pick(["frame", "letter"])
    tag = f"{country}/{how}/{'multiline' if multiline else 'oneline'}"
    if form == "json":
        b.add(f'{{"order": {g.rng.randint(10000, 99999)}, "shipping_address": "')
        b.plant(value, "ADDRESS", tag)
        b.add('", "status": "packed"}\n')
    elif form == "letter":
        b.plant(g.fake.company(), "ORG", "context")
        b.add("\n")
        b.plant(value, "ADDRESS", tag)
        b.add(f"\n\n{g.sentence()}\n")
    else:
        b.add(g.pick(_ADDRESS_FRAMES[country]) + ("\n" if multiline else ""))
        b.plant(value, "ADDRESS", tag)
        b.add(("\n" if multiline else ". ") + f"{g.sentence()}\n")


_DOC_URLS = (
    "https://docs.python.org/3/library/{w}.html", "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers",
    "https://kubernetes.io/docs/concepts/workloads/pods/", "https://docs.docker.com/compose/",
    "https://learn.microsoft.com/en-us/azure/storage/", "https://docs.aws.amazon.com/s3/index.html",
    "https://en.wikipedia.org/wiki/{W}", "https://www.rfc-editor.org/rfc/rfc{n}",
    "https://pypi.org/project/{w}/", "https://docs.github.com/en/actions", "https://www.postgresql.org/docs/16/",
    "https://fastapi.tiangolo.com/tutorial/", "https://stripe.com/docs/api/charges",
)  # fmt: skip


def _doc_url(g: _ClassGen) -> str:
    word = g.fake.word()
    return g.pick(_DOC_URLS).format(w=word, W=word.capitalize(), n=g.rng.randint(1000, 9999))


def _personal_url(g: _ClassGen) -> tuple[str, str]:
    name = g.name(g.pick(["en_US", "de_DE", "fr_FR", "es_ES"]))
    slug = _mrz_name(name).lower().replace("<", "-")
    alnum = string.ascii_letters + string.digits
    style = g.pick(["linkedin", "crm/salesforce", "crm/hubspot", "crm/zendesk", "crm/custom", "query/email",
                    "query/user", "github", "social", "calendly"])  # fmt: skip
    company = g.fake.domain_word()
    value = {
        "linkedin": f"https://www.linkedin.com/in/{slug}-{g._chars('0123456789abcdef', 8)}",
        "crm/salesforce": f"https://{company}.lightning.force.com/lightning/r/Contact/003"
        f"{g._chars(alnum, 15)}/view",
        "crm/hubspot": f"https://app.hubspot.com/contacts/{g.digits(7)}/contact/{g.digits(9)}",
        "crm/zendesk": f"https://{company}.zendesk.com/agent/users/{g.digits(11)}/requested_tickets",
        "crm/custom": f"https://crm.{company}.com/customers/{g.digits(6)}?tab=billing",
        "query/email": f"https://app.{company}.io/reset?email={slug.replace('-', '.')}%40gmail.com&step=2",
        "query/user": f"https://portal.{company}.com/account?customer_id={g.digits(7)}"
        f"&user={slug.replace('-', '')}",
        "github": f"https://github.com/{slug.replace('-', '')}",
        "social": f"https://{g.pick(['x.com', 'www.facebook.com', 'www.instagram.com'])}/"
        f"{slug.replace('-', '_')}",
        "calendly": f"https://calendly.com/{slug}/30min",
    }[style]
    return value, style


def _urls(g: _ClassGen, b: _Builder) -> None:
    if g.rng.random() < 0.3:  # a negative: public documentation only
        b.add(f"{g.sentence()} See {_doc_url(g)} and {_doc_url(g)} for details.\n")
        return
    value, style = _personal_url(g)
    b.add(g.pick(["Customer record: ", "Profile: ", f"{g.sentence()} Link: ", "Escalated, see "]))
    b.plant(value, "URL", style)
    b.add(g.pick([f". Background reading: {_doc_url(g)}\n", "\n", f" (docs: {_doc_url(g)}).\n"]))


_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
           "ottobre", "novembre", "dicembre"),
}  # fmt: skip
_DOB_FRAMES: Mapping[str, tuple[str, ...]] = {
    "en": ("The date of birth, needed for the form, is {d}.", "DOB (as on the passport): {d}",
           "Date of birth of the applicant - {d}", "She was born on {d} in {c}.",
           "birth date, per the ID card, {d}"),
    "fr": ("Date de naissance, comme indiqué sur le passeport : {d}.", "Née le {d} à {c}.",
           "date de naissance du titulaire : {d}"),
    "de": ("Geburtsdatum laut Ausweis: {d}.", "Er ist am {d} in {c} geboren.",
           "Geburtsdatum des Antragstellers - {d}"),
    "es": ("Fecha de nacimiento, según el pasaporte, {d}.", "Nacido el {d} en {c}.",
           "fecha de nac. del titular: {d}"),
    "it": ("Data di nascita (come da documento): {d}.", "Nata il {d} a {c}.",
           "data di nascita del cliente: {d}"),
    "ko": ("생년월일은 {d}입니다.", "고객 생년월일(여권 기준): {d}"),
    "zh": ("出生日期：{d}。", "客户的出生日期为{d}。"),
}  # fmt: skip


def _dob_text(g: _ClassGen, lang: str, d: date) -> str:
    if lang == "ko":
        return g.pick([f"{d.year}년 {d.month}월 {d.day}일", f"{d:%Y.%m.%d}", d.isoformat()])
    if lang == "zh":
        return g.pick([f"{d.year}年{d.month}月{d.day}日", d.isoformat()])
    month = _MONTHS[lang][d.month - 1]
    if lang == "en":
        return g.pick(
            [f"{d:%m/%d/%Y}", f"{month} {d.day}, {d.year}", d.isoformat(), f"{d.day} {month} {d.year}"]
        )
    if lang == "de":
        return g.pick([f"{d:%d.%m.%Y}", f"{d.day}. {month} {d.year}"])
    if lang == "es":
        return g.pick([f"{d:%d/%m/%Y}", f"{d.day} de {month} de {d.year}"])
    return g.pick([f"{d:%d/%m/%Y}", f"{d.day} {month} {d.year}"])


def _bic(g: _ClassGen) -> str:
    while True:
        value = (g._chars(string.ascii_uppercase, 4)
                 + g.pick(["DE", "FR", "GB", "ES", "IT", "NL", "US", "CH", "BE"])
                 + g._chars(string.ascii_uppercase + string.digits, 2)
                 + g.pick(["", "", "XXX", g._chars(string.digits, 3)]))  # fmt: skip
        if stdnum_bic.is_valid(value):
            return value


def _add_with_city(b: _Builder, text: str, city: str) -> None:
    before, found, after = text.partition("{c}")
    b.add(before)
    if found:
        b.plant(city, "LOC", "context")
        b.add(after)


def _dob_bic(g: _ClassGen, b: _Builder) -> None:
    roll = g.rng.random()
    if roll < 0.2:  # a negative: other dates with words between, BIC-shaped capitals
        d = date.fromordinal(date(2019, 1, 1).toordinal() + g.rng.randrange(2500))
        b.add(g.pick([f"The date of the meeting, moved twice already, is {d:%m/%d/%Y}. ",
                      f"Invoice date (as per the contract): {d.isoformat()}. ",
                      f"Lieferdatum laut Auftrag: {d:%d.%m.%Y}. "]))  # fmt: skip
        b.add(g.pick(["URGENT: CUSTOMER ESCALATION, see DASHBOARD.", "Status: APPROVED by FINANCE.",
                      "Tags: BUSINESS, HOSPITAL, TRAINING."]) + "\n")  # fmt: skip
        return
    if roll < 0.65:
        lang = g.pick(list(_DOB_FRAMES))
        frame = g.pick(_DOB_FRAMES[lang])
        before, after = frame.split("{d}")
        city = g.fake.city()
        b.plant(g.name(), "PERSON", "context")
        b.add("\n")
        _add_with_city(b, before, city)
        b.plant(_dob_text(g, lang, g.birth_date()), "DATE", f"dob/{lang}")
        _add_with_city(b, after, city)
        b.add("\n")
        return
    value = _bic(g)
    b.add(g.pick(["Bank details - BIC: ", "SWIFT code ", "SWIFT/BIC ", "Code BIC : ", "BIC/SWIFT-Code: "]))
    b.plant(value, "ID", f"bic/{len(value)}")
    b.add(g.pick([", IBAN to follow.\n", ".\n", " (intermediary bank).\n"]))


# Invented names: in no dictionary or model vocabulary, like the "Zorblax Quintavious".
_SYLLABLES = ("zor", "blax", "quin", "ta", "vi", "ous", "mar", "kel", "dra", "vos", "lin", "tho", "rex", "ul")


def _person(g: _ClassGen) -> str:
    if g.rng.random() < 0.25:

        def word() -> str:
            return "".join(g.pick(_SYLLABLES) for _ in range(g.rng.randint(2, 3))).capitalize()

        return f"{word()} {word()}"
    while True:
        fake = g.faker(g.pick(["en_US", "de_DE", "fr_FR", "hu_HU", "da_DK", "es_ES", "it_IT", "nl_NL"]))
        first, last = fake.first_name(), fake.last_name()
        if " " not in first + last and len(first) >= 3 and len(last) >= 4 and first != last:
            return f"{first} {last}"


def _multi_turn(g: _ClassGen, b: _Builder) -> list[Turn]:
    people = [_person(g), _person(g)]
    while people[1].split()[-1] == people[0].split()[-1] or people[1].split()[0] == people[0].split()[0]:
        people[1] = _person(g)
    org = g.fake.company()
    known = {"persons": list(people), "orgs": [org]}
    (p1_first, p1_last), (p2_first, p2_last) = (p.split() for p in people)
    honorific = g.pick(["Mr.", "Ms.", "Dr."])
    turns: list[tuple[list[tuple[str, str, str, str] | str], dict[str, list[str]] | None]] = [
        ([(people[0], "PERSON", "t1/full", "p1"), " and ", (people[1], "PERSON", "t1/full", "p2"),
          " met with ", (org, "ORG", "t1/full", "o1"), f" about the term sheet. {g.sentence()}"], known),
        ([(people[1], "PERSON", "later/full", "p2"), f" agreed. {g.sentence()} ",
          (p1_first, "PERSON", "later/given", "p1"), " said the numbers work."], None),
        ([(f"{honorific} {p2_last}", "PERSON", "later/honorific", "p2"), " will send the draft to ",
          (org, "ORG", "later/full", "o1"), f" by Friday. {g.sentence()}"], None),
        ([(p1_last, "PERSON", "later/family", "p1"), " asked whether ",
          (p2_first, "PERSON", "later/given", "p2"),
          " had seen it. ", (people[0], "PERSON", "later/full", "p1"), " signs next week."], None),
    ]  # fmt: skip
    out: list[Turn] = []
    for parts, known_here in turns[: g.rng.randint(3, 4)]:
        tb = _Builder()
        for part in parts:
            if isinstance(part, str):
                tb.add(part)
            else:
                value, kind, label, entity = part
                tb.plant(value, kind, label, known=known_here is not None, entity=entity)
        out.append(Turn(tb.text(), tuple(tb.spans), known_here))
    for i, turn in enumerate(out):
        if i:
            b.add("\n\n")
        offset = b.size
        b.add(turn.text)
        b.spans.extend(Planted(s.start + offset, s.end + offset, s.value, s.type, s.label, s.known, s.entity)
                       for s in turn.spans)  # fmt: skip
    return out


_PLAIN = (
    "The CFO asked for the KYC checklist before the SOC 2 audit.", "Legal and Finance", "Next Steps",
    "Happy Holidays from all of us!", "Best regards", "Draft a thank-you note.", "The Team",
    "Board approval is expected in Q3.",
    "Deploy the Docker image to Kubernetes and post the result in Slack.",
    "GDPR requires a lawful basis; the DOB field is optional.",
    "Please validate the IBAN format server-side.",
    "Never send an SSN by e-mail; use the secure portal.", "The password policy requires 12 characters.",
    "Your PIN must be changed every 90 days.", "Enter the CVV printed on the back of the card.",
    "Action Items", "Executive Summary", "Kind regards", "Thanks again for your help!",
    "Schedule the quarterly review and share the agenda.", "Update the README and tag the release.",
    "HR will circulate the new PTO policy.", "The API returns 429 when the rate limit is hit.",
    "Rotate the token after each deployment.", "Merry Christmas and a Happy New Year",
    "AML and KYC checks passed; the SAR queue is empty.", "Terraform plan shows no changes.",
    "Run the Postgres migration, then restart Redis.", "Q&A", "Risk and Compliance",
    "api_key: ${OPENAI_API_KEY}", "password: <your password here>", "Set SECRET_KEY in the environment.",
    "Compte rendu de la réunion : prochaines étapes.", "Nächste Schritte: Angebot prüfen.",
    "Review the PR and merge it.", "Send the invoice to accounting.", "Book a room for the offsite.",
)  # fmt: skip


def _plain_lookalike(g: _ClassGen) -> str:
    rng = g.rng
    digits16 = "4" + g.digits(14)
    bad_check = (int(luhn.calc_check_digit(digits16)) + rng.randint(1, 9)) % 10
    choices: list[Callable[[], str]] = [
        lambda: f"version {rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}",
        lambda: f"order {rng.randint(10**8, 10**9 - 1)}",
        lambda: f"invoice INV-{rng.randint(2019, 2026)}-{rng.randint(0, 999999):06d}",
        lambda: f"reference {digits16[:4]} {digits16[4:8]} {digits16[8:12]} {digits16[12:]}{bad_check}",
        lambda: f"meeting on {rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(2019, 2026)}",
        lambda: f"ISBN 978-{rng.randint(0, 1)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}-"
                f"{rng.randint(0, 9)}",
        g.timestamp,
        lambda: f"{rng.randint(2, 900):,} units at {rng.randint(1, 99)}.{rng.randint(0, 9)} kg each",
        lambda: f"PO {rng.randint(4500000000, 4599999999)}",
        lambda: f"case number {rng.randint(0, 99999999):08d}",
        lambda: f"ticket #{rng.randint(10000, 99999)}",
        lambda: f"see {_doc_url(g)}",
        lambda: f"build {rng.randint(1000, 9999)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
        lambda: f"ISO {rng.choice([8601, 27001, 9001, 3166])}, RFC {rng.randint(1000, 9999)}",
        lambda: f"FY{rng.randint(2019, 2027)} Q{rng.randint(1, 4)} growth {rng.randint(1, 40)}%",
        lambda: f"sha {g._chars('0123456789abcdef', 40)}",
        lambda: f"room {rng.randint(1, 12)}{rng.choice('ABCD')}, floor {rng.randint(1, 30)}",
    ]  # fmt: skip
    return rng.choice(choices)()


def _ner_plain(g: _ClassGen, b: _Builder) -> None:
    if g.rng.random() < 0.15:  # an imperative around a name: the name is PII, the verb is not
        name = g.faker(g.pick(["en_US", "en_GB"])).first_name()
        verb = g.pick(["Call", "Ask", "Email", "Thank", "Remind", "Ping"])
        b.add(f"{verb} ")
        b.plant(name, "PERSON", f"imperative/{verb.lower()}")
        b.add(
            f" {g.pick(['about the renewal.', 'before Friday.', 'at the office tomorrow.'])} "
            f"{g.pick(_PLAIN)}\n"
        )
        return
    lines = [g.pick(_PLAIN) for _ in range(g.rng.randint(3, 6))]
    looks = [_plain_lookalike(g) for _ in range(g.rng.randint(2, 4))]
    b.add(f"{lines[0]}\n\n")
    for line in lines[1:]:
        b.add(f"{line} ")
    # Varied lead-ins: one fixed word would make the negative rate hinge on that word alone.
    lead = g.pick(["Refs: ", "References: ", "See also ", "Details: ", "Tracking: ", "", "Notes - "])
    b.add(f"\n{lead}{'; '.join(looks)}.\n")


_NAME_STYLES = ("hu_HU", "da_DK", "ko_KR", "zh_CN", "ja_JP", "particle", "hyphen", "apostrophe", "de_DE",
                "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR", "en_IN")  # fmt: skip
_PARTICLES = ("van der", "van", "de la", "von", "di", "da", "del", "al-", "ter", "dos")
_APOSTROPHE = ("O'Connor", "D'Angelo", "N'Diaye", "O'Brien", "D'Souza", "L'Estrange", "Dell'Acqua")


def _intl_name(g: _ClassGen) -> tuple[str, str]:
    style = g.pick(_NAME_STYLES)
    if style == "particle":
        fake = g.faker(g.pick(["nl_NL", "es_ES", "de_DE", "it_IT", "pt_BR"]))
        particle = g.pick(_PARTICLES)
        return (
            f"{fake.first_name()} {particle}{'' if particle.endswith('-') else ' '}{fake.last_name()}",
            style,
        )
    if style == "hyphen":
        fake = g.faker(g.pick(["fr_FR", "de_DE", "en_GB"]))
        first = g.pick([fake.first_name(), f"{fake.first_name()}-{fake.first_name()}"])
        return f"{first} {fake.last_name()}-{fake.last_name()}", style
    if style == "apostrophe":
        return f"{g.faker(g.pick(['en_GB', 'it_IT', 'fr_FR'])).first_name()} {g.pick(_APOSTROPHE)}", style
    while True:
        name = g.name(style)
        if "." not in name:
            return name, style


_NAME_FRAMES: Mapping[str, tuple[str, ...]] = {
    "ko_KR": ("{p}님이 회의에 참석했습니다.", "담당자: {p}"), "zh_CN": ("{p}明天会来办公室。", "联系人：{p}"),
    "ja_JP": ("{p}さんが資料を送りました。", "担当者：{p}"),
}  # fmt: skip
_EN_FRAMES = ("Thanks to {p} for the quick review.", "{p} will join the call on Monday.",
              "Meeting notes: {p} presented the roadmap.", "Please loop in {p} on the contract.",
              "Reporter: {p}")  # fmt: skip


def _ner_names(g: _ClassGen, b: _Builder) -> None:
    name, style = _intl_name(g)
    frame = g.pick(_NAME_FRAMES.get(style, ()) + _EN_FRAMES)
    before, after = frame.split("{p}")
    b.add(before)
    b.plant(name, "PERSON", f"name/{style}")
    b.add(after)
    if g.rng.random() < 0.6:
        locale = style if "_" in style else "de_DE"
        fake = g.faker(locale)
        company, city = fake.company(), fake.city()
        b.add(f" {g.pick(['She', 'He'])} works at ")
        b.plant(company, "ORG", f"org/{locale}")
        b.add(" in ")
        b.plant(city, "LOC", f"loc/{locale}")
        b.add(".")
    b.add(f" {g.sentence()}\n")


_CLASS_FNS: Mapping[str, Callable[[_ClassGen, _Builder], object]] = {
    "t1_separators": _t1_separators, "t1_labeled": _t1_labeled, "itin": _itin, "mrz": _mrz,
    "secrets_ctx": _secrets_ctx, "national_ids": _national_ids, "phones": _phones, "obf_emails": _obf_emails,
    "addresses": _addresses, "urls": _urls, "dob_bic": _dob_bic, "multi_turn": _multi_turn,
    "ner_plain": _ner_plain, "ner_names": _ner_names,
}  # fmt: skip


def class_records(name: str, n: int, *, seed: int = DEFAULT_SEED) -> Iterator[Record]:
    """Records ``0..n-1`` of class ``name``; record ``i`` depends on (seed, name, i) only."""
    g = _ClassGen(seed, name)
    fn = _CLASS_FNS[name]
    for i in range(n):
        g.start(i)
        b = _Builder()
        turns = fn(g, b)
        text = b.text()
        spans = tuple(sorted(b.spans, key=lambda s: (s.start, s.end)))
        for span in spans:
            assert text[span.start : span.end] == span.value, (name, i, span)
            assert span.value == span.value.strip(), (name, i, span)
        turn_tuple = tuple(turns) if isinstance(turns, list) else ()
        known = turn_tuple[0].known_entities if turn_tuple else None
        yield Record(f"{name}-{i:05d}", name, text, spans, known, turn_tuple)


def generate_classes(n: int, *, seed: int = DEFAULT_SEED, classes: Sequence[str] = CLASSES) -> list[Record]:
    """``n`` records of each class, class by class."""
    return [record for name in classes for record in class_records(name, n, seed=seed)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3, help="records per class")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--class", dest="classes", action="append", choices=CLASSES)
    args = parser.parse_args(argv)
    for record in generate_classes(args.n, seed=args.seed, classes=args.classes or CLASSES):
        sys.stdout.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
