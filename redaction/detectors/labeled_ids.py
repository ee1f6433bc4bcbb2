"""Tier-1 values right after their label, in EN, FR, DE, ES, IT, KO, ZH and JA.

A value whose shape alone is ambiguous (nine bare digits, 6-17 digits, a 3-digit code) is
tier 1 when its label says what it is: ``SSN 123456789``, ``"card_number": "4111 ..."``,
``Kontonummer: 1234 5678 90``, ``n° de compte : ...``, ``계좌번호 110-123-456789``,
``卡号：6222 ...``, ``CVV 123``, ``PIN: 4821``, ``安全码(CVV)是2203``, ``社会安全号码: 321681361``,
``TIN 907889453``. The label picks the kind: SSN words ->
``US_SSN`` (``US_ITIN`` for area 9xx), ITIN -> ``US_ITIN``, passport -> ``PASSPORT``,
account/Konto/cuenta/compte/계좌/账号 -> ``US_BANK_ACCOUNT``, routing/ABA/BLZ/sort code ->
``US_BANK_ROUTING``, IBAN -> ``IBAN``, card/carte/Karte/tarjeta/카드/卡号 -> ``CREDIT_CARD``,
CVV/CVC/CSC/security code -> ``CVV``, PIN/密码/비밀번호 -> ``PIN``, 주민등록번호/RRN ->
``KR_RRN``, other national, tax and social security ids (DNI, NIE, NIR, BSN, CPF, Aadhaar,
NINO, Steuer-ID, codice fiscale, 身份证, My Number, India's PAN, ...) -> ``NATIONAL_ID``. One
tier-2 family rides along: a patient's, member's or employee's number (``MRN``, ``member ID``,
``policy number``, ``保険証番号``) -> ``ID``, tokenized and restored.

The rule: a label (a whole word, or a listed compound such as ``Kontonummer``), then only
glue: punctuation, quotes, brackets, ``=``, ``#``, ``:``, at most one line break (forms), and
a few listed filler words (``number``, ``no.``, ``n°``, ``nummer``, ``is``, ``on file``,
``de``, ``는``, ``号``, ...), at most 40 characters; then the value: capitals and digits in
groups joined by single separators (space, dash, dot, slash), taken only as far as the
kind's length allows. No checksum is required: a mistyped SSN after ``SSN:`` is still an
SSN to a privacy reviewer (the checksummed detectors find unlabeled values).

A value in small letters (``IBAN fr76 3000 ...``, ``codice fiscale: crvmrn69p11d228s``,
``NI number: gw620197b``) is read in capitals and taken when its checksum holds (IBAN, codice
fiscale, DNI/NIE, NINO letter rules) or it is digits framed by two prefix letters and one check
letter at most; hex strings and words are not. An account label before an IBAN's shape gives an
``IBAN``; a CVV may be written digit by digit (``1-2-3``) or wrapped over one line break.

A table column counts as a label for every value under it, however far below: a CSV/TSV
header row (``id,tax_id,created`` then ``9542,966520831,2024-07-10``) or the column list of a
SQL ``INSERT INTO t (id, ssn) VALUES (...), (...)``. The header field must be a whole column
name: a label (``tax_id``, ``card_number``, ``codice_fiscale``) or a column-only name
(``ni_number``, ``ein``), with an optional ``_number``/``_no``/... suffix; the whole cell must
then be the value. A table ends at a blank line, a line without the delimiter or the next
header. A credential column (``password``, ``pwd``, ``token``, ``api_key``, ``client_secret``,
...) makes every cell under it a ``PASSWORD`` (whatever it holds) or ``API_KEY`` (when it reads
like key material: letters and digits, or three character classes), unless it is empty, a
literal (``null``), a mask or a template (`_secrets.is_placeholder`).

Three tier-2 values are found the same way, by column only: a date of birth (``dob``,
``birth_date``, ``D.O.B.``, ``geburtsdatum`` ...: ``DATE`` labelled ``dob``, a cell of a date's
shape), a street (``address``, ``street``, ``Dirección`` ...: ``ADDRESS``, a cell with a house
number, a word and a space: no e-mail, URL, IP or hex address) and a person's name
(``first_name``, ``surname``, ``Prénom``, ``patient_name`` ...: ``PERSON``, up to seven words of
letters, or "Last, First"). These names may carry a prefix (``customer_first_name``,
``contact.lastName``, ``patient_dob``; not ``ip_address``). A bare ``name`` column (also
``nom``, ``nombre``, ``nome``, ``naam``, ``display_name``) is a person's only once a cell of a
personal column in its table holds its value (an e-mail, a phone number, a date of birth, a
street, an SSN ...), and only where it has a capital; beside only an e-mail, phone or street
(a business's directory has them too) it must be two words, none a common or business word
(``Northwind Traders``, ``Berlin Office`` stay): ``id,name,price`` lists products,
``name,address`` over IPs or contracts machines, ``Name,Account`` a ledger. A tier-2 header
must start its table: a row of column names under another row of as many cells is a schema's
or a data dictionary's row (``col,desc`` then ``first_name,Given name``). The same names (not a
bare ``name``) are a record's keys too: JSON, YAML, .env, keyword arguments (``"first_name":
"Olga"``, ``LAST_NAME: Lindqvist``, ``User(last_name="de Vries")``); a type (``first_name:
str``), code, ``null`` or a lowercase word after a bare key is no value, nor is, in a table or a
record, a value that does not read as a name (`_name_value`: a label, a message, a status, an
organisation) or as a street (a house number first, or a street the address grammar reads). A
bare ``name`` key counts beside a personal key of its record (``"email":``, ``phone:``,
``dob``) within 300 characters, as a bare ``name`` column does beside a personal column.

Not labeled values: a label followed by any other word (``account manager 555 0100``,
``card balance $1,200``, ``PIN code reset link``, ``account opened 2021-03-04``, ``card
ending in 4242``, ``SSN field is required``), plurals and compounds that are not labels
(``accounts``, ``accounting``, ``account_id``, ``MyAccount``, ``cardinal``), values too
short or too long for the kind (``account 12345``, ``3 accounts``, ``CVV 12``), dates
(``12/03/1971``, ``2024-05-01``, ``05/2027``), years and year ranges, amounts
(``1.200.000``, ``99.50``), one digit repeated (``000000``), values glued to more letters
or digit groups (``INV-90572233``, ``12-34-56-78-90-12-34-56-78-90``). Columns whose name
only contains a label (``session_id``, ``accounts_count``, ``tax_id_status``), empty or
``N/A`` cells, dates under an ``ssn`` column; column-only names in prose (``tin can``, ``sin
embargo``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

import ahocorasick
from stdnum import iban, luhn
from stdnum.es import dni, nie
from stdnum.it import codicefiscale

from .._ner_precision import designators_only, is_common_word
from .._normalize import normalize
from .._spans import Span
from ._idscan import luhn_sum_ok, scan
from ._secrets import credential_like, is_mask, is_placeholder
from .address import AddressDetector
from .iban import _bban_format
from .national_id import nino_valid
from .us_bank import LEDGER_BEFORE

__all__ = ["LabeledIdDetector"]


class _Family(NamedTuple):
    """What a label announces: the kind, and the value's size (compact characters)."""

    kind: str
    min_len: int
    max_len: int
    alnum: bool = False  # capitals allowed in the value (passports, national ids, IBANs)
    one_group: bool = False  # a code written in one piece (CVV)


_FAMILIES: dict[str, _Family] = {
    "ssn": _Family("US_SSN", 9, 9),
    "itin": _Family("US_ITIN", 9, 9),
    "tax": _Family("NATIONAL_ID", 8, 13, alnum=True),
    "passport": _Family("PASSPORT", 6, 10, alnum=True),  # Russia's internal passport: 4 + 6 digits
    "account": _Family("US_BANK_ACCOUNT", 6, 26),  # CCC 20, CLABE 18, Polish NRB 26 digits
    "routing": _Family("US_BANK_ROUTING", 6, 9),
    "iban": _Family("IBAN", 15, 34, alnum=True),
    "card": _Family("CREDIT_CARD", 12, 19),
    "cvv": _Family("CVV", 3, 4, one_group=True),
    "pin": _Family("PIN", 4, 8),
    "otp": _Family("PIN", 4, 8),  # a one-time code (a year is none: `OTP 2025 migration`)
    # The first two digits of a card's PIN, which Korean payment forms ask for (`앞 두자리`).
    "pin2": _Family("PIN", 2, 2, one_group=True),
    "rrn": _Family("KR_RRN", 13, 13),
    "pan": _Family("NATIONAL_ID", 10, 10, alnum=True),  # India's PAN: `ABCPD1234E`, its shape checked
    "cf": _Family("NATIONAL_ID", 16, 16, alnum=True),  # `CF` (codice fiscale): its checksum must hold
    # Tier 2: a patient's, member's or employee's number (`MRN: MRN-95494093`, `member ID
    # URE775888437`): personal, not secret, so tokenized (`ID`) and restored.
    "record": _Family("ID", 6, 20, alnum=True),
    # A US employer's EIN (`EIN 35-7487939`): only in its printed shape, `ein` is German for "a".
    "ein": _Family("NATIONAL_ID", 9, 9),
    # Canada's SIN (`SIN 046 454 286`): its Luhn check must hold, `sin` is Spanish for "without".
    "sin": _Family("NATIONAL_ID", 9, 9),
    "national": _Family("NATIONAL_ID", 6, 20, alnum=True),
}

# Labels, lowercase, by family. Short ones (``pin``, ``aba``, ``nie``) are substrings of
# common words (``shipping``, ``database``): whole-word checks reject those hits.
_LABELS: dict[str, tuple[str, ...]] = {
    "ssn": (
        "ssn", "ssns", "social security", "socialsecurity", "soc sec", "soc. sec", "ss#", "ss #", "ss no",
        "social-security", "my social", "social #", "social no", "social number",
        "us-sozialversicherungsnummer", "社会安全号码", "社会安全号", "社會安全號碼",
        "社會安全號", "사회보장번호", "社会保障番号",
    ),
    "itin": ("itin", "individual taxpayer identification"),
    "tax": (
        "tax id", "taxpayer id", "tax identification", "tax number", "tax no", "tin", "steuernummer",
        "numéro fiscal", "numero fiscal", "nif", "税号", "纳税人识别号", "vergi numarası",
        "vergi numarasi", "vergi no",
    ),
    "passport": (
        "passport", "passeport", "pasaporte", "passaporto", "reisepass", "reisepassnummer",
        "passnummer", "pass-nr", "pass nr", "passnr", "paspoort", "여권", "여권번호", "护照", "護照",
        "パスポート", "旅券", "paszport", "paszportu", "passi", "passin", "pasaport", "паспорт",
        "загранпаспорт",
        "διαβατήριο", "διαβατηρίου", "جواز السفر", "דרכון", "पासपोर्ट", "หนังสือเดินทาง", "hộ chiếu",
        "หนังสือเดินทางเลขที่",
        "paspor",
        "passaporte", "pasnummer", "pasu", "pas",
    ),
    "account": (
        "account", "acct", "a/c", "bank account", "account no", "konto", "kontonummer", "kontonr",
        "bankkonto", "cuenta", "compte", "conto", "rekening", "rekeningnummer", "계좌", "계좌번호",
        "账号", "账户", "帐号", "帐户", "帳號", "帳戶", "银行账号", "口座番号", "口座",
        "conto corrente", "numer konta", "nr konta", "numer rachunku", "nr rachunku", "расчётный счёт",
        "расчетный счет", "номер счета", "номер счёта", "счёт", "счет", "खाता संख्या", "no rek",
        "nomor rekening", "número da conta", "nº da conta", "खाता", "tài khoản",
        "số tài khoản", "stk", "číslo účtu", "nib", "conta corrente", "חשבון", "เลขที่บัญชี",
        # A bank's name before the number: Korean `…은행`, Japanese `普通` (an ordinary account);
        # Russian abbreviations of a settlement and a personal account.
        "은행", "普通", "普通預金", "当座", "р/с", "р/сч", "л/с",
    ),
    "routing": (
        "routing", "aba", "rtn", "transit number", "blz", "bankleitzahl", "sort code",
        "code banque", "código de banco", "라우팅", "라우팅번호", "路由号", "路由號", "路由号码", "бик",
    ),
    "iban": ("iban", "国际银行账号", "國際銀行帳號"),
    "card": (
        "card", "card no", "cc#", "ccn", "cc no", "cc number", "credit card", "creditcard", "debit card",
        "pan", "carte", "carte bancaire", "karte", "kartennummer", "kreditkarte", "kreditkartennummer",
        "tarjeta", "carta", "카드", "카드번호", "신용카드", "卡号", "银行卡", "信用卡", "卡號",
        "カード番号",
    ),
    "cvv": (
        "cvv", "cvn", "cvv2", "cvc", "cvc2", "csc", "security code", "card code", "cardcode", "card_code",
        "código de seguridad", "cryptogramme", "prüfnummer", "kartenprüfnummer", "보안코드",
        "安全码", "安全碼", "セキュリティコード", "보안 코드", "card verification", "card security code",
        "cryptogramme visuel", "code de sécurité", "sicherheitscode", "codice di sicurezza",
        "código de segurança",
        "beveiligingscode", "kontrolcifre", "güvenlik kodu", "код на обороте", "cvv-код", "رمز التحقق",
        "末三碼", "mã bảo mật", "crypto visuel", "cvv/cvc", "cvc/cvv",
    ),
    "pin": (
        "pin", "pin code", "pin-code", "pincode", "code pin", "geheimzahl", "密码", "密碼",
        "비밀번호", "암호", "暗証番号", "pins", "pin number", "pin-nummer", "codice pin", "code confidentiel",
        "pin-kode", "pin-koden", "pin-kod", "pin-koodi", "pinkod", "pinkoden", "pinkode", "пин-код",
        "пин код",
        "пин", "пін-код", "пін", "الرقم السري", "הקוד הסודי", "पिन", "mã pin", "senha do cartão",
        "senha do cartao", "kart şifresi", "kartın şifresi", "kartin şifresi", "kart sifresi",
        "kartin sifresi", "pin kodu", "pin kodum",
        "รหัส ATM", "รหัสATM",
    ),
    # One-time codes: a credential for the minutes it lives.
    "otp": (
        "otp", "otp code", "one-time code", "one time code", "one-time passcode", "verification code",
        "2fa code", "mfa code", "sms code", "login code", "bestätigungscode", "verifizierungscode",
        "code de vérification", "código de verificación", "codice di verifica", "인증번호", "验证码",
        "驗證碼", "認証コード", "ワンタイムパスワード", "確認コード",
        "tan-nummer", "mtan", "sms-tan", "smstan", "pushtan", "chiptan", "mã otp", "kode otp",
    ),
    "ein": ("ein", "fein", "ein no", "ein number", "ein#", "employer id", "employer id number"),
    "sin": ("sin", "sin no", "sin number", "s.i.n."),
    "pin2": (
        "비밀번호 앞 두자리", "비밀번호 앞두자리", "비밀번호 앞 2자리", "비밀번호 앞2자리", "비밀번호 앞자리",
        "비밀번호 앞 두 자리", "비번 앞 두자리", "비번 앞2자리",
    ),
    "rrn": ("주민등록번호", "주민번호", "외국인등록번호", "rrn", "resident registration"),
    # (`PAN` alone is a card's primary account number too: see `_upper_value`.)
    "pan": ("pan card", "pan no", "pan number", "permanent account number", "पैन कार्ड", "पैन नंबर"),
    "cf": ("cf",),
    "record": (
        "mrn", "medical record number", "medical record no", "medical record", "patient id",
        "patient number", "patient no", "member id", "member number", "member no", "subscriber id",
        "subscriber number", "policy number", "policy no", "insurance id", "insurance number",
        "insurance no", "employee id", "employee number", "employee no", "student id", "student number",
        "personalnummer", "mitgliedsnummer", "versichertennummer", "numéro de dossier",
        "numéro d'adhérent", "número de afiliado", "historia clínica", "保険証番号", "被保険者番号",
        "患者番号", "診察券番号", "환자번호", "病历号", "病案号", "医保卡号",
        # After the forms tester: hospital, staff, policy, pupil and membership numbers in the
        # languages of its records (`N° salarié :`, `Nº de póliza:`, `社員番号：`, `학번:`).
        "hospital no", "hospital number", "de dossier", "nhc", "księgi głównej", "住院号", "patienten-nr",
        "patientennummer", "journalnummer", "prontuário", "カルテ番号", "환자등록번호", "fallnummer",
        "nosologico", "cartella clinica", "ziekenhuisnummer", "historii choroby", "patiëntnummer",
        "staff number", "staff no", "staff id", "de empleado", "número de empleado", "salarié", "matricule",
        "personeelsnummer",
        "ewidencyjny pracownika", "anställningsnummer", "do funcionário", "従業員番号", "직원번호",
        "dipendente", "matricola", "工号", "员工编号", "de matrícula", "社員番号", "사번",
        "de póliza", "de contrat", "polizza", "polisnummer", "de police", "nr polisy", "försäkringsnummer",
        "da apólice", "証券番号", "증권번호", "保单号", "versicherungsscheinnummer", "policennummer",
        "pupil number", "pupil no", "élève", "legitymacji", "elevnummer", "学籍番号", "학번", "学号",
        "matrikelnummer", "schülernummer", "studentnummer", "leerlingnummer", "de expediente",
        "membership number", "membership no", "de afiliado", "lidnummer", "nr ubezpieczenia",
        "medlemsnummer", "carteirinha", "組合員番号", "가입자번호", "versicherten-nr", "tessera", "会员号",
    ),
    "national": (
        "national id", "national identity", "national insurance", "nino", "id card",
        "identity card", "identity number", "id number", "carte d'identité", "carte d identité",
        "documento de identidad", "documento nacional", "dni", "nie", "nir", "insee",
        "sécurité sociale", "securite sociale", "sécu", "seguridad social", "seguro social",
        "n° ss", "n°ss", "nº ss", "no ss", "n° sécu", "c.f.", "c. f.", "cod. fisc.", "ni number",
        "ni no", "ni #", "uidai",
        "nss", "bsn", "burgerservicenummer", "sofinummer", "cpf", "aadhaar", "aadhar", "आधार",
        "आधार संख्या", "आधार नंबर",
        "codice fiscale", "steuer-id", "steuerid", "steuer id", "idnr",
        "steueridentifikationsnummer", "identifikationsnummer", "ausweis", "ausweisnummer",
        "personalausweis", "personalausweisnummer", "sozialversicherungsnummer", "krankenversichertennummer",
        "dowód osobisty", "dowodu osobistego", "nr dowodu",
        "versicherungsnummer", "personnummer", "pesel", "social insurance", "sin:", "sin#",
        "マイナンバー", "個人番号", "身份证", "身份证号", "身份證", "公民身份号码", "身分證", "身分證號碼",
        "身份證號碼", "เลขประจำตัวประชาชน", "αριθμός ταυτότητας", "ταυτότητας", "číslo op",
        "občanský průkaz", "číslo občanského průkazu", "cartão de cidadão", "cartao de cidadao",

        "신분증", "외국인등록",
        # JP My Number in English ("my number" alone is how people give a phone number), DE/AT
        # social insurance, CA SIN in French, AU tax file number, US employer id, driver's
        # licences, Medicare.
        "rijksregisternummer", "rijksregister", "numéro de registre national", "henkilötunnus", "hetu",
        "nip", "tc kimlik no", "tc kimlik", "kimlik no", "t.c. kimlik", "t.c. kimlik no",
        "ідентифікаційний код",
        "رقم الهوية الوطنية", "رقم الهوية الإماراتية", "เลขบัตรประชาชน", "id-картка", "ID-картка", "снилс",
        "инн", "рнокпп", "cpr-nummer", "cpr",
        "personnr",
        "rodné číslo", "תעודת זהות", "ת.ז.", "เลขประจำตัวประชาชน", "رقم الهوية", "الرقم القومي", "nik",
        "npwp",
        "cccd", "cmnd", "身分證字號", "αφμ", "αμκα", "número de contribuinte", "cnpj", "rg",
        "carta d'identità", "dowodu osobistego", "cartão de cidadão",
        "my number card", "individual number", "sv-nummer", "sv nummer", "numéro d'assurance sociale",
        "tax file number", "tfn",
        "employer identification number", "ein:", "ein #", "driver's license", "drivers license",
        "driver license", "driver's licence", "driving licence", "licence number", "license number",
        "dl#", "dl no", "führerschein", "führerscheinnummer", "permis de conduire", "medicare number",
        "medicare no", "medicare card number", "medicare card no", "medicare beneficiary identifier", "mbi",
        "medicare beneficiary id", "beneficiary id",
        "nhs", "nhs no", "nhs number", "nhs #", "niss", "insz", "curp", "ohip", "health card number",
        "health card no", "health card", "pers.nr", "pers. nr", "pers nr", "nationalid", "idnumber",
        "nationalidnumber", "hkid", "hkid no", "hkid number", "hk id", "hkic", "hong kong identity card",
        "hong kong id", "香港身份證", "香港身分證",
        # After the fresh tester: Singapore, Switzerland, Chile, Pakistan, Romania, Ireland,
        # Malaysia, the UAE, Latin America's cédula, Nigeria.
        # (Not bare `PPS`, packets per second, nor `AVS`, address verification.)
        "national identification number", "national identification no",
        "nric", "nric no", "nric/fin", "ahv", "ahv-nr", "ahv-nr.", "ahv-nummer", "no avs", "n° avs",
        "rut", "r.u.t.", "cnic", "cnic no", "cnp", "cod numeric personal", "pps no", "pps no.", "ppsn",
        "pps number", "mykad", "no. kp", "no kp", "emirates id", "cédula", "cedula", "nin",
    ),
}  # fmt: skip

# A bank's code between an account's label and its number (Indonesian `no rek BCA 1234567890`):
# three to six capitals (two are an IBAN's country: `DE 89 3704 ...`), one space, digits.
_BANK_CODE = re.compile(r"[A-Z]{3,6} (?=[0-9])")

_EIN = re.compile(r"[0-9]{2}-[0-9]{7}")

# Words that make a label another thing's: a German VAT id (`USt-IdNr.`), a ledger's account.
_NOT_AFTER = {
    "national": re.compile(r"(?i:ust)[-. ]?\Z"),
    "account": LEDGER_BEFORE,
}

# A Hong Kong identity card number: one or two letters, six digits, a check digit (or `A`) in
# parentheses that belongs to the value.
_HKID = re.compile(r"[A-Z]{1,2}[0-9]{6}")
_HK_CHECK = re.compile(r"\([0-9A]\)")

# Labels whose punctuation is not compared to the text: abbreviations written many ways.
_LOOSE = frozenset(("n° ss", "n°ss", "nº ss", "n° sécu", "c.f.", "c. f.", "cod. fisc.", "ni #"))

# Column names of a table (a CSV/TSV header, a SQL column list) that announce a family but are
# too vague to be labels in prose (``ni_number``, ``ein``, ``security_code``). Common words
# (``ni``, ``sin``, ``tax``, ``cc``) are left out: the automaton would hit them in every text. A
# header field must be one of these or a label, whole (`_column_family`).
_COLUMN_ONLY: dict[str, str] = {
    "nin": "national", "ni_number": "national", "ni_no": "national", "national_insurance_no": "national",
    "sin_number": "national", "sin_no": "national", "ein": "tax", "tfn": "tax", "taxid": "tax",
    "tin_number": "tax", "cc_number": "card", "ccnum": "card", "cc_num": "card", "acct_no": "account",
    "acctno": "account", "acct_num": "account", "accountnumber": "account", "aba_number": "routing",
    "routingnumber": "routing", "cardnumber": "card", "socialsecuritynumber": "ssn",
    "ssn_number": "ssn", "passportnumber": "passport", "passport_num": "passport",
    "security_code": "cvv", "national_id": "national", "nationalid": "national",
    "id_number": "national", "social": "ssn",
    # Credentials in a table (`username,password` then `bob,hunter2`): whatever the cell holds.
    "password": "password", "passwd": "password", "pwd": "password", "passphrase": "password",
    "pass": "pass",  # a password column, or an exam's pass/fail: only key-like cells
    "user_password": "password", "db_password": "password", "new_password": "password",
    "old_password": "password", "temp_password": "password", "temporary_password": "password",
    "initial_password": "password", "default_password": "password", "admin_password": "password",
    "root_password": "password", "pass_word": "password", "passwort": "password", "kennwort": "password",
    "mot_de_passe": "password", "wachtwoord": "password", "senha": "password",
    # A password in clear or as its (crackable) hash, under the names legacy schemas give them.
    "plain_password": "password", "plaintext_password": "password", "clear_password": "password",
    "cleartext_password": "password", "raw_password": "password", "login_password": "password",
    "user_pass": "password", "userpass": "password", "md5_password": "password",
    "password_md5": "password", "sha1_password": "password", "password_sha1": "password",
    "password_hash": "password", "hashed_password": "password", "pass_hash": "password",
    "pwd_hash": "password", "passwordhash": "password",
    "secret": "secret", "client_secret": "secret", "secret_key": "secret", "api_key": "secret",
    "apikey": "secret", "api_secret": "secret", "api_token": "secret", "access_token": "secret",
    "auth_token": "secret", "token": "secret", "secret_access_key": "secret", "refresh_token": "secret",
    "bearer_token": "secret", "session_token": "secret", "id_token": "secret", "oauth_token": "secret",
    "aws_secret_access_key": "secret",
    # Tier-2 values a table names by column only (a date of birth, a street, a person's name):
    # shapes the prose detectors need context for (`1962-08-24` is a date of birth only under
    # `dob`; `4090 Troy Extensions` is a street without its city).
    "dob": "dob", "date_of_birth": "dob", "birth_date": "dob", "birthdate": "dob", "dateofbirth": "dob",
    "birthday": "dob", "born": "dob", "born_on": "dob", "geburtsdatum": "dob", "date_naissance": "dob",
    "d_o_b": "dob", "date_de_naissance": "dob", "fecha_nacimiento": "dob", "fecha_de_nacimiento": "dob",
    "data_nascita": "dob", "data_di_nascita": "dob", "data_nascimento": "dob", "data_de_nascimento": "dob",
    "address": "street", "street": "street", "street_address": "street", "address1": "street",
    "address_1": "street", "address_line1": "street", "address_line_1": "street", "addressline1": "street",
    "addr": "street", "addr1": "street", "home_address": "street", "mailing_address": "street",
    "billing_address": "street", "shipping_address": "street", "postal_address": "street",
    "residential_address": "street", "street_line": "street", "adresse": "street", "anschrift": "street",
    "strasse": "street", "straße": "street", "direccion": "street", "dirección": "street",
    "indirizzo": "street", "endereco": "street", "endereço": "street", "domicilio": "street",
    "morada": "street", "residenza": "street", "logradouro": "street", "adres": "street", "alamat": "street",
    "पता": "street", "địa_chỉ": "street", "住所": "street", "地址": "street", "주소": "street",
    "адрес": "street", "beneficiary_address": "street",
    "first_name": "person", "firstname": "person", "last_name": "person", "lastname": "person",
    "surname": "person", "given_name": "person", "family_name": "person", "full_name": "person",
    "fullname": "person", "middle_name": "person", "maiden_name": "person", "customer_name": "person",
    "patient_name": "person", "employee_name": "person", "contact_name": "person",
    "account_holder": "person", "cardholder": "person", "cardholder_name": "person", "vorname": "person",
    "nachname": "person", "prenom": "person", "apellido": "person", "apellidos": "person",
    "cognome": "person", "nome": "name", "fname": "person", "lname": "person", "forename": "person",
    "given_names": "person", "contact_person": "person", "next_of_kin": "person", "prénom": "person",
    "nom": "name", "nom_complet": "person", "nombre": "name", "nombre_completo": "person",
    "nominativo": "person", "nome_completo": "person", "primeiro_nome": "person", "apelido": "person",
    "naam": "name", "voornaam": "person", "achternaam": "person", "volledige_naam": "person",
    "vollständiger_name": "person",
    # A person's whole name in a form's field, in more languages (`Nom et prénom :`, `患者氏名：`).
    "nom_et_prénom": "person", "nom_et_prenom": "person", "nom_prénom": "person",
    "nombre_y_apellidos": "person", "apellidos_y_nombre": "person", "nome_e_cognome": "person",
    "cognome_e_nome": "person",
    "imię_i_nazwisko": "person", "imie_i_nazwisko": "person", "nazwisko": "person", "namn": "person",
    "för_och_efternamn": "person", "fullständigt_namn": "person", "nama_lengkap": "person",
    "họ_và_tên": "person", "họ_tên": "person", "ad_soyad": "person", "adı_soyadı": "person",
    "patientenname": "person", "nom_du_patient": "person", "nombre_del_paciente": "person",
    "nome_do_paciente": "person", "naam_patiënt": "person", "氏名": "person", "患者氏名": "person",
    "姓名": "person", "患者姓名": "person", "성명": "person", "환자명": "person", "환자 성명": "person",
    "фио": "person", "ф.и.о.": "person", "фамилия": "person", "имя_и_фамилия": "person",
    "name": "name",  # a person only in a table with another personal column (`_personal_columns`)
    "display_name": "name",
    # Personal columns whose cells the e-mail and phone detectors find by shape: they only make
    # a table's `name` column a person's.
    "email": "contact", "e_mail": "contact", "email_address": "contact", "mail": "contact",
    "phone": "contact", "mobile": "contact", "telephone": "contact", "tel": "contact", "cell": "contact",
}  # fmt: skip
# The column families above whose cells are credentials, not ids: the kind, and the fewest
# characters a value must have (a `token` cell holds key material, a password may be short).
_SECRET_COLUMNS: dict[str, tuple[str, int]] = {
    "password": ("PASSWORD", 4),
    "pass": ("PASSWORD", 6),
    "secret": ("API_KEY", 8),
}
# Every credential column name holds one of these (lower case), and so do the name columns and
# keys of a table or a record that may hold no digit (`first_name,last_name`, `"prénom": "Claire"`,
# `apellido`, `voornaam`): `_word_hint`.
_SECRET_WORDS = re.compile(r"(?i)password|passwort|secret|token|api.?key")
# A credential column's cell that states the credential's state, not its value.
_CELL_STATES = frozenset(
    {"expired", "active", "inactive", "locked", "unlocked", "revoked", "reset", "changed", "unchanged",
     "pending", "temporary", "valid", "invalid", "encrypted", "hashed", "rotated", "enabled", "disabled",
     "required", "optional", "weak", "strong", "medium"}
)  # fmt: skip
_SECRET_HINTS = (
    "pass", "pwd", "secret", "key", "token", "kennwort", "wachtwoord", "senha", "name", "nom", "apellid",
    "naam", "nazwisk", "namn", "nama", "tên", "soyad", "氏名", "姓名", "성명", "환자명", "фио", "ф.и.о",
    "фамили", "имя", "adres", "alamat", "पता", "địa chỉ", "住所", "地址", "주소", "адрес",
)  # fmt: skip
# Tier-2 column families: the kind, and the shape the whole cell must have. A date of birth: a
# date written with at least four digits ("1962-08-24", "05/20/1982", "3 March 1990"). A street:
# a house number and a word ("4090 Troy Extensions Apt. 361", "Hauptstr. 12"), never an e-mail,
# a URL or an IP address. A name: up to seven words of letters ("Mary-Ann O'Neil"), or
# "Last, First"; `_tier2_value` then checks what a shape cannot.
_NAME_WORD = r"[^\W\d_](?:[^\W\d_]|['’.-]){0,40}"
_NAME_WORDS = rf"{_NAME_WORD}(?:[ ]{_NAME_WORD}){{0,6}}"
# Each shape is matched whole (`fullmatch`); the `\A` keeps a search of one (which no caller
# makes) from trying every position of a long text.
_PERSON_SHAPE = rf"{_NAME_WORDS}(?:,[ ]{_NAME_WORDS})?"
_VALUE_COLUMNS: dict[str, tuple[str, re.Pattern[str]]] = {
    "dob": ("DATE", re.compile(r"\A(?=(?:[^0-9]{0,32}[0-9]){4})[\w.,/: -]{6,32}")),  # `1962-09-07T00:00:00`
    "street": (
        "ADDRESS",
        re.compile(
            r"\A(?=.{0,200}?(?<![^ ,/])[0-9]{1,6}[A-Za-z]?(?![^ ,/-]))(?=.{0,200}?[^\W\d_]{3})"
            r"(?=[^ ]{0,200} )[^\s@<>{}=:|][^@<>{}=|\n]{3,200}"
        ),
    ),
    # "Maria de los Angeles Garcia Lopez", "Smith, John" (a quoted cell).
    "person": ("PERSON", re.compile(r"\A" + _PERSON_SHAPE)),
}
# A bare `name` column's cell must look like a name: a capital somewhere (`support`, `web-01` are
# no one's name).
_CAPITAL = "(?=[^A-ZÀ-ÖØ-Þ]{0,80}[A-ZÀ-ÖØ-Þ])"
_VALUE_COLUMNS["name"] = ("PERSON", re.compile(r"\A" + _CAPITAL + _PERSON_SHAPE))
# The columns that make a table's `name` column a person's: a chart of accounts (`Name,Account`),
# a pin-out (`Pin,Name`) or a table of API tokens names no one.
_PERSONAL = frozenset(
    ("ssn", "itin", "tax", "passport", "iban", "rrn", "national", "dob", "street", "person", "contact")
)


def _personal_columns(columns: dict[int, str]) -> dict[int, str]:
    """The columns whose cells are read: a bare ``name`` column only beside another personal
    column (a name beside an `email`, `dob` or `ssn` may be a person's, in `id,name,price` it
    is a product's; `_table_spans` then asks that column's cells)."""
    families = columns.values()
    if "name" not in families or any(family in _PERSONAL for family in families):
        return columns
    return {index: family for index, family in columns.items() if family != "name"}


# Personal columns a business's directory has too: a bare `name` beside only these must read as a
# person's name (`_name_value`'s ``bare``), beside an id or a date of birth it is one.
_CONTACT_FAMILIES = frozenset(("contact", "street"))
_CONTACT_CELL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}|[+(]?[0-9][0-9 ().-]{6,24}")


# Cells that say nothing about anyone: a literal, a placeholder, a test row.
_EMPTY_CELLS = frozenset(
    {"null", "none", "n/a", "na", "nan", "nil", "unknown", "redacted", "test", "tbd", "default", "-", "--",
     "?"}
)  # fmt: skip


# Latin labels are found in a *word view* of the text: ASCII, lower case, one byte per code
# point, every character but letters and digits read as a space, and a space in front. Each
# label is keyed with a leading space, so the automaton leaves its root only at a word start:
# several times faster than scanning the raw text, and a label inside a word (``shipping``,
# ``database``) is never even a hit, while one after any punctuation (``x:SSN``,
# ``US-Sozial...``, ``'ssn'``) is. Accented labels are keyed the same way (``sécurité`` ->
# `` s curit ``); a label that holds punctuation (``ss#``, ``a/c``) is compared to the text.
_WORD_VIEW = bytes(
    c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or 48 <= c <= 57 else 32 for c in range(256)
)


def _word_view(text: str) -> str:
    return (b" " + text.encode("ascii", "replace").translate(_WORD_VIEW)).decode("ascii")


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _cased(label: str) -> tuple[str, str, str]:
    """A label's other cases as people write it: all capitals, each word capitalized, the
    first word only (`Số tài khoản`, `Mã bảo mật`: Vietnamese sentence case)."""
    return label.upper(), label.title(), label[:1].upper() + label[1:]


def _automaton(latin: bool) -> ahocorasick.Automaton:
    """Latin labels keyed by their word view, or the other labels (Hangul, CJK, kana) as they
    are; each maps to (length in the text, family, the label where its punctuation must be
    checked in the text, else ""). Latin column names of `_COLUMN_ONLY` are keyed too, under
    their family with a ``=`` in front: they count only as a table's header field."""
    automaton = ahocorasick.Automaton()
    entries = [(label, family) for family, labels in _LABELS.items() for label in labels]
    entries += [(name.replace("_", " "), "=" + family) for name, family in _COLUMN_ONLY.items()]
    if not latin:  # no case folding for these: Cyrillic and Greek labels as written in each case
        cased = [(variant, family) for label, family in entries for variant in _cased(label)]
        entries += cased
        # The detection view's form too (`ประจำ` is `ประจํา` there): detectors read the view.
        entries += [(normalize(label).text, family) for label, family in entries]
    for label, family in entries:
        if _latin1(label) != latin:
            continue
        key = _word_view(label) if latin else label
        if automaton.get(key, None) is None:  # the first label of a key wins (`social security`)
            exact = label if latin and not label.replace(" ", "").isalnum() else ""
            if label in _LOOSE:
                exact = ""  # any punctuation in the text (`N° SS`, `N.SS`, `C.F.`, `C F.`)
            automaton.add_word(key, (len(key) - 1 if latin else len(label), family, exact))
    automaton.make_automaton()
    return automaton


_LATIN_LABELS = _automaton(latin=True)
_LABEL_WORDS = frozenset(label for labels in _LABELS.values() for label in labels if label.isalpha())
_OTHER_LABELS = _automaton(latin=False)  # only for texts beyond Latin-1


def _anchors() -> tuple[tuple[str, ...], int]:
    """A few characters of which every non-Latin label holds one (a greedy set cover), and
    the longest such label. The automaton then reads only the windows around them: its wide
    root (one branch per Hangul, CJK or kana first character) is slow on whole texts."""
    columns = (name.replace("_", " ") for name in _COLUMN_ONLY)
    labels = {
        variant
        for label in (*(label for group in _LABELS.values() for label in group), *columns)
        if not _latin1(label)
        for cased in (label, *_cased(label))  # as `_automaton` keys them
        for variant in (cased, normalize(cased).text)
        if not _latin1(variant)  # `VERGI NUMARASI`: its capitals are ASCII (the Latin automaton's)
    }
    longest = max(map(len, labels))
    chosen: list[str] = []
    while labels:
        counts: dict[str, int] = {}
        for label in sorted(labels):
            for char in dict.fromkeys(label):
                if not char.isascii():  # a space or an ASCII letter would open a window everywhere
                    counts[char] = counts.get(char, 0) + 1
        best = max(counts, key=lambda c: (counts[c], c))
        chosen.append(best)
        labels = {label for label in labels if best not in label}
    return tuple(chosen), longest


_ANCHORS, _LONGEST_OTHER = _anchors()


def _other_hits(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """(end, start, family, False) of the non-Latin labels in ``text``."""
    windows: list[tuple[int, int]] = []
    for anchor in _ANCHORS:
        at = text.find(anchor)
        while at != -1:
            # Clamped: pyahocorasick reads past the string's end when told to (stale memory
            # gave labels beyond the text, and an IndexError below).
            windows.append((max(0, at - _LONGEST_OTHER + 1), min(len(text), at + _LONGEST_OTHER)))
            at = text.find(anchor, at + 1)
    windows.sort()
    done = 0
    for start, end in windows:
        start = max(start, done)
        if start >= end:
            continue
        # A slice, not `iter(text, start, end)`: pyahocorasick reads the whole string per call,
        # which made a text of many labels quadratic.
        for last, (length, family, _) in _OTHER_LABELS.iter(text[start:end]):
            if last + 1 - length >= 0:  # a label wholly inside this window, seen once
                yield start + last + 1, start + last + 1 - length, family, False
        done = end - _LONGEST_OTHER + 1  # a label may still start in the overlap


# Filler words allowed between a label and its value (whole words, any case), and the glue's
# tokens: a run of punctuation, or one word.
_GLUE_WORDS = frozenset(
    (
        "numbers", "number", "num", "no", "nos", "nr", "nro", "n", "numéro", "numero", "número",
        "nummer", "nummern", "is", "was", "on", "file", "of", "the", "my", "your", "his", "her",
        "their", "our", "for", "customer", "client", "holder", "reads", "given", "provided", "as",
        "es", "est", "ist", "lautet", "le", "la", "el", "de", "du", "des", "del", "di", "da", "do",
        "der", "die", "das", "und", "votre", "su", "tu", "mi", "code", "digits", "credit", "crédit",
        "crédito", "credito", "debit", "débito", "bancaire", "bancaria", "bank", "kredit", "card",
        "identification", "identity", "registration", "security", "value", "input", "field",
        "è", "é", "e", "era", "to", "jest", "är", "er", "now", "tarjeta", "carta", "cartão", "cartao",
        "bancomat",
        "karte", "ec-karte", "kartu", "atm", "della", "ke", "del", "min", "mitt", "mine", "mijn", "meu",
        "kartě", "karty", "numaram", "numarası", "numaralı",
        "minha", "carte", "карты", "карточки", "μου", "είναι", "là", "saya", "للبطاقة", "البطاقة", "spi",
        "नंबर", "संख्या",
    )
)  # fmt: skip
_CJK_GLUE = "(?:번호|는|은|이|가|号码|號碼|号|號|番号|是|为|為|码|碼|は)+"
_PUNCT = r"[ \t\r\n:：#=_.,'\"`()\[\]{}<>|*/\\~°º№-]"


def _filler_words() -> str:
    """The filler words, longest first, grouped under their first letter (``n(?:umbers|umber|
    ...)``): the regex engine then tries the one group that can match, not every word."""
    groups: dict[str, list[str]] = {}
    for word in sorted(_GLUE_WORDS - {"n"}, key=len, reverse=True):
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in groups.items())


# A filler word: a listed word not glued to a letter or digit (``DE89`` is no ``de``), ``n``
# only as ``n°``/``n.`` (``IBAN N L 4 7 ...`` starts the value), or CJK particles, which the
# value may follow at once (``安全码是2203``).
_GLUE_WORD_PATTERN = (
    f"(?i:{_filler_words()})" + r"(?![^\W_])" + rf"|[nN]\.[oO](?![^\W_])|[nN](?=[°º.#:])|{_CJK_GLUE}"
)  # `n.º` reads `n.o` in the detection view
_GLUE_WORD = re.compile(_GLUE_WORD_PATTERN)
_GLUE_MAX = 40
# The value: capitals or digits in groups, each joined by one separator (spaces around a
# dash, dot or slash allowed; a tab is a TSV delimiter, never inside a value). Bounded: read
# at most `_VALUE_MAX` characters. A line break joins two digit groups only where a wrap
# cut the number (`4111111111\n111111`, `536-22-\n8714`): no space before it, a digit after.
# A quoted e-mail's `>` markers and an indent may start the next line. `_` and `+` (a form-
# encoded space) join groups as a dash does.
_VALUE = re.compile(
    r"[0-9A-Z]++(?:(?: {0,2}[-./_+] {0,2}| {1,2}|(?<=[0-9])[-./]?\r?\n(?:[ \t]{0,4}>)*[ \t]{0,4}(?=[0-9]))"
    r"[0-9A-Z]++)*+"
)
_VALUE_MAX = 80
# Between two values of one list: a comma, semicolon or slash, `and`/`or` (EN, DE, FR, ES, IT),
# quotes of a JSON array; nothing else (`SSN 536228714, 2 copies` ends the list at `2`).
_LIST_NEXT = re.compile(
    r"[\"']?(?:[ \t]*\([^()\n]{1,24}\))?[ \t]*(?:[,;/][ \t]*(?:(?i:and|or)[ \t]+)?"
    r"|[ \t](?i:and|or|und|oder|et|ou|y|o|e)[ \t]+)[ \t]*[\"']?"
    r"(?P<name>[A-Z][a-z]{1,19}[ \t]+(?=[0-9]))?"  # a name before the item: `Alice 123..., Bob 876...`
)
_LIST_MAX = 50  # items read after one label
# Markup between a label and its value: `<td>CVV</td><td>123`, `<b>PIN:</b> 4821`.
_TAG = r"</?(?i:td|th|b|strong|em|i|u|span|label|dt|dd|div|p|code|kbd|font|small)(?:[ \t][^<>\n]{0,60})?>"
# (A tag is tried first at each `<`: punctuation runs stop before one.)
_GLUE_VALUE = re.compile(
    rf"(?:{_TAG}|{_PUNCT.replace('<', '')}++|<|{_GLUE_WORD_PATTERN})*+({_VALUE.pattern})"
)
_PUNCT_VALUE = re.compile(rf"{_PUNCT}*+({_VALUE.pattern})")
_SPLIT = re.compile(r"([^0-9A-Z]+)")  # a value's separators, kept by `split`
_DM = r"(?:0?[1-9]|[12]\d|3[01])"  # a day or a month
_DATE = re.compile(
    rf"(?:(?:19|20)\d\d[-./]{_DM}[-./]{_DM}|{_DM}[-./]{_DM}[-./](?:\d\d|(?:19|20)\d\d)"
    rf"|{_DM}[-./](?:19|20)\d\d|(?:19|20)\d\d(?:[-./ ]+(?:19|20)\d\d)*)"
)
_AMOUNT = re.compile(r"[1-9]\d{0,2}(?:[.,]\d{3})+|\d+[.,]\d{1,2}")  # an amount has no leading zero
# A CVV written digit by digit (one separator throughout) or wrapped over a line break.
_SHORT_CODE = re.compile(
    r"[0-9](?:([-. ])[0-9](?:\1[0-9]){1,2}|[0-9]{0,2}[ \t]*+\r?\n[ \t]*+[0-9]{1,3})(?![0-9A-Za-z])"
)
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_LOWER = re.compile("[a-z]")
# A value in small letters: an id's own shape (prefix letters, digits, a check letter), or a
# shape whose checksum holds (codice fiscale, DNI/NIE, IBAN).
_LOWER_SHAPE = re.compile(r"[a-z]{0,2}[0-9]{5,}[a-z]?")
_APART = re.compile(r"[a-z]{1,2}[^a-z0-9]")
# Labels after which an amount is read as an amount ("card balance 1,200"); a routing number
# is nine digits whatever dots group them ("123.307.884").
_DE_PASSPORT = str.maketrans(dict.fromkeys("CFGHJKLMNPRTVWXYZ0123456789"))
_PASSPORT_SCRIPTS = ("여권", "护照", "護照", "パスポート", "旅券")  # passport words without case
_CARD_LIKE = frozenset(("account", "card", "cvv", "pin"))
_SHORT_CODES = frozenset(("cvv", "pin", "otp"))
_YEAR_LIKE = re.compile(r"(?:19|20)[0-9]{2}")  # `PIN now 2024-compliant`: a year in a compound
# Families whose reading a checksum or a registry length picks (`_pick`), wrapped or not.
_CHECKED_READINGS = frozenset(("card", "iban"))


def _word_hint(text: str) -> bool:
    """Whether ``text`` may hold a passport label or a credential column's name, the two kinds
    of value that need no digits: `pass`, `pasaporte` or `paspoort` in any case, a word of
    `_PASSPORT_SCRIPTS`, or one of `_SECRET_HINTS`. What the regex
    ``(?i)pass|pasaporte|paspoort|여권|...`` finds, by `in` tests on one lowered copy, several
    times faster (a text without digits pays this test in full). ``ſ`` is the one code point
    that lowers to itself yet matches one of these letters case-insensitively (an `s`)."""
    low = text.lower()
    if not text.isascii():
        if any(word in text for word in _PASSPORT_SCRIPTS):
            return True
        low = low.replace("ſ", "s")
    if "pas" in low and ("pass" in low or "pasaporte" in low or "paspoort" in low):
        return True
    return any(hint in low for hint in _SECRET_HINTS)


class LabeledIdDetector:
    """Tier-1 values (SSN, ITIN, passport, bank, IBAN, card, CVV, PIN, national ids) after
    their label, or in a table column their label names; dates of birth, streets and names in
    a table column that names them."""

    name = "labeled_ids"

    def detect(self, text: str) -> Iterator[Span]:
        found = scan(text)
        if (
            b"00" not in found.shape  # the common case: the separator shape is not even needed
            and b"0s0" not in found.sepshape
            and b"0ss0" not in found.sepshape
            and not _word_hint(text)
        ):
            return  # every value holds two digits in a row or with separators, but a passport's
            # may hold one digit among capitals (`Pass-Nr. FJYFWKX3V`) or none (`CFGHJKLMN`),
            # and a credential column's cells anything (`password` then `hunter`)
        hits: list[tuple[int, int, str, bool]] = [
            (last, last - length, family, True)  # the view is one longer: `last` is the end
            for last, (length, family, exact) in _LATIN_LABELS.iter(_word_view(text))
            if not exact or text[last - length : last].lower() == exact
        ]
        if not text.isascii() and not _latin1(text):
            hits.extend(set(_other_hits(text)))  # no case to fold; windows may overlap
        if len(hits) > 1:
            hits.sort()  # by end, the longest label first (`US-Sozialversicherungsnummer`)
        done = 0
        tables: _Tables = {}
        blocks: dict[str, tuple[int, int]] = {}  # the lines of the last CSV table per delimiter
        for end, start, family, latin in hits:
            prev = text[start - 1] if start else "\n"
            if latin and prev.isalpha():
                continue  # inside a word
            if prev in "_." and family in _PREFIXED_HITS:  # `customer_first_name`, `contact.lastName`
                start = _identifier_start(text, start)
                prev = text[start - 1] if start else "\n"
            whole_field = (
                prev in _FIELD_BEFORE
                and (  # spaces may indent it (a SQL column list)
                    prev != " " or text[max(0, start - 16) : start - 1].rstrip(" ")[-1:] in _FIELD_STARTS
                )
            )
            if whole_field and _FIELD_END.match(text, end) is not None:  # maybe a header's field
                _header_field(text, start, end, tables, blocks)
            if family in _KEYED_HITS and (keyed := _keyed_value(text, start, end, family[1:])) is not None:
                yield Span(keyed[0], keyed[1], keyed[2], f"rules:{self.name}", 0.9, family[1:])
                continue
            if end < done or family[0] == "=":
                continue  # a column name only
            if family in _NOT_AFTER and _NOT_AFTER[family].search(text, max(0, start - 12), start):
                continue  # `USt-IdNr.` (a company's VAT id), `GL account` (a ledger's, not a bank's)
            if latin and end < len(text) and text[end].isalpha() and not _glue_word_at(text, end, len(text)):
                continue  # the label runs on into a word (`cardinal`), not a filler (`PIN码`)
            value = self._value(text, end, family)
            if value is not None:
                v_start, v_end, kind = value
                yield Span(v_start, v_end, kind, f"rules:{self.name}", 0.9, family)
                done = v_end
                # A list after one label (`SSNs: 536228714, 537228714 and 538228714`, a JSON
                # array): each next item of the family's shape is a value too.
                for _ in range(_LIST_MAX):
                    item = self._list_item(text, done, family)
                    if item is None:
                        break
                    yield Span(item[0], item[1], item[2], f"rules:{self.name}", 0.9, family)
                    done = item[1]
        yield from self._table_spans(text, _html_cells(text))
        # Each table is read up to the next header at most: linear however many headers.
        heads = sorted(tables)
        for at, limit in zip(heads, [*heads[1:], len(text)], strict=False):
            stop, delimiter, columns = tables[at]
            columns = _personal_columns(columns)
            if delimiter == "(":
                cells = _sql_cells(text, stop, limit, columns)
            elif delimiter == "copy":
                cells = _copy_cells(text, stop, limit, columns)
            else:
                cells = _csv_cells(text, at, limit, delimiter, columns)
            yield from self._table_spans(text, cells)

    def _table_spans(self, text: str, cells: Iterable[_Cell]) -> Iterator[Span]:
        """The spans of a table's cells, in order. A bare ``name`` column's cells count only
        once a cell of a personal column holds its value (a date of birth, a street, an
        e-mail, a phone number...): `name,address` over IPs, contracts or URLs names no one.
        A ``contact`` cell only vouches: the e-mail and phone detectors find its value."""
        vouched = ""  # "", then "contact" (an e-mail, phone or street: a shop has them too) or "id"
        names: list[Span] = []
        for c_start, c_end, family in cells:
            if family == "contact":
                if not vouched and _CONTACT_CELL.fullmatch(text, c_start, c_end):
                    vouched = "contact"
                    yield from (n for n in names if _name_value(text[n.start : n.end], bare=True))
                    names.clear()
                continue
            kind = self._cell(text, c_start, c_end, family)
            if kind is None:
                continue
            span = Span(c_start, c_end, kind, f"rules:{self.name}", 0.9, family)
            if family == "name":
                if not vouched:
                    names.append(span)
                elif vouched == "id" or _name_value(text[c_start:c_end], bare=True):
                    yield span
                continue
            if vouched != "id" and family in _PERSONAL:
                strong = family not in _CONTACT_FAMILIES
                yield from (n for n in names if strong or _name_value(text[n.start : n.end], bare=True))
                names.clear()
                vouched = "id" if strong else vouched or "contact"
            yield span

    def _list_item(self, text: str, end: int, family: str) -> tuple[int, int, str] | None:
        """The value after a list separator at ``end`` (`, `, ` and `, `","`), read as
        the first one was (its shape, its checksum), or None."""
        sep = _LIST_NEXT.match(text, end)
        name = None if sep is None else sep.group("name")
        if sep is None or (name is not None and name.rstrip().lower() in _LABEL_WORDS):
            return None  # `..., Routing 021000021`: the next label, not a name
        at = sep.end()
        value = _VALUE.match(text, at, min(len(text), at + _VALUE_MAX))
        if value is None or text[at : value.end()].split(" ", 1)[0].isalpha():
            return None  # a word first: the next label (`DNI 12345678Z, CF RSSMRA...`), not an item
        return self._upper_value(text, at, family, value.span())

    def _value(self, text: str, end: int, family: str) -> tuple[int, int, str] | None:
        span = _value_span(text, end)
        found = None if span is None else self._upper_value(text, end, family, span)
        if found is None and (_FAMILIES[family].alnum or family == "account"):
            # A value in small letters (`codice fiscale: crvmrn69p11d228s`, `DNI 12345678z`) is
            # the same value: read it in capitals, but take it only when its checksum or its
            # id shape holds (`_lower_ok`), which keeps hex strings and words out.
            if span is not None and "A" <= text[span[0]] <= "Z":
                return None  # `Account: Williams PLC`: read in capitals, the value starts at the
                # same place (the glue ignores case), and a capital there fails `_lower_ok`
            stop = min(len(text), end + _GLUE_MAX + _VALUE_MAX + 1)
            if _ASCII_LOWER.search(text, end - 1, stop) is not None:
                upper = text[end - 1 : stop].translate(_ASCII_UPPER)
                upper_span = _value_span(upper, 1)
                lower = None if upper_span is None else self._upper_value(upper, 1, family, upper_span)
                if lower is not None and _lower_ok(text[end - 1 + lower[0] : end - 1 + lower[1]]):
                    return end - 1 + lower[0], end - 1 + lower[1], lower[2]
        return found

    def _upper_value(
        self, text: str, end: int, family: str, span: tuple[int, int]
    ) -> tuple[int, int, str] | None:
        """The value in capitals whose glue and groups `_value_span` found at ``span``."""
        at, stop = span
        if at - end > _GLUE_MAX or (at == end and text[at - 1].isascii() and text[at - 1].isalnum()):
            return None  # `SSN123456789`: the label runs into the value, not a label
        if at - end > 1 and text.count("\n", end, at) > 1:
            return None  # two line breaks: the label heads something else
        if family == "account" and (code := _BANK_CODE.match(text, at, stop)) is not None:
            at = code.end()  # `no rek BCA 1234567890`, `account HSBC 12345678`: the bank, then the number
        if family == "account" and text[at : at + 2].isalpha():
            family = "iban"  # `IBAN de la cuenta: IT21 ...`, `Konto: DE89 ...`: an IBAN's shape
        elif family == "card" and _PAN.match(text, at):
            family = "pan"  # `PAN HLBPA2681W`: India's tax id, not a card's account number
        elif family == "cvv":
            short = _SHORT_CODE.match(text, at)
            digits = "" if short is None else short.group().translate(_NOT_ALNUM_ASCII)
            if short is not None and 3 <= len(digits) <= 4 and digits.count(digits[0]) < len(digits):
                return (at, short.end(), "CVV")  # `CVV: 1-2-3`, `CVV 49\n39` (wrapped)
        spec = _FAMILIES[family]
        if not spec.alnum and not text[at].isdigit():
            return None
        for v_end, compact in _pick(text, at, min(stop, at + _VALUE_MAX), family):
            after = text[v_end : v_end + 1]
            if (after.isalnum() and after.isascii()) or after == "@":
                continue  # glued to more: try a shorter reading (`BSN is 634343956. Groeten`); a
                # particle after it is no more of it (`暗証番号は1234です`, `4821입니다`)
            if text.startswith(_NOT_A_VALUE_AFTER, v_end):
                return None  # an example or a date (`暗証番号は1234などの番号を避けて`, `2024年`)
            compound = text[v_end : v_end + 1] == "-" and text[v_end + 1 : v_end + 2].isalpha()
            if compound and family in _SHORT_CODES and _YEAR_LIKE.fullmatch(compact):
                continue  # `PIN now 2024-compliant`: a compound word, not a code
            if spec.alnum and not _alnum_ok(family, compact):
                continue
            kind = _kind(text[at:v_end], compact, family)
            if kind is not None and family == "national" and text[v_end : v_end + 1] == "(":
                check = _HK_CHECK.match(text, v_end)
                if check is not None and _HKID.fullmatch(compact):
                    v_end = check.end()  # Hong Kong: `A123456(7)`, the check digit in parentheses
            return None if kind is None else (at, v_end, kind)
        return None

    @staticmethod
    def _cell(text: str, start: int, end: int, family: str) -> str | None:
        """The kind of a table cell under a labeled column: the whole cell must be the value."""
        valued = _VALUE_COLUMNS.get(family)
        if valued is not None:
            cell = text[start:end]  # a slice: the look-behinds must not see the delimiter
            return valued[0] if _tier2_value(cell, family) else None
        secret = _SECRET_COLUMNS.get(family)
        if secret is not None:
            kind, shortest = secret
            cell = text[start:end]
            if end - start < shortest or "\n" in cell or is_placeholder(cell) or is_mask(cell):
                return None  # empty, `N/A`, `null`, `********`, `<your password>`, a separator row
            if cell.lower() in _CELL_STATES:
                return None  # the credential's state (`expired`, `locked`), not its value
            if " " in cell and (_SECRET_WORDS.search(cell) or (cell[0] == "(" and cell[-1] == ")")):
                return None  # words about the column ("the password column is hashed", "(set at install)")
            if (kind == "API_KEY" or family == "pass") and not credential_like(cell, shortest):
                return None  # a `token` column of words (an NLP dataset), `pass` of PASS/FAIL
            return kind
        value = _VALUE.match(text, start, end)
        if value is None or value.end() != end:
            return None
        for v_end, compact in _pick(text, start, end, family, whole=True):
            if v_end == end and (not _FAMILIES[family].alnum or _alnum_ok(family, compact)):
                return _kind(text[start:end], compact, family)
        return None


def _value_span(text: str, end: int) -> tuple[int, int] | None:
    """Where the capitals and digits after a label's glue start and end: the glue and the
    value in one C-speed match (the common miss, `Account: anderson`, fails there at once)."""
    stop = min(len(text), end + _GLUE_MAX + _VALUE_MAX)
    found = _PUNCT_VALUE.match(text, end, stop)  # a digit after punctuation: the usual case
    if found is None or text[found.start(1)].isalpha():  # maybe a filler word (`Nr.`, `No`)
        found = _GLUE_VALUE.match(text, end, stop)
        if found is None:
            return None
    return found.span(1)


def _kind(raw: str, compact: str, family: str) -> str | None:
    """The kind of a value the label of ``family`` announces, None for a look-alike: a date,
    an amount, one digit repeated, a document's number with a year (`POL-2024-01`)."""
    if family == "record" and _YEAR_GROUP.search(raw):
        return None
    if raw is compact or len(raw) == len(compact):  # one group: a year is the only date
        if len(raw) == 4 and raw[:2] in ("19", "20") and family not in ("pin", "cvv"):
            return None  # "PIN 2099" is a PIN: nobody labels a year "PIN"
    elif _DATE.fullmatch(raw) or (family in _CARD_LIKE and _AMOUNT.fullmatch(raw)):
        return None
    if compact.count(compact[0]) == len(compact) and family not in ("pin", "cvv"):
        return None  # `000000000`: a placeholder; `PIN 0000` and `CVC 222` are codes people pick
    if family == "ein" and _EIN.fullmatch(raw) is None:
        return None  # `ein 123456789` (German "a"): an EIN is printed 12-3456789
    if family == "sin" and not luhn.is_valid(compact):
        return None
    kind = _FAMILIES[family].kind
    if family == "ssn" or (family in ("tax", "itin") and len(compact) == 9 and compact.isdigit()):
        kind = "US_ITIN" if family == "itin" or compact[0] == "9" else "US_SSN"  # as `us_ssn.kind_of`
        if family == "tax" and kind == "US_SSN":
            kind = "NATIONAL_ID"  # an EIN or another country's tax number
    return kind


def _pick(text: str, start: int, stop: int, family: str, *, whole: bool = False) -> list[tuple[int, str]]:
    """Where the value's groups may end for the kind, with the compact value, best first: the
    longest that passes the kind's checksum (card, IBAN), then the others, longest first.
    ``whole``: only the reading of every group (a table cell)."""
    spec = _FAMILIES[family]
    value = text[start:stop]
    if value.isalnum():  # one group (`"card_number": "4033..."`): no reading to choose
        if not spec.min_len <= len(value) <= spec.max_len:
            return []
        if not value.isdigit() and (
            not spec.alnum or (value.isalpha() and not _letters_allowed(family, 0, value, ""))
        ):
            return []
        return [(stop, value)]
    compact = ""
    fits: list[tuple[int, str]] = []
    parts = _SPLIT.split(value)  # group, separator, group, ...: one C call
    parts.append("")  # a last separator: each group comes with the one after it
    pos = start
    min_len, max_len, alnum, one_group = spec.min_len, spec.max_len, spec.alnum, spec.one_group
    for index in range(0, len(parts) - 1, 2):
        chunk = parts[index]
        if alnum:
            if chunk.isalpha() and not _letters_allowed(family, index // 2, chunk, compact):
                break
        elif not chunk.isdigit():
            break
        length = len(compact) + len(chunk)
        if length > max_len or (one_group and index):
            break
        compact += chunk
        pos += len(chunk)
        if length >= min_len:
            fits.append((pos, compact))
        pos += len(parts[index + 1])
    if whole:
        fits = fits[-1:] if fits and fits[-1][0] == stop else []
    elif family not in _CHECKED_READINGS and len(fits) > 1 and "\n" in value:
        # A wrapped value is read over its line break only when its first line holds none:
        # `Account: 12345678` then `2024 report` is the account and a heading.
        wrap = start + value.index("\n")
        fits = [fit for fit in fits if fit[0] <= wrap] or fits
    if len(fits) < 2:
        return fits
    fits.reverse()
    if family == "iban":  # the registry's length first (only it can pass), valid or mistyped
        size = _bban_format(fits[0][1][:2])
        sized = [fit for fit in fits if size is not None and len(fit[1]) == size.length]
        return sized + [fit for fit in fits if fit not in sized]
    if family == "card":  # the longest that passes Luhn
        valid = next((fit for fit in fits if luhn_sum_ok(fit[1])), None)
        return fits if valid is None else [valid, *(fit for fit in fits if fit is not valid)]
    return fits


# -- tables: a CSV/TSV header row or a SQL column list that names a labeled column --------
_DELIMITERS = ",\t;|"
_FIELD_STARTS = frozenset(",\t;|(\n")
_CELL_STRIP = " \t\r'\""
_FIELD_BEFORE = _FIELD_STARTS | frozenset(_CELL_STRIP + "`[*")  # `*`: a Markdown **bold** header
# What may follow a label at the end of a header field: a column suffix (`_number`), then a
# delimiter, a closing parenthesis (SQL) or the line's end.
_FIELD_END = re.compile(r"(?i:[ _-]?(?:number|num|no|nr|nbr|code|value|id))?[ .\r\"'`\]*]*+(?:[,;|\t)\n]|\Z)")
_LINE_MAX = 2000  # a header row (or SQL column list) longer than this is not read
_COLUMN_NORMALIZE = str.maketrans({" ": "_", "-": "_", ".": "_", '"': "", "'": "", "`": "", "[": "", "]": ""})
_COLUMN_SUFFIXES = ("_number", "_no", "_num", "_nr", "_nbr", "number", "_code", "_value")
_SQL_VALUES = re.compile(r"\)[ \t\r\n]*values[ \t\r\n]*\(", re.IGNORECASE)
_COPY_FROM = re.compile(r"\)[ \t]*from[ \t]+stdin[^\n]{0,200}\n", re.IGNORECASE)
# A quoted value may hold doubled quotes (standard SQL) or backslash escapes (MySQL: `'it\\'s'`).
_SQL_TOKEN = re.compile(r"'(?:[^'\\\n]|''|\\.)*+'|\"[^\"\n]*+\"|[^,'\"()]++|[,()]")


def _columns() -> dict[str, str]:
    columns = {
        label.translate(_COLUMN_NORMALIZE): family
        for family, labels in _LABELS.items()
        for label in labels
        if label[-1] not in ":#"
    }
    columns.update(_COLUMN_ONLY)
    return columns


_COLUMNS = _columns()
_Cell = tuple[int, int, str]  # start, end, family
_Tables = dict[int, tuple[int, str, dict[int, str]]]  # header offset -> (end, delimiter, columns)


def _column_family(field: str) -> str | None:
    """The family a whole header field names (``tax_id``, ``Card Number``), or None
    (``session_id``, ``accounts_count``). A tier-2 column may carry a prefix
    (``customer_first_name``, ``contact.firstName``, ``patient_dob``), unless it names a
    machine's (``ip_address``, ``wallet_address``)."""
    name = field.strip(_CELL_STRIP + "`[]*\n").lower().translate(_COLUMN_NORMALIZE).strip("_")
    family = _COLUMNS.get(name)
    if family is None:
        for suffix in _COLUMN_SUFFIXES:
            if name.endswith(suffix):
                return _COLUMNS.get(name[: -len(suffix)])
        head, _, rest = name.partition("_")
        while rest and head not in _MACHINE_PREFIXES:
            family = _COLUMNS.get(rest)
            if family in _PREFIXABLE:
                return family
            head, _, rest = rest.partition("_")
        return None
    return family


# Not `name` (`company_name`, `file_name`) nor a contact (`support_email` is a role's).
_PREFIXABLE = frozenset(("dob", "street", "person"))
_PREFIXED_HITS = frozenset("=" + family for family in _PREFIXABLE)
_IDENTIFIER_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.")


# A record's key before its value: JSON/Python (`"first_name": "Olga"`), YAML (`FIRST_NAME: Sven`),
# .env/INI/kwargs (`last_name=Ivanova`). The value is quoted, or runs to the line's end or a comma.
_KEYED_HITS = frozenset(("=person", "=street", "=name"))  # a date of birth's key is the dates detector's
# A key of the same record that makes a bare `name` a person's (`{"name": "Danielle Brooks", "email":
# ...}`), within `_RECORD_REACH` characters: an e-mail, a phone, a date of birth, a street, an SSN.
_PERSONAL_KEY = re.compile(
    r"(?i)[\"']?(?<![\w-])(?:e-?mail|email_address|phone|mobile|tel|cell|address|street"
    r"|(?P<id>dob|date_of_birth|birth_?date|birthday|ssn|first_name|last_name|surname))[\"']?"
    r"(?:[ \t]{0,4}[:=]|[ \t]{1,4}\|(?=[ \t]{0,4}[^\s|]))"  # a Markdown row's next cell
    r"(?![ \t]*(?:null|None|nil|~|\"\"|''|,|\}|$))"  # with a value: `"phone": null` vouches for no one
)
_RECORD_REACH = 300
# Also logfmt and query strings (`first_name=Olga last_name=Ivanova`, `?first_name=Olga&...`),
# PHP arrays (`'last_name' => 'Ivanova'`), XML elements (`<firstName>Olga</firstName>`) and
# attributes, SQL (`WHERE last_name = 'Reed' AND ...`), JSON inside a JSON string (`\"`).
_KEYED = re.compile(
    r"""(?i:[ _-]?(?:en|1))?\\?["']?(?:>(?P<xml>[^<\n]{1,120})</"""
    r"""|=(?P<kv>[^\s&"',;<>=\\]{1,64})(?=[\s&,;]|\Z)"""
    # A Markdown row: `| Name | Jo Wu |`.
    r"""|[ \t]{1,8}\|[ \t]{1,8}(?P<md>[^|\n]{1,120}?)[ \t]{0,64}(?=\|)"""
    r"""|[ \t]{0,8}(?:=>|[:=])[ \t]{0,8}(?:\\?"(?P<dq>[^"\\\n]{1,120})\\?"|'(?P<sq>[^'\n]{1,120})'"""
    r"""|(?P<bare>[^\s"'{\[(<#&*|>!%@`\\][^\n,}#]{0,119}?)[ \t]*(?=[,;)}\]\n\r#]|\Z)))"""
)
_KEY_GROUPS = ("dq", "sq", "xml", "kv", "md", "bare")
# A given name after a family name and a comma (`GONZALEZ, Maria`, `Whitaker, John Paul`) to the line's end.
_GIVEN_AFTER = re.compile(r",[ ]?(?:[A-Z][a-z'’-]+[ ]?){1,3}(?=[ \t]*(?:\r?\n|\Z))")
_LINE_REACH = 240  # a key's line read at most this far either way (one long line stays linear)
_ROW_END = re.compile(r"[ \t]{0,64}\|[ \t]*(?:\r?\n|\Z)")


def _line_head(text: str, start: int) -> str:
    """What stands before ``start`` on its line, if that is short; else ``"…"`` (a long line's
    key is no record's key at its start, and reading back further would be quadratic)."""
    lo = max(0, start - _LINE_REACH)
    line_start = text.rfind("\n", lo, start)
    if line_start == -1 and lo > 0:
        return "…"
    return text[line_start + 1 : start]


# An address under its label that the address grammar does not read, to the line's end: a street
# type written first (Polish `ul.`, Indonesian `Jl.`, Vietnamese `Số`, Indian `Flat 525, ...`), or
# parts after a comma ending in a postcode (`..., 31-042 Kraków`, `..., Mumbai 400053`, `114 51`).
_LABELLED_ADDRESS = re.compile(
    # A place's name somewhere: a capitalized word or a word beyond ASCII (`0x08000000, length
    # 65536` and `10.0.0.1, port 8080` under `Start address:` or `IP address:` hold none).
    r"(?=[^\n]{0,160}?(?:[A-ZÀ-Þ][a-zà-ÿ]{2}|[^\x00-\x7f]{2}))"
    r"(?:(?:(?i:ul|al|os|pl|jl|jln)\.[ ]?|(?i:jalan|flat|plot|số|house no\.?)[ ])[^\n]{3,160}"
    r"|(?![a-z])(?=[^\n,]{0,80}[0-9])[^\n,]{3,80}(?:,[^\n,]{1,60}){0,4},[ ]?[^\n,]{0,40}"  # a number first
    r"(?<![0-9])(?:[0-9]{2}-[0-9]{3}|[0-9]{3}[ ][0-9]{2}|[0-9]{4,6})(?![0-9])[^\n,]{0,40})"
)
_KEY_BEFORE = frozenset("\"' \t\n{,(?&<>;$\\")
# Types and literals a schema or a class writes where a record holds the value.
_TYPE_WORDS = frozenset(
    {"str", "string", "text", "varchar", "char", "optional", "any", "name", "date", "datetime",
     "timestamp", "localdate", "true", "false", "required", "object", "none", "unknown", "redacted"}
)  # fmt: skip


def _tier2_value(value: str, family: str) -> bool:
    """Whether a cell or a key's value is what its column names: of the column's shape, no
    literal or placeholder; a person's name no label, type, status, code or organisation
    (`_name_value`); a street with its house number first or one the address grammar reads
    ("8 Kingsway", "Hauptstr. 12"; not "Port 8080", "Building 42", "e.g. 123 Main St")."""
    kind, shape = _VALUE_COLUMNS[family]
    if shape.fullmatch(value) is None or value.lower() in _EMPTY_CELLS:
        return False
    if kind == "PERSON":
        return _name_value(value)
    if kind == "ADDRESS":
        return _HOUSE_FIRST.match(value) is not None or any(
            span.start == 0 for span in _ADDRESSES.detect(value)
        )
    return True


_HOUSE_FIRST = re.compile(r"[0-9]{1,6}[A-Za-z]?(?:[-/][0-9]{1,5}[A-Za-z]?)?,?[ ]+[^\W\d_]{2}")
_ADDRESSES = AddressDetector()
# Words a form, a schema or a status puts where a record holds a name (any case).
_NOT_NAMES = frozenset(
    {"string", "text", "required", "optional", "true", "false", "yes", "no", "guest", "anonymous",
     "deleted", "deprecated", "placeholder", "example", "sample", "user", "admin", "administrator",
     "system", "support", "bot", "service", "pending", "mandatory", "ok", "todo", "varchar", "char",
     "integer", "int", "boolean", "bool", "date", "email", "name", "first", "last", "value", "field",
     "label", "title", "description", "type", "blank", "empty", "invalid", "valid", "missing", "none",
     "nobody", "someone", "customer", "client", "owner", "member", "contact", "team", "staff",
     "unknown", "various", "multiple", "other", "same", "see", "above", "below", "n/a", "test", "card",
     "vacant", "cash", "walk-in", "hidden", "masked", "sensitive", "renamed", "principal", "visa",
     "mastercard", "amex", "имя", "фамилия", "отчество", "名", "姓", "名前", "氏名", "姓名", "이름", "성",
     "성명", "必須", "任意", "不明", "未記入", "未入力", "必填", "未知", "필수", "선택", "없음", "미상"}
)  # fmt: skip
# Words of a business's, a place's or a product's name that no person's name holds.
_BUSINESS_WORDS = frozenset(
    {"traders", "trading", "digest", "clinic", "pharmacy", "dental", "bakery", "cafe", "café", "shop",
     "labs", "lab", "studio", "studios", "north", "east", "west", "central", "hq", "headquarters",
     "branch", "helpdesk", "concierge", "newsletter", "bot", "app", "api", "sales", "marketing",
     "billing", "info", "noreply", "dept", "department", "hotel", "restaurant", "bar", "pub", "gym",
     "salon", "spa", "hospital", "school", "university", "college", "academy", "church", "bank",
     "foundation", "institute", "agency", "consulting", "logistics", "motors", "auto", "garage",
     "farm", "mart", "foods", "kitchen", "grill", "pizza", "express", "systems", "tech",
     "technologies", "software", "digital", "media", "press", "news", "radio", "tv", "network",
     "club", "society", "association", "council", "committee", "city", "county", "national",
     "international", "global", "holdings", "ventures", "capital", "fund", "trust", "office", "store",
     "warehouse", "team", "center", "centre", "services", "solutions", "partners", "group", "plaza", "inn",
     "resort", "lodge", "suites", "motel", "hostel", "tavern", "diner", "bistro"}
)  # fmt: skip
# Lowercase words a name may hold ("Ana de la Cruz", "Ludwig van Beethoven", "bin Laden").
_PARTICLES = frozenset(
    {"de", "del", "della", "der", "den", "des", "di", "da", "do", "dos", "das", "du", "la", "le", "van",
     "von", "zu", "y", "e", "bin", "ibn", "al", "el", "ten", "ter", "st."}
)  # fmt: skip
# Code in a value: a dotted name (`PropTypes.string`), a capital inside a word (`CharField`;
# not `McDonald`, `MacLeod`, `DeVries`, `LeBlanc`, `DiCaprio`), an underscore.
# (The name prefixes are checked after the small letter: `McAllister`, `MacDonald`, `DeShawn`,
# `LaToya`, `DiCaprio` are names; `fooBar`, `userName` are code.)
_CODE_NAME = re.compile(r"\w\.\w|[a-z](?<!Mc)(?<!Mac)(?<![DL]e)(?<![DL]a)(?<!Di)[A-Z]|_")


# A form's instruction where its value goes (`氏名：記入してください`, `성명: 입력하세요`).
_INSTRUCTION = re.compile(
    r"ください|下さい|하세요|하십시오|입력|请|請|填写|填寫|記入|入力|必填|기입|기재|서명|본인|见附件|見附件|附件|添付|記載"
    # Words of an instruction or a note in the other languages of the name labels (whole words).
    r"|(?i:(?<![^\W\d_])(?:wymagane|wpisz|brak|полностью|указать|смотри|приложени[ея]|jointe|anexo|harf"
    r"|length|required|attached|attachment)(?![^\W\d_]))"
)


def _name_value(value: str, *, bare: bool = False) -> bool:
    """A person's name: not a column's label (``First name``, ``Prénom``), code, a sentence (a
    lowercase word that is no particle such as ``de`` or ``van``), a word of a form or a status
    (``String``, ``Guest``, ``Walk-in``), only common words (``Support Team``), or an
    organisation (``Acme Corporation``). Under a bare ``name`` (``bare``) a person's name is two
    words at least, none a common or a business word (``Northwind Traders``, ``Berlin Office``)."""
    if _CODE_NAME.search(value) or _column_family(value) is not None or _INSTRUCTION.search(value):
        return False
    words = value.replace(",", " ").split()
    if any(word.islower() and word not in _PARTICLES for word in words):
        return False  # a sentence or a label ("Le prénom est obligatoire", "Your first name")
    if any(word.lower() in _NOT_NAMES for word in words) or all(map(is_common_word, words)):
        return False
    if bare and (
        len(words) < 2 or any(is_common_word(word) or word.lower() in _BUSINESS_WORDS for word in words)
    ):
        return False  # under a bare `name`: a directory of shops, offices and teams, not people
    return not any(designators_only(word) for word in words)


# A record's data beside a key (a date, a phone, a number, an e-mail): a lowered export's names
# stand among such values; a translation file or a field mapping (`"last_name": "nachname"`)
# holds only words.
_RECORD_DATA = re.compile(r"[0-9]{4}|@[a-z0-9-]+\.")
_LOWER_NAME = re.compile(r"[a-z][a-z'’-]{1,30}(?: [a-z][a-z'’-]{1,30}){0,2}")


def _lowercase_name(value: str) -> bool:
    """A name exported in lower case under a person's key (``"first_name": "maria"``, a lowered
    dump, quoted, with a record's data nearby): one to three words of letters, none a common
    English word, a form's or a schema's word (``required``, ``string``, ``null``): those stay,
    as the case rules of `_name_value` would leave them."""
    words = [word for word in value.split() if word not in _PARTICLES]  # `van der berg`
    return (
        _LOWER_NAME.fullmatch(value) is not None
        and bool(words)
        and not any(
            is_common_word(word) or word in _NOT_NAMES or word in _TYPE_WORDS or word in _EMPTY_CELLS
            for word in words
        )
    )


def _keyed_value(text: str, start: int, end: int, family: str) -> tuple[int, int, str] | None:
    """The value of a record's key that names a person or a street (``"first_name": "Olga"``,
    ``address: 17 Maple Ave``; a bare ``name`` beside a personal key): checked as a table cell
    is; an unquoted name needs a capital (``first_name: str`` is a type)."""
    if start and text[start - 1] not in _KEY_BEFORE:
        return None
    match = _KEYED.match(text, end)
    if match is None:
        return None
    vouched = _personal_record(text, start, match.end()) if family == "name" else "id"
    if not vouched:
        return None
    group = next(name for name in _KEY_GROUPS if match.group(name) is not None)
    if group == "md" and (_line_head(text, start).strip() != "|" or not _ROW_END.match(text, match.end())):
        return None  # a two-cell row whose first cell is the key alone
    v_start, v_end = match.span(group)
    if group == "bare" and family != "street" and (more := _GIVEN_AFTER.match(text, v_end)) is not None:
        v_end = more.end()  # `Patient name: GONZALEZ, Maria`: the family name first, a comma, the given
    if group == "bare" and family == "street":
        line_end = text.find("\n", v_start, v_start + _LINE_REACH)
        line = text[v_start : min(len(text), v_start + _LINE_REACH) if line_end == -1 else line_end]
        line = line.rstrip(" \t\r")
        if _LABELLED_ADDRESS.fullmatch(line):
            return v_start, v_start + len(line), "ADDRESS"  # the whole line, commas and postcode
    value = text[v_start:v_end].strip()
    if not value or value.lower() in _TYPE_WORDS or value.lower() in _EMPTY_CELLS:
        return None
    if group == "bare" and (
        (family == "person" and value[0].islower())  # `first_name: str`; `山田 太郎` has no case
        or ". " in value  # a sentence goes on ("First name: John. He called")
        or _line_head(text, start).strip(" \t-\"'")  # a record's line: YAML, .env
    ):
        return None
    bare_name = vouched == "contact" or (group == "md" and family == "name")  # `| name | PII-medium |`
    lower_name = (
        family == "person"
        and group in ("dq", "sq")
        and _lowercase_name(value)
        and _RECORD_DATA.search(text, max(0, start - _RECORD_REACH), min(len(text), end + _RECORD_REACH))
        is not None
    )
    if not lower_name and (
        not _tier2_value(value, family) or (bare_name and not _name_value(value, bare=True))
    ):
        return None
    kind = _VALUE_COLUMNS[family][0]
    v_start = text.index(value, v_start)
    return v_start, v_start + len(value), kind


def _personal_record(text: str, start: int, end: int) -> str:
    """How another key of the record around a bare `name` key vouches for a person: "id" (a
    date of birth, an SSN, a first or last name), "contact" (an e-mail, a phone, a street: a
    shop has them too), or "" (none)."""
    lo, hi = max(0, start - _RECORD_REACH), min(len(text), end + _RECORD_REACH)
    found = ""
    for key in _personal_keys(text, lo, hi):
        if not start <= key.start() < end:
            if key.group("id"):
                return "id"
            found = "contact"
    return found


# Where a `_PERSONAL_KEY` can start in lower-cased ASCII: its words' first letters.
_PERSONAL_STEMS = (
    "e-mail", "email", "phone", "mobile", "tel", "cell", "address", "street", "dob", "date_of_birth", "birth",
    "ssn", "first_name", "last_name", "surname",
)  # fmt: skip


def _personal_keys(text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """`_PERSONAL_KEY.finditer(text, lo, hi)`. An ASCII window (most) is searched only where one
    of the key words starts (`str.find`): sre would try the pattern at every character, since it
    starts with an optional quote. The regex is then matched there, with the same window, so
    every check (the lookbehind before ``lo``, ``$`` at ``hi``) is its own."""
    window = text[lo:hi]
    if not window.isascii():  # case folding beyond ASCII (`ſ`, `K`): let sre search
        yield from _PERSONAL_KEY.finditer(text, lo, hi)
        return
    low = window.lower()
    starts: set[int] = set()
    for stem in _PERSONAL_STEMS:
        at = low.find(stem)
        while at != -1:
            starts.add(at)
            at = low.find(stem, at + 1)
    done = lo
    for at in sorted(starts):
        at += lo
        if at > lo and text[at - 1] in "\"'":
            at -= 1  # the optional quote opens the key
        if at < done:
            continue  # inside the last key: `finditer` does not overlap either
        key = _PERSONAL_KEY.match(text, at, hi)
        if key is not None:
            done = key.end()
            yield key


def _identifier_start(text: str, start: int) -> int:
    """Where the identifier that holds ``start`` begins (``customer_`` before ``first_name``)."""
    lo = max(0, start - 64)
    while start > lo and text[start - 1] in _IDENTIFIER_CHARS:
        start -= 1
    return start


_MACHINE_PREFIXES = frozenset(
    ("ip", "ipv4", "ipv6", "mac", "email", "mail", "server", "host", "wallet", "contract", "memory", "web",
     "url", "bind", "listen", "remote", "local", "proxy", "gateway", "broadcast", "network", "node",
     "peer", "btc", "eth")
)  # fmt: skip


# HTML tables: rows (and table ends) found in one pass, cells without inner markup.
_HTML_ROW = re.compile(r"<(?:tr|TR|Tr)\b|</(?:table|TABLE)>")
# A cell's content may hold inline markup (`<td><span>Hope</span></td>`, `<th><b>SSN</b></th>`).
_HTML_CELL = re.compile(
    r"<(t[hd]|T[HD])\b[^<>]{0,200}>((?:[^<]|<(?!/?(?:t[hdr]|T[HDR])\b)[^<>]{0,100}>){0,300}+)"
    r"</(?:t[hd]|T[HD])\s*>"
)
_INLINE_TAG = re.compile(r"<[^<>]{0,100}>")


def _html_cells(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, family) of the cells under a labeled column of an HTML table: a row of
    `<th>` cells names the columns (`<th>SSN</th>`), the rows after it up to the next header
    row or the table's end hold the values. Linear: each row is read once."""
    if "<th" not in text and "<TH" not in text:
        return
    columns: dict[int, str] = {}
    rows = [m.start() for m in _HTML_ROW.finditer(text)]
    for at, stop in zip(rows, [*rows[1:], len(text)], strict=False):
        if text[at + 1] == "/":  # `</table>`: the columns end with their table
            columns = {}
            continue
        cells = list(_HTML_CELL.finditer(text, at, stop))
        if any(cell.group(1) in ("th", "TH") for cell in cells):
            columns = {}
            for index, cell in enumerate(cells):
                family = _column_family(_INLINE_TAG.sub("", cell.group(2)))
                if family is not None:
                    columns[index] = family.lstrip("=")
            continue
        for index, family in _personal_columns(columns).items():
            if index < len(cells):
                content = _cell_content(text, *cells[index].span(2))
                if content is not None:
                    yield (*content, family)


def _cell_content(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where an HTML cell's text stands: without the spaces around it and, when inline markup
    wraps it, inside the markup (`<span>Hope</span>`: `Hope`); None when the cell is empty or
    its text is split by markup (`<b>Jane</b> <i>Roe</i>` is left to the other detectors)."""
    runs = [(s, e) for s, e in _text_runs(text, start, end) if text[s:e].strip()]
    if len(runs) != 1:
        return None
    start, end = runs[0]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _text_runs(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The stretches of ``text[start:end]`` between inline tags."""
    for tag in _INLINE_TAG.finditer(text, start, end):
        yield start, tag.start()
        start = tag.end()
    yield start, end


# Between a header row and its first row: blank lines, or a rule (psql's `-----+-----`, MySQL's
# `+------+------+`). Read at a line's start only (linear however it is searched).
_BLANK_LINES = re.compile(r"(?<![^\n])(?:[ \t\r]*+\n|[ \t]*+[-+=|:]{3,}+[-+=|: \t]*+\r?\n){1,2}")


def _first_row(text: str, pos: int, limit: int, delimiter: str, fields: int) -> int:
    """``pos``, or past one or two blank lines there when the line after them is a row of the
    header's ``fields`` cells: a header and its rows may be set apart, but a note below a
    header ("Notes: see below, ...") is no row."""
    blank = _BLANK_LINES.match(text, pos, limit)
    if blank is None:
        return pos
    line_end = text.find("\n", blank.end(), limit)
    line = text[blank.end() : limit if line_end == -1 else line_end]
    return blank.end() if len(_row_cells(line, delimiter)) == fields else pos


def _row_cells(line: str, delimiter: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of a CSV row; a double-quoted cell may hold the delimiter
    (``"Smith, John"``) and doubled quotes."""
    if '"' not in line:
        cells, at = [], 0
        for cell in line.split(delimiter):
            cells.append((at, at + len(cell)))
            at += len(cell) + 1
        return cells
    quoted = _QUOTED_CELLS[delimiter]
    cells, at, size = [], 0, len(line)
    while True:
        match = quoted.match(line, _SPACES.match(line, at).end())  # type: ignore[union-attr]
        end = match.end() if match is not None else line.find(delimiter, at)
        end = size if end == -1 else end
        cells.append((at, end))
        if line[end : end + 1] != delimiter:
            return cells
        at = end + 1


_SPACES = re.compile(r"[ \t]*+")
_QUOTED_CELLS = {d: re.compile(r'"(?:[^"]|"")*+"[ \t\r]*+(?=' + re.escape(d) + r"|\Z)") for d in _DELIMITERS}


def _block_end(text: str, pos: int, delimiter: str, fields: int) -> int:
    """Where the lines holding ``delimiter`` from ``pos`` on end (a line without it: a blank
    line, prose): the rows a CSV header of ``fields`` cells heads, ragged ones included, as
    `_csv_cells` reads."""
    size = len(text)
    pos = _first_row(text, pos, size, delimiter, fields)
    while pos < size:
        line_end = text.find("\n", pos)
        line_end = size if line_end == -1 else line_end
        if delimiter not in text[pos:line_end]:
            return pos
        pos = line_end + 1
    return size


def _header_field(
    text: str, start: int, end: int, tables: _Tables, blocks: dict[str, tuple[int, int]]
) -> None:
    """When the label at ``start:end`` is a whole field of a CSV/TSV header row or of a SQL
    column list, note the table and the column in ``tables`` (keyed by the header's offset).
    A row of a table already noted is data, not a header: a cell that is a label word
    (``card``, ``token``, ``password`` in a schema listing) does not start a new table."""
    before = text[max(0, start - 4) : start].rstrip(" \r'\"`[*")
    if before and before[-1] not in _FIELD_STARTS:
        return  # prose (`the SSN`): a header field starts its line or follows a delimiter
    line_start = text.rfind("\n", max(0, start - _LINE_MAX), start) + 1
    if not line_start and start > _LINE_MAX:
        return  # a line too long to be a header row
    line_end = text.find("\n", end, end + _LINE_MAX)
    if line_end == -1:
        line_end = len(text)
        if line_end - end >= _LINE_MAX:
            return
    # A column list may run over lines (`INSERT INTO users (\n  name,\n  ssn\n) VALUES`).
    opening = text.rfind("(", line_start if before[-1:] != "\n" else max(0, start - _LINE_MAX), start)
    if opening != -1 and _sql_header(text, opening, start, end, tables):
        return
    line = text[line_start:line_end]
    for delimiter in _DELIMITERS:
        if delimiter not in line:
            continue
        left = line.rfind(delimiter, 0, start - line_start) + 1
        right = line.find(delimiter, end - line_start)
        family = _column_family(line[left : len(line) if right == -1 else right])
        if family is None:
            continue
        if family in _TIER2_COLUMNS and _continues_rows(text, line_start, line.count(delimiter), delimiter):
            return  # a row of a schema or a data dictionary (`first_name,Given name`), no header
        if line_start not in tables:
            # Headers come in text order and a header inside a table is none, so the tables of
            # one delimiter never overlap: only the last one can hold this line (linear).
            last = blocks.get(delimiter)
            if last is not None and last[0] < line_start < last[1]:
                return  # a data row of a table above
            fields = len(_row_cells(line, delimiter))
            blocks[delimiter] = (line_start, _block_end(text, line_end + 1, delimiter, fields))
        index = line.count(delimiter, 0, left)
        table = tables.setdefault(line_start, (line_end, delimiter, {}))
        if table[1] == delimiter:
            table[2][index] = family.lstrip("=")
        return


_TIER2_COLUMNS = frozenset((*_VALUE_COLUMNS, "contact"))  # dob, street, person, name; contact


def _continues_rows(text: str, line_start: int, count: int, delimiter: str) -> bool:
    """Whether the line before ``line_start`` holds as many ``delimiter`` as the line there: a
    header row starts its table, the row of a table goes on from the one before it (a Markdown
    header's rule line included)."""
    if line_start < 2:
        return False
    before = text.rfind("\n", max(0, line_start - 1 - _LINE_MAX), line_start - 1) + 1
    return text.count(delimiter, before, line_start - 1) == count


def _sql_header(text: str, opening: int, start: int, end: int, tables: _Tables) -> bool:
    """A column of ``INSERT INTO t (id, ssn) VALUES (...)``: the label is a whole name of a
    column list followed by `VALUES (`."""
    closing = text.find(")", end, end + _LINE_MAX)
    if closing == -1 or "(" in text[end:closing]:
        return False
    inside = text[opening + 1 : start]
    if "(" in inside or ")" in inside or ";" in inside:
        return False
    values = _SQL_VALUES.match(text, closing)
    rows = "("  # a VALUES list's rows, or (`copy`) the tab-separated lines of a `COPY ... FROM stdin`
    if values is None:
        values = _COPY_FROM.match(text, closing)
        if values is None:
            return False
        rows = "copy"
    names = text[opening + 1 : closing].split(",")
    index = text.count(",", opening, start)
    family = _column_family(names[index])
    if family is not None:
        tables.setdefault(opening, (values.end(), rows, {}))[2][index] = family.lstrip("=")
    return True


def _copy_cells(text: str, pos: int, limit: int, columns: dict[int, str]) -> Iterator[_Cell]:
    """(start, end, family) of the cells under ``columns`` in the rows of a PostgreSQL `COPY
    ... FROM stdin` (pg_dump): tab-separated lines from ``pos`` up to `\\.` or ``limit``."""
    while pos < limit:
        line_end = text.find("\n", pos, limit)
        line_end = limit if line_end == -1 else line_end
        line = text[pos:line_end].rstrip("\r")
        if line == "\\." or "\t" not in line:
            return
        cell_start = pos
        for index, cell in enumerate(line.split("\t")):
            family = columns.get(index)
            if family is not None and cell != "\\N":
                yield _stripped(text, cell_start, cell_start + len(cell), family)
            cell_start += len(cell) + 1
        pos = line_end + 1


def _csv_cells(
    text: str, header: int, limit: int, delimiter: str, columns: dict[int, str]
) -> Iterator[_Cell]:
    """(start, end, family) of the cells under ``columns``, row by row after the header row at
    ``header`` (one or two blank lines may follow it), up to a blank line, a line without the
    delimiter or ``limit`` (the next header).

    A ragged row is read too: with fewer cells, its cells still line up from the left (the
    last ones are missing); with more, some cell holds an unquoted delimiter (``Smith, John``
    or a note), so the column is read both from the left and from the right: a credential
    column must not leak because a note held a comma."""
    pos = text.find("\n", header, limit) + 1
    if not pos:
        return
    fields = len(_row_cells(text[header : pos - 1], delimiter))
    pos = _first_row(text, pos, limit, delimiter, fields)
    while pos < limit:
        line_end = text.find("\n", pos, limit)
        line_end = limit if line_end == -1 else line_end
        line = text[pos:line_end]
        if delimiter not in line:
            return
        cells = _row_cells(line, delimiter)
        extra = len(cells) - fields
        for index, family in columns.items():
            picks = {index, index + extra} if extra > 0 else {index}
            for pick in picks:
                if pick < len(cells):
                    start, end = cells[pick]
                    yield _stripped(text, pos + start, pos + end, family)
        pos = line_end + 1


def _sql_cells(text: str, pos: int, limit: int, columns: dict[int, str]) -> Iterator[_Cell]:
    """(start, end, family) of the values under ``columns`` in the rows of a SQL `VALUES`
    list that starts at ``pos`` (just inside its first row), to the statement's end or
    ``limit`` (the next column list)."""
    index, depth, in_row = 0, 0, True
    for token in _SQL_TOKEN.finditer(text, pos, limit):
        word = token.group()
        if word == "(":
            if in_row:
                depth += 1
            else:
                in_row, index = True, 0
        elif word == ")":
            if depth:
                depth -= 1
            else:
                in_row = False
        elif word == ",":
            index += in_row and not depth
        elif not in_row:
            if word.strip():
                return  # `;` or another clause: the statement's rows are done
        elif not depth:
            family = columns.get(index)
            if family is not None and (family not in _SECRET_COLUMNS or word.lstrip()[:1] in ("'", '"')):
                # A credential is a quoted string: `crypt(:pw, gen_salt('bf'))`, `?`, `NULL` are not.
                yield _stripped(text, token.start(), token.end(), family)


def _stripped(text: str, start: int, end: int, family: str) -> _Cell:
    """A cell without its spaces and quotes."""
    cell = text[start:end]
    inner = cell.strip(_CELL_STRIP)
    if not inner:
        return start, start, family
    offset = cell.find(inner)
    return start + offset, start + offset + len(inner), family


def _glue_word_at(text: str, pos: int, stop: int) -> int:
    """The end of a filler word at ``pos``, or 0."""
    word = _GLUE_WORD.match(text, pos, stop)
    return 0 if word is None else word.end()


def _letters_allowed(family: str, index: int, chunk: str, compact: str) -> bool:
    """A letters-only group inside an alphanumeric value: a country code and bank code in an
    IBAN (``GB82 WEST``), a prefix or check letter of a national id (``QQ 12 34 56 C``)."""
    if family == "iban":  # the country code, or any group of the BBAN (`N L 4 7 U O Y P ...`)
        return len(compact) + len(chunk) <= 2 or len(compact) >= 4
    if family == "passport" and not compact:
        return _de_passport(chunk)  # nine capitals from a German passport's alphabet
    if family == "record" or (family == "national" and not compact):
        return len(chunk) <= 4  # a prefix: `MRN-95494093`, a Polish id card's series `ABK 633611`
    return len(chunk) <= 2


def _de_passport(value: str) -> bool:
    """A German passport number without digits: nine of ``CFGHJKLMNPRTVWXYZ`` (no vowels, no
    B/D/Q/S), the first one of ``CFGHJK``."""
    return len(value) == 9 and value[0] in "CFGHJK" and not value.translate(_DE_PASSPORT)


_NO_DIGITS = str.maketrans("", "", "0123456789")
_NOT_ALNUM_ASCII = {c: None for c in range(128) if not chr(c).isalnum()}


def _alnum_ok(family: str, compact: str) -> bool:
    digits = len(compact) - len(compact.translate(_NO_DIGITS))
    if family == "iban":
        return compact[:2].isalpha() and compact[2:4].isdigit()
    if family == "passport":
        # 6-9 capitals and digits right after the label (`FJYFWKX3V`); a German passport's
        # alphabet (no vowels, no B/D/Q/S) may give nine capitals and no digit (`CJYZMNHZK`).
        return digits >= 1 or _de_passport(compact)
    if family == "pan":
        return _PAN.fullmatch(compact) is not None
    if family == "cf":
        return bool(codicefiscale.is_valid(compact))
    return digits >= 5


# Words after a number that make it an example or a date, not the value (Japanese, Chinese, Korean).
_NOT_A_VALUE_AFTER = ("など", "等", "以外", "のような", "年", "月", "日", "년", "월", "일")
_YEAR_GROUP = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")
# Five letters (the fourth says who holds it: P a person, C a company, ...), four digits, a letter.
_PAN = re.compile(r"[A-Z]{3}[ABCFGHJLPT][A-Z][0-9]{4}[A-Z]")


def _lower_ok(raw: str) -> bool:
    """A value read in capitals from small letters: no capitals of its own, and either a
    shape whose checksum holds (codice fiscale, IBAN, DNI/NIE, a NINO's letter rules) or
    digits framed by at most two prefix letters and one check letter (``ab1234567``). Hex
    (``3f2a9b7c1d``) and words hold letters inside: never taken."""
    compact = raw.translate(_NOT_ALNUM_ASCII)
    if compact.isdigit():
        return True  # no letters: the capital reading changed nothing
    if compact != compact.lower():
        return False  # mixed case: not one value written in small letters
    upper = compact.upper()
    if len(upper) == 16 and codicefiscale.is_valid(upper):
        return True
    if len(upper) >= 15 and upper[:2].isalpha() and upper[2:4].isdigit():
        return bool(iban.is_valid(upper))
    if len(upper) == 9 and (nie.is_valid(upper) or dni.is_valid(upper) or nino_valid(upper)):
        return True
    if len(upper) == 10 and _PAN.fullmatch(upper):
        return True
    # The prefix letters glued to the digits: `to 1234563218` is a word ("is") and a number.
    return _LOWER_SHAPE.fullmatch(compact) is not None and not upper.isalpha() and not _APART.match(raw)
