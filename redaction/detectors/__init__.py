"""The deterministic detectors of docs/architecture.md §3.1, one module each.

`DEFAULT_DETECTORS` is the configuration the engine runs: which detectors, in which order
(order never changes the output: the resolver decides). Pass another tuple to `scrub` to
run a subset.
"""

from __future__ import annotations

from ._base import Detector, Pattern, PatternDetector

# -- contact & network (email, phone, ip, url, date, money, places) --
from .address import AddressDetector
from .dates import DateDetector
from .email import EmailDetector
from .ip import IpDetector
from .money import MoneyDetector
from .phone import PhoneDetector
from .places import PlaceDetector
from .url import UrlDetector

# isort: split
# -- secrets (api keys, jwt, bearer, pem, passwords, password hashes, url credentials) --
from .api_keys import ApiKeyDetector
from .bearer import BearerTokenDetector
from .jwt import JwtDetector
from .password_hashes import PasswordHashDetector
from .passwords import PasswordDetector
from .private_keys import PrivateKeyDetector
from .url_credentials import UrlCredentialsDetector

# isort: split
# -- financial & national ids (card, iban, ssn, aba, account, kr rrn, passport) --
from .bic import BicDetector
from .credit_card import CreditCardDetector
from .fhir import FhirDetector
from .hl7 import Hl7Detector
from .iban import IbanDetector
from .kr_rrn import KrRrnDetector
from .labeled_ids import LabeledIdDetector
from .micr import MicrDetector
from .mnemonic import MnemonicDetector
from .mrz import MrzDetector
from .national_id import NationalIdDetector
from .passport import PassportDetector
from .swift_mt import SwiftMtDetector
from .us_bank import UsBankAccountDetector, UsBankRoutingDetector
from .us_ssn import UsSsnDetector

__all__ = ["DEFAULT_DETECTORS", "Detector", "Pattern", "PatternDetector"]

DEFAULT_DETECTORS: tuple[Detector, ...] = (
    EmailDetector(),
    PhoneDetector(),
    IpDetector(),
    DateDetector(),
    MoneyDetector(),
    AddressDetector(),
    PlaceDetector(),
    UrlDetector(),
    ApiKeyDetector(),
    JwtDetector(),
    BearerTokenDetector(),
    PrivateKeyDetector(),
    MnemonicDetector(),
    PasswordDetector(),
    PasswordHashDetector(),
    UrlCredentialsDetector(),
    CreditCardDetector(),
    IbanDetector(),
    BicDetector(),
    UsSsnDetector(),
    UsBankRoutingDetector(),
    UsBankAccountDetector(),
    MicrDetector(),
    SwiftMtDetector(),
    KrRrnDetector(),
    NationalIdDetector(),
    LabeledIdDetector(),
    PassportDetector(),
    MrzDetector(),
    Hl7Detector(),
    FhirDetector(),
)
