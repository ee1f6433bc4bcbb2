"""LabeledIdDetector: tier-1 values right after their label, in six languages; look-alikes kept."""

from __future__ import annotations

import random
import time

import pytest

import redaction
from redaction.detectors.labeled_ids import LabeledIdDetector

DETECTOR = LabeledIdDetector()


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # SSN words: bare, separated, per digit, a few words between, JSON/YAML keys; 9xx is an ITIN.
    ("SSN 123456789 and SSN: 123 45 6789", [("123456789", "US_SSN"), ("123 45 6789", "US_SSN")]),
    ("the SSN on file is 1 2 3 4 5 6 7 8 9.", [("1 2 3 4 5 6 7 8 9", "US_SSN")]),
    ('{"ssn": "900-70-1234"}, social security no. 078051120',
     [("900-70-1234", "US_ITIN"), ("078051120", "US_SSN")]),
    ("SSN: 000-12-3456 (mistyped, still an SSN)", [("000-12-3456", "US_SSN")]),
    ("ITIN 912 71 2345, Individual Taxpayer Identification Number: 900701234",
     [("912 71 2345", "US_ITIN"), ("900701234", "US_ITIN")]),
    ("ssn:\n  219-09-9999", [("219-09-9999", "US_SSN")]),
    # Bank: account and routing words in EN, DE, FR, ES, KO, ZH; separators kept in the span.
    ("Kontonummer: 1234 5678 90, Kontonr. 12345678, BLZ 370 400 44",
     [("1234 5678 90", "US_BANK_ACCOUNT"), ("12345678", "US_BANK_ACCOUNT"),
      ("370 400 44", "US_BANK_ROUTING")]),
    ("n° de compte : 12345678901", [("12345678901", "US_BANK_ACCOUNT")]),
    ("número de cuenta 0123-4567-89-0123456789", [("0123-4567-89-0123456789", "US_BANK_ACCOUNT")]),
    ("account number 1234-5678-9012, routing: 021-000-021, sort code 12-34-56",
     [("1234-5678-9012", "US_BANK_ACCOUNT"), ("021-000-021", "US_BANK_ROUTING"),
      ("12-34-56", "US_BANK_ROUTING")]),
    ("Routing number:\n  021000021\nAccount number:\n  4400012345",
     [("021000021", "US_BANK_ROUTING"), ("4400012345", "US_BANK_ACCOUNT")]),
    ("계좌번호 110-123-456789 입니다", [("110-123-456789", "US_BANK_ACCOUNT")]),
    ("账号：6222021234567890123。", [("6222021234567890123", "US_BANK_ACCOUNT")]),
    # IBAN label: also when the check digits are wrong (a mistyped IBAN is still one).
    ("IBAN : GB82 WEST 1234 5698 7654 33 BIC X", [("GB82 WEST 1234 5698 7654 33", "IBAN")]),
    ("iban=DE89370400440532013000", [("DE89370400440532013000", "IBAN")]),
    # Cards: any card word, Luhn not required after the label; an expiry after it is not part of it.
    ("card_number=4111 1111 1111 1111 12/26", [("4111 1111 1111 1111", "CREDIT_CARD")]),
    ("Kreditkartennummer 4111-1111-1111-1112, carte bancaire : 4970 1012 3456 7890",
     [("4111-1111-1111-1112", "CREDIT_CARD"), ("4970 1012 3456 7890", "CREDIT_CARD")]),
    ("tarjeta de crédito 5500 0000 0000 0004", [("5500 0000 0000 0004", "CREDIT_CARD")]),
    ("카드번호는 4111-1111-1111-1111 이고 卡号：6222 0212 3456 7890",
     [("4111-1111-1111-1111", "CREDIT_CARD"), ("6222 0212 3456 7890", "CREDIT_CARD")]),
    ("CC# 4111111111111111", [("4111111111111111", "CREDIT_CARD")]),
    # CVV and PIN: only their short codes, in one piece.
    ("CVV 123, CVC: 4567, security code 918, cvv2=042",
     [("123", "CVV"), ("4567", "CVV"), ("918", "CVV"), ("042", "CVV")]),
    ("PIN 4821, PIN code 12345678, pin: 1 2 3 4, 密码：123456, 비밀번호 5821",
     [("4821", "PIN"), ("12345678", "PIN"), ("1 2 3 4", "PIN"), ("123456", "PIN"), ("5821", "PIN")]),
    # Passports in other languages.
    ("pasaporte AB1234567, Reisepassnummer: C01X00T47, numéro de passeport 12AB34567, 护照号 E12345678",
     [("AB1234567", "PASSPORT"), ("C01X00T47", "PASSPORT"), ("12AB34567", "PASSPORT"),
      ("E12345678", "PASSPORT")]),
    # National ids by label, with or without a valid checksum.
    ("numéro de sécurité sociale 1 84 12 76 451 089 46", [("1 84 12 76 451 089 46", "NATIONAL_ID")]),
    ("Steuer-ID: 12 345 678 901, BSN 1234.56.782, DNI 12345678-Z, NIE X-1234567-L",
     [("12 345 678 901", "NATIONAL_ID"), ("1234.56.782", "NATIONAL_ID"), ("12345678-Z", "NATIONAL_ID"),
      ("X-1234567-L", "NATIONAL_ID")]),
    ("Aadhaar 234567890124, CPF 12345678909, Ausweisnummer L01X00T47",
     [("234567890124", "NATIONAL_ID"), ("12345678909", "NATIONAL_ID"), ("L01X00T47", "NATIONAL_ID")]),
    ("Sozialversicherungsnummer 12 150780 J 005 and NINO: QQ 12 34 56 C",
     [("12 150780 J 005", "NATIONAL_ID"), ("QQ 12 34 56 C", "NATIONAL_ID")]),
    ("número de la seguridad social 28 12345678 40", [("28 12345678 40", "NATIONAL_ID")]),
    ("Reisepassnummer C01X00T47", [("C01X00T47", "PASSPORT")]),
    ("身份证号 11010519491231002X, 주민등록번호: 740803 1345821",
     [("11010519491231002X", "NATIONAL_ID"), ("740803 1345821", "KR_RRN")]),
    # Table columns: a CSV/TSV header or a SQL column list names the value, however far below.
    ("id,tax_id,created\n9542,966520831,2024-07-10\n632,960-84-8267,2024-06-12\n"
     "9494,994 86 4766,2024-05-15\n",
     [("966520831", "US_ITIN"), ("960-84-8267", "US_ITIN"), ("994 86 4766", "US_ITIN")]),
    ("id\ttin\tnote\n1\t907889453\tok\n2\t\tnone\n3\t912-34-5678\tok",
     [("907889453", "US_ITIN"), ("912-34-5678", "US_ITIN")]),
    ('"id";"ssn";"card_number";"cvv"\n"1";"078-05-1120";"6.0.1.1.8.1.4.6.3.4.8.4.1.1.9.9";"918"',
     [("078-05-1120", "US_SSN"), ("6.0.1.1.8.1.4.6.3.4.8.4.1.1.9.9", "CREDIT_CARD"), ("918", "CVV")]),
    ("id,aadhaar,bsn,ni_number,codice_fiscale,nie\n"
     "9704,8871 5675 3232,634343956,GZ 71 47 45 A,GOUTPA96R53L884F,Y2252996E\n",
     [("8871 5675 3232", "NATIONAL_ID"), ("634343956", "NATIONAL_ID"), ("GZ 71 47 45 A", "NATIONAL_ID"),
      ("GOUTPA96R53L884F", "NATIONAL_ID"), ("Y2252996E", "NATIONAL_ID")]),
    ("id,routing_number,account_number,iban,rrn,passport\n"
     "1,0/2/9/3/3/8/1/1/9,8487 4578 2,NL47UOYP0358959453,790510/2802912,C01X00T47\n",
     [("0/2/9/3/3/8/1/1/9", "US_BANK_ROUTING"), ("8487 4578 2", "US_BANK_ACCOUNT"),
      ("NL47UOYP0358959453", "IBAN"), ("790510/2802912", "KR_RRN"), ("C01X00T47", "PASSPORT")]),
    ("INSERT INTO applicants (id, aadhaar, state) VALUES (4859, '9 7 3 0 3 6 2 4 4 9 8 4', 'open');",
     [("9 7 3 0 3 6 2 4 4 9 8 4", "NATIONAL_ID")]),
    ("INSERT INTO t (`id`, `ssn`, `routing_number`) VALUES\n (1, '123-45-6789', '0 2 4 9 1 4 9 2 3'),\n"
     " (2, NULL, '021000021'), (3, '900701234', NULL);",
     [("123-45-6789", "US_SSN"), ("0 2 4 9 1 4 9 2 3", "US_BANK_ROUTING"), ("021000021", "US_BANK_ROUTING"),
      ("900701234", "US_ITIN")]),
    # Tax ids: a 9-digit SSN-format number is an ITIN for 9xx, else another tax id.
    ("TIN 907889453, tax number: 12-3456789, Steuernummer 93815/08152",
     [("907889453", "US_ITIN"), ("12-3456789", "NATIONAL_ID"), ("93815/08152", "NATIONAL_ID")]),
    # Labels right after punctuation, CJK labels with an alias in brackets, particles, KO/JA.
    ("x:SSN 123456789, {'ssn': '078051120'}, US-Sozialversicherungsnummer 438759422",
     [("123456789", "US_SSN"), ("078051120", "US_SSN"), ("438759422", "US_SSN")]),
    ("安全码(CVV)是2203。PIN码：5123。社会安全号码: 321681361",
     [("2203", "CVV"), ("5123", "PIN"), ("321681361", "US_SSN")]),
    ("보안코드 123, セキュリティコード：456, 暗証番号 7890, 社会保障番号 912345678, 사회보장번호 078-05-1120",
     [("123", "CVV"), ("456", "CVV"), ("7890", "PIN"), ("912345678", "US_ITIN"), ("078-05-1120", "US_SSN")]),
    # A shorter reading when the longest runs into a word; every character spelled out.
    ("The BSN is 522654320. Organization, BSN - 634343956. Groeten",
     [("522654320", "NATIONAL_ID"), ("634343956", "NATIONAL_ID")]),
    ("iban=N  L  4  7  U  O  Y  P  0  3  5  8  9  5  9  4  5  3 result=ok",
     [("N  L  4  7  U  O  Y  P  0  3  5  8  9  5  9  4  5  3", "IBAN")]),
    # Look-alikes: another word after the label, amounts, dates, counts, plurals, compounds.
    ("account manager 555 0100, card balance $1,200, PIN code reset link, card game 12345678901234", []),
    ("account opened 2021-03-04, 3 accounts, SSN field is required, card ending in 4242, account 12345", []),
    ("accounts 12345678, accounting 2024 12345678, account_id 12345678, MyAccount 12345678", []),
    ("cardinal 123456789012, discard 4111111111111111, shipping 12345678", []),
    ("database 123456789, pinned 1234, spinach 4821, abacus 021000021", []),
    ("account 2023-2024, CVV 12, account 1.200.000, account 99.50, account 000000", []),
    # Right after its label a year-like number is the PIN or CVV itself: nobody labels a year so.
    ("PIN 2024, CVV2 # 2004, PIN 2099.", [("2024", "PIN"), ("2004", "CVV"), ("2099", "PIN")]),
    # A repeated digit is a code people pick (`PIN 1111`, `CVC is 222`), zeros too (`0000` is
    # many devices' default PIN); a longer id of one digit is a placeholder.
    ("CVC is 222. PIN 1111, CVV 000, PIN 0000, SSN 111111111",
     [("222", "CVV"), ("1111", "PIN"), ("000", "CVV"), ("0000", "PIN")]),
    # A routing number in thousands-style dot groups is no amount: amounts have no leading zero.
    ('"routing_number": "059.167.062"', [("059.167.062", "US_BANK_ROUTING")]),
    # A passport number may hold one digit among capitals, and stand in a text without any
    # other digit pair.
    ("passeport n° est FJYFWKX3V. Kundenakte aktualisiert, Pass-Nr. H6Z8NHCN0.",
     [("FJYFWKX3V", "PASSPORT"), ("H6Z8NHCN0", "PASSPORT")]),
    ("护照号码 JYZMNHZKZ, Reisepass CFGHJKLMN", [("JYZMNHZKZ", "PASSPORT"), ("CFGHJKLMN", "PASSPORT")]),
    ("Passport: EXPIRED, passport ABCDEFGH, passed A1B2C3D4, passport photo B1GSMILE", []),
    ("passport THANKSYOU, passport ZZZZZZZZZ, passport CFGHJKLMNP", []),
    ('"routing_number": "123.307.884", Pass-Nr. H6Z8NHCN0',
     [("123.307.884", "US_BANK_ROUTING"), ("H6Z8NHCN0", "PASSPORT")]),
    ("passport renewal takes 2 weeks; Passport Office 10 Main St", []),
    ("Pass-Nr.: 49SS39822 and 路由号: 107733364 and आधार संख्या 379903317399",
     [("49SS39822", "PASSPORT"), ("107733364", "US_BANK_ROUTING"), ("379903317399", "NATIONAL_ID")]),
    ("SSN on file; order 123456789 is unrelated, SSN (last 4): 6789, SSN 1234567890", []),
    ("passport expires 2031-05-01, passport status: VERIFIED, card 12/26", []),
    ("IBAN: see below, IBAN DE, card: **** **** **** 4242", []),
    ("account INV-90572233, SSN123456789, account 12345678abc, PIN 1234@host", []),
    ("date of birth 12/03/1971, account 05/2027, CVV 12/26, PIN 12:30", []),
    ("[09:28] mark: my number is 0141 496 0792, call me; id 2024 of 3", []),
    # Values in small letters after their label: the same value, taken when its checksum or its
    # id shape holds; hex strings and words after a label are not.
    ("IBAN : fr76 3000 6000 0112 3456 7890 189, codice fiscale: crvmrn69p11d228s",
     [("fr76 3000 6000 0112 3456 7890 189", "IBAN"), ("crvmrn69p11d228s", "NATIONAL_ID")]),
    ("NI number: gw620197b, DNI: 12345678z, Mi NIE es x1234567l, passport no ab1234567",
     [("gw620197b", "NATIONAL_ID"), ("12345678z", "NATIONAL_ID"), ("x1234567l", "NATIONAL_ID"),
      ("ab1234567", "PASSPORT")]),
    ("id number: 3f2a9b7c1d55, national id deadbeef12345, passport photo attached, iban: de12 nope", []),
    ("codice fiscale: crvmrn69p11d228x, DNI 1234abcd5678, IBAN fr76 3000 6000 0112 3456 7890 188", []),
    # Abbreviated and further labels; HTML attributes; every character separated.
    ("N° SS 257115996041735, UIDAI number is 343560545824, 라우팅 번호 is 250790953",
     [("257115996041735", "NATIONAL_ID"), ("343560545824", "NATIONAL_ID"),
      ("250790953", "US_BANK_ROUTING")]),
    ("| C.F. | G-R-G-M-N-L-2-5-A-4-1-H-9-8-1-L |, NI number P.R.0.0.7.2.1.1.A",
     [("G-R-G-M-N-L-2-5-A-4-1-H-9-8-1-L", "NATIONAL_ID"), ("P.R.0.0.7.2.1.1.A", "NATIONAL_ID")]),
    ('<input name="cvv" value="123"> CVV: 1-2-3, CVV 49\n39',
     [("123", "CVV"), ("1-2-3", "CVV"), ("49\n39", "CVV")]),
    ("CVV: 1-1-1, CVV 4\n5, CVV 12\n34567, n° 12 ss 4, C.F. 2024", []),
    # Spaced and mixed separators inside an IBAN; an account label before an IBAN's shape.
    ("IBAN de la cuenta: IT21 O124 - 5213 9402/5906 0268 083",
     [("IT21 O124 - 5213 9402/5906 0268 083", "IBAN")]),
    ("国际银行账号: ES48 0496-9782 - 5889/4238.1278, Konto: DE89 3704 0044 0532 0130 00",
     [("ES48 0496-9782 - 5889/4238.1278", "IBAN"), ("DE89 3704 0044 0532 0130 00", "IBAN")]),
    # Columns that are not labels (substrings, compounds), empty or placeholder cells, dates.
    ("id,session_id,accounts_count,tax_id_status\n1,123456789,12345678,987654321", []),
    ("id,ssn,created\n1,N/A,2024-01-01\n2,,2024-01-02\n3,2024-07-10,x\n4,000000000,y", []),
    ("INSERT INTO t (id, session_id, amount) VALUES (1, '123456789', '1234.56');", []),
    ("id,ssn\n1,123456789\n\nid,order\n2,987654321", [("123456789", "US_SSN")]),
    ("The SSN, DOB and address are below\n1,123456789,2", []),
    # `social` heads a US export's SSN column; its cells must still read as an SSN.
    ("first,last,social\nJohn,Doe,123456789\nAnn,Lee,@annlee\n", [("123456789", "US_SSN")]),
    # More id labels: AU TFN, JP Individual Number, DE/AT SV-Nummer, US EIN, driver's licences,
    # Medicare; "my number" alone is a phone number's label.
    ("TFN: 123456782, Individual Number: 123456789018, SV-Nummer: 12150780M123, EIN: 12-3456789",
     [("123456782", "NATIONAL_ID"), ("123456789018", "NATIONAL_ID"), ("12150780M123", "NATIONAL_ID"),
      ("12-3456789", "NATIONAL_ID")]),
    ("Driver's license: D1234567; Medicare number: 1EG4-TE5-MK73",
     [("D1234567", "NATIONAL_ID"), ("1EG4-TE5-MK73", "NATIONAL_ID")]),
    ("ein Haus 123456789, the MIT license number of files", []),
    # A 13-digit card that is also a valid EAN-13 counts after a card label.
    ('pan: 4000000000006 {"creditcard": "4000000000006"}',
     [("4000000000006", "CREDIT_CARD"), ("4000000000006", "CREDIT_CARD")]),
    ("company pan 12 inches and PAN: ABCPE1234F", [("ABCPE1234F", "NATIONAL_ID")]),  # India's PAN
    # Credential columns: whatever the cell holds is the credential (CSV, TSV, Markdown, SQL).
    ("username,password\nbob,hunter2\nann,Tr0ub4dor&3xyz\n",
     [("hunter2", "PASSWORD"), ("Tr0ub4dor&3xyz", "PASSWORD")]),
    # A legacy schema's clear and hashed password columns (an unsalted MD5 is as good as the password).
    ("INSERT INTO legacy (login, plain_password, md5_password) VALUES ('wh', 'Qwerty!2024', "
     "'917abf17d67db49dc29ac3b2f3ff5163');",
     [("Qwerty!2024", "PASSWORD"), ("917abf17d67db49dc29ac3b2f3ff5163", "PASSWORD")]),
    ("user\tpassword\nbob\tcorrect horse", [("correct horse", "PASSWORD")]),
    ("| service | token |\n|---|---|\n| internal | abcdEFGH1234ijklMNOP5678 |",
     [("abcdEFGH1234ijklMNOP5678", "API_KEY")]),
    ("INSERT INTO users (username, password) VALUES ('bob', 'Tr0ub4dor&3xyz');",
     [("Tr0ub4dor&3xyz", "PASSWORD")]),
    ("service,api_key,client_secret\nstripe,abcdEFGH1234ijklMNOP5678,s3cr3tValue99\n",
     [("abcdEFGH1234ijklMNOP5678", "API_KEY"), ("s3cr3tValue99", "API_KEY")]),
    ("user,Temp Password,new_password,Kennwort,refresh_token\n"
     "bob,Summer2024!,hunter22,geheim99,rt_9fK2mQ7xLp4",
     [("Summer2024!", "PASSWORD"), ("hunter22", "PASSWORD"), ("geheim99", "PASSWORD"),
      ("rt_9fK2mQ7xLp4", "API_KEY")]),
    # Bold Markdown headers, a blank line after the header, quoted cells holding the delimiter,
    # ragged rows (fewer cells: from the left; more: from the left and from the right).
    ("| **User** | **Password** |\n|---|---|\n| bob | hunter2xyz |", [("hunter2xyz", "PASSWORD")]),
    ("name,password\n\nNotes: see below, the password column is hashed", []),
    # A remark in parentheses, a SQL expression: no credential. A `pass` column: key-like cells.
    ("| Name | Password |\n|---|---|\n| admin | (set during install) |", []),
    ("INSERT INTO users (id, username, password) VALUES (1, 'alice', crypt(:pw, gen_salt('bf')));", []),
    ("INSERT INTO users (username, pass) VALUES ('alice', 'Gr33nTea_42');\n"
     "name,pass\nbob,Gr33nTea_43\nann,FAIL",
     [("Gr33nTea_42", "PASSWORD"), ("Gr33nTea_43", "PASSWORD")]),
    # pg_dump's COPY, psql and MySQL result tables, a camel-case XML element.
    ("COPY users (name, password) FROM stdin;\nbob\tTr0ub4dor3\nann\t\\N\n\\.\nbob\tafter",
     [("Tr0ub4dor3", "PASSWORD")]),
    ("COPY public.people (id, name, ssn) FROM stdin;\n1\tJane\t536228714\n\\.",
     [("Jane", "PERSON"), ("536228714", "US_SSN")]),
    (" user | password\n------+-----------\n bob  | Tr0ub4dor3\n", [("Tr0ub4dor3", "PASSWORD")]),
    ("+------+---------+\n| user | password   |\n+------+---------+\n| bob  | Tr0ub4dor3 |\n+------+--+",
     [("Tr0ub4dor3", "PASSWORD")]),
    ("<SocialSecurityNumber>536228714</SocialSecurityNumber>", [("536228714", "US_SSN")]),
    ("username,password\n\nbob,hunter2xyz\nalice,Tr0ub4dor&3",
     [("hunter2xyz", "PASSWORD"), ("Tr0ub4dor&3", "PASSWORD")]),
    ('name,ssn,password\n"Smith, John",123-45-6789,"hun,ter2""x"',
     [("Smith, John", "PERSON"), ("123-45-6789", "US_SSN"), ('hun,ter2""x', "PASSWORD")]),
    ("username,password,notes\nbob,hunter2xyz\nSmith, John,Tr0ub4dor&3,admin",
     [("hunter2xyz", "PASSWORD"), ("John", "PASSWORD"), ("Tr0ub4dor&3", "PASSWORD")]),
    ("name,ssn,notes\nbob,123-45-6789,likes cats, dogs and birds", [("123-45-6789", "US_SSN")]),
    # SQL: a column list over several lines, MySQL backslash escapes.
    ("INSERT INTO users (\n  username,\n  password\n) VALUES ('bob', 'hunter2xyz');",
     [("hunter2xyz", "PASSWORD")]),
    ("INSERT INTO users (username, password) VALUES ('bob', 'it\\'s-hunter2');",
     [("it\\'s-hunter2", "PASSWORD")]),
    # ... empty, null, masked, template and short cells, and columns that only hold the word.
    ("user,password\nbob,\nann,N/A\ncid,********\ndee,null\neve,<your password>\nfay,abc", []),
    ("name,token_count,password_set,pass\nx,12,yes,FAIL", []),
    ("token,pos\ninformation,NOUN\nsupercalifragilistic,ADJ", []),  # an NLP dataset's words
    # A data cell that is a label word does not start a new table: the rows stay under theirs.
    ("username,password,type\nbob,hunter2,account\nalice,pa55word,card",
     [("hunter2", "PASSWORD"), ("pa55word", "PASSWORD")]),
    ("name,account_number,kind\nbob,000123456789,card\nalice,000987654321,pin",
     [("000123456789", "US_BANK_ACCOUNT"), ("000987654321", "US_BANK_ACCOUNT")]),
    ("the password column is empty; the token is in the vault", []),
    # Words that only name a column in a header: not labels in prose.
    ("tin can 123456789, sin embargo 12345678, ni 12345678, tax 2024 123456789", []),
    ("rows: 0 1 2 3 4 5 6 7 8 9, IBAN N/A, PIN码 none", []),
    # A value cut by a line wrap is read over the break; a value whole on its line is not.
    ("Card: 41111111\n11111111 and SSN: 536-22-\n8714", [("41111111\n11111111", "CREDIT_CARD"),
                                                         ("536-22-\n8714", "US_SSN")]),
    ("Account: 12345678\n2024 report", [("12345678", "US_BANK_ACCOUNT")]),
    ("Card: 4111111111111111\n2024-01-01 paid", [("4111111111111111", "CREDIT_CARD")]),
    # A list after one label: each item of the family's shape; the list ends at anything else.
    ("SSNs: 536228714, 537228714 and 538228714; PINs 4821 and 1234",
     [("536228714", "US_SSN"), ("537228714", "US_SSN"), ("538228714", "US_SSN"), ("4821", "PIN"),
      ("1234", "PIN")]),
    ('{"ssn":["536228714","537228714"]} {"pins":[4821,1234]}',
     [("536228714", "US_SSN"), ("537228714", "US_SSN"), ("4821", "PIN"), ("1234", "PIN")]),
    ("SSN 536228714, 2 copies. PIN 4821, 10 attempts left", [("536228714", "US_SSN"), ("4821", "PIN")]),
    # One-time codes, more languages' labels and glue words; the glue word is not the value.
    ("Your verification code is 493817. OTP: 220931", [("493817", "PIN"), ("220931", "PIN")]),
    ("votre code confidentiel est 4821, il PIN è 1234, cryptogramme visuel : 123",
     [("4821", "PIN"), ("1234", "PIN"), ("123", "CVV")]),
    ("Mój NIP to 1234563218. numer konta: 61109010140000071219812874",
     [("1234563218", "NATIONAL_ID"), ("61109010140000071219812874", "US_BANK_ACCOUNT")]),
    ("the OTP expired, request a new verification code; pip install otp; NIP 2024", []),
    # Labels in their own scripts and cases (Cyrillic and Greek labels are matched as written,
    # lower, upper or title case).
    ("СНИЛС: 112-233-445 95, ИНН 500100732259, ΑΦΜ: 094259216, Паспорт: 4510123456",
     [("112-233-445 95", "NATIONAL_ID"), ("500100732259", "NATIONAL_ID"), ("094259216", "NATIONAL_ID"),
      ("4510123456", "PASSPORT")]),
    ("a senha do cartão é 4821, kartın şifresi 1234, PIN ke kartě: 5678, รหัส ATM 9012",
     [("4821", "PIN"), ("1234", "PIN"), ("5678", "PIN"), ("9012", "PIN")]),
    ("T.C. kimlik numaram 12345678950, vergi numarası 1234567890, ID-картка № 001234567",
     [("12345678950", "NATIONAL_ID"), ("1234567890", "NATIONAL_ID"), ("001234567", "NATIONAL_ID")]),
    ("رقم الهوية الوطنية: 1087654321, หนังสือเดินทางเลขที่ AA1234567",
     [("1087654321", "NATIONAL_ID"), ("AA1234567", "PASSPORT")]),
    ("เลขประจำตัวประชาชน: 1101700230708, số tài khoản 0011004123456, ПИН: 4821",
     [("1101700230708", "NATIONAL_ID"), ("0011004123456", "US_BANK_ACCOUNT"), ("4821", "PIN")]),
    ("OTP 2025 migration plan, 2FA code 2024 audit, PIN now 2024-compliant", []),
    # From the ninth tester: short one-time codes, a code before prose, names in a list.
    ("Your verification code is 4821. OTP 91827. PIN: 4821-please change it. CVV 737\u2014exp 03/28",
     [("4821", "PIN"), ("91827", "PIN"), ("4821", "PIN"), ("737", "CVV")]),
    ("Passport numbers: 533380006 (mine), Anna 548123456. Account numbers: 12345678 (Alice), Bob 87654321",
     [("533380006", "PASSPORT"), ("548123456", "PASSPORT"), ("12345678", "US_BANK_ACCOUNT"),
      ("87654321", "US_BANK_ACCOUNT")]),
    ("PIN-kode: 4821, Min PIN-kod är 1234, PIN-koodi on 5678",
     [("4821", "PIN"), ("1234", "PIN"), ("5678", "PIN")]),
    ("<tr><th>Password</th><th>Strength</th></tr><tr><td>weak</td><td>1</td></tr>", []),
    ("<tr><th>User</th><th>Password</th></tr><tr><td>bob</td><td>expired</td></tr>"
     "<tr><td>al</td><td>Gr33nTea_42</td></tr>", [("Gr33nTea_42", "PASSWORD")]),
    # HTML: markup between a label and its value; a table's header row names its columns.
    ("<td>CVV</td><td>123</td> <strong>CVV</strong> 456 <b>PIN:</b> 4821",
     [("123", "CVV"), ("456", "CVV"), ("4821", "PIN")]),
    ("<td>PIN</td><td>Reset</td> <b>Account</b> <i>closed</i>", []),
    ("<table><tr><th>Name</th><th>SSN</th><th>CVV</th></tr>\n"
     "<tr><td>Bob</td><td> 536-22-8714 </td><td>123</td></tr>"
     "</table><tr><td>Al</td><td>x</td><td>456</td></tr>",
     [("Bob", "PERSON"), ("536-22-8714", "US_SSN"), ("123", "CVV")]),
    ("<tr><th>Order</th><th>Amount</th></tr><tr><td>4821</td><td>123</td></tr>", []),
    ("<th>Order</th> 4821 <TH>Amount", []),
    (">> SSN 536-22-\n>> 8714 and SSN 536_22_8714, card=4111+1111+1111+1111",
     [("536-22-\n>> 8714", "US_SSN"), ("536_22_8714", "US_SSN"), ("4111+1111+1111+1111", "CREDIT_CARD")]),
]
# fmt: on


# PINs after their label in more languages, the card and possessives between; a particle glued
# after the value (`です`, `번`).
# fmt: off
PIN_CASES: list[tuple[str, list[tuple[str, str]]]] = [
    ("code confidentiel de la carte : 7390; ПИН карты: 4821; το PIN μου είναι 4822",
     [("7390", "PIN"), ("4821", "PIN"), ("4822", "PIN")]),
    ("الرقم السري للبطاقة 4821; mã PIN là 4823; PIN ATM saya 482193; 暗証番号は1234です",
     [("4821", "PIN"), ("4823", "PIN"), ("482193", "PIN"), ("1234", "PIN")]),
    # A card PIN's first two digits (Korean payment forms), not the instruction to type them.
    ("카드 비밀번호 앞 두자리 48; 비밀번호 앞2자리: 37; 비밀번호 앞 두자리는 29입니다",
     [("48", "PIN"), ("37", "PIN"), ("29", "PIN")]),
    ("비밀번호 앞 두자리를 입력하세요; 비밀번호 앞 2자리 (숫자); 비밀번호 앞 두자리 123456", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), PIN_CASES)
def test_pins_in_more_languages(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


# India's PAN (its shape checked; `PAN` before digits is a card's account number), a Polish id
# card's three-letter series, and a patient's, member's or employee's number: tier 2 (`ID`).
# fmt: off
RECORD_CASES: list[tuple[str, list[tuple[str, str]]]] = [
    ("Customer uploaded PAN HLBPA2681W.", [("HLBPA2681W", "NATIONAL_ID")]),
    ("PAN no. abcpd1234e; PAN: 4111 1111 1111 1111",
     [("abcpd1234e", "NATIONAL_ID"), ("4111 1111 1111 1111", "CREDIT_CARD")]),
    ("Polish ID card ABK 633611, dowód osobisty ABC 123456",
     [("ABK 633611", "NATIONAL_ID"), ("ABC 123456", "NATIONAL_ID")]),
    ("MRN: MRN-95494093   Insurance member ID: URE775888437",
     [("MRN-95494093", "ID"), ("URE775888437", "ID")]),
    ("Patient ID: 4471823, policy number 99812233, 保険証番号：25198825",
     [("4471823", "ID"), ("99812233", "ID"), ("25198825", "ID")]),
    # Not ids: a pan, a short or plain word after the label, a PAN of the wrong shape.
    ("pan the camera 30 degrees; PAN 2024 plan; PAN ABCDE1234F", []),
    # Labels in the detection view's form (Thai `ำ`), `n.º` (`n.o` in the view), more national ids,
    # a bank's name or an account's type before its number, Russian account and bank codes.
    ("เลขประจำตัวประชาชน: 1101700230708; Cartão de Cidadão n.º 12345678 0 ZZ4; passaporte n.º C123456",
     [("1101700230708", "NATIONAL_ID"), ("12345678 0 ZZ4", "NATIONAL_ID"), ("C123456", "PASSPORT")]),
    ("il mio CF è rssmra85t10a562s; पैन कार्ड: ABCPE1234F; numéro fiscal (SPI) : 3023 217 600 053",
     [("rssmra85t10a562s", "NATIONAL_ID"), ("ABCPE1234F", "NATIONAL_ID"),
      ("3023 217 600 053", "NATIONAL_ID")]),
    ("국민은행 123456-01-234567; 三菱UFJ銀行 渋谷支店 普通 1234567; р/с 40817810099910004312, БИК 044525225",
     [("123456-01-234567", "US_BANK_ACCOUNT"), ("1234567", "US_BANK_ACCOUNT"),
      ("40817810099910004312", "US_BANK_ACCOUNT"), ("044525225", "US_BANK_ROUTING")]),
    ("은행 2024년 실적; 普通の人 20240501; cf. the appendix 1234567890123456; CF ABCDEF12G34H567I", []),
    ("policy number 3 says; employee id: E-1; member id required", []),
    ("Student number 25000 in 2024. Policy Number: POL-2024-01. ISO policy number 27001", []),
    ("暗証番号は1234などの番号を避けてください。暗証番号は0000以外に。暗証番号は2024年に変更", []),
    # After the forms and financial testers: health-card and insurance numbers, an EIN in its
    # printed shape, Canada's SIN by Luhn, camelCase keys, Vietnamese labels in sentence case.
    ("NHS No: 437 950 6746; MBI: 1EG4-TE5-MK73; CURP: HERG620420MDFRMD42; OHIP: 1234-567-890-AB",
     [("437 950 6746", "NATIONAL_ID"), ("1EG4-TE5-MK73", "NATIONAL_ID"),
      ("HERG620420MDFRMD42", "NATIONAL_ID"), ("1234-567-890-AB", "NATIONAL_ID")]),
    ("NISS : 39.10.10-365.30; Medicare card number: 4576 03728 8; Pers.nr: 671112-4492",
     [("39.10.10-365.30", "NATIONAL_ID"), ("4576 03728 8", "NATIONAL_ID"), ("671112-4492", "NATIONAL_ID")]),
    ("EIN 35-7487939; FEIN: 27-3193121; Employer identification number (EIN)   45-9541516; SIN 046 454 286",
     [("35-7487939", "NATIONAL_ID"), ("27-3193121", "NATIONAL_ID"), ("45-9541516", "NATIONAL_ID"),
      ("046 454 286", "NATIONAL_ID")]),
    ('{"nationalId": "1680 2874 8564", "idNumber": "3374085701920818"}; Số tài khoản: 7341521840905',
     [("1680 2874 8564", "NATIONAL_ID"), ("3374085701920818", "NATIONAL_ID"),
      ("7341521840905", "US_BANK_ACCOUNT")]),
    ("Mã bảo mật: 652; ワンタイムパスワード 748427; número da conta 5571029327; tài khoản 3943199934",
     [("652", "CVV"), ("748427", "PIN"), ("5571029327", "US_BANK_ACCOUNT"),
      ("3943199934", "US_BANK_ACCOUNT")]),
    # Words these labels are too (the precision review): a verb, a business registration, an SMS
    # short code, any check digit, a department.
    ("La città conta 5533012 abitanti; 사업자등록번호: 123-45-67890; code SMS 39998; Prüfziffer: 798; "
     "Departamento de personal 2024833", []),
    # German `ein`, Spanish `sin` (no Luhn), the NHS's phone line and a plan's year stay.
    ("ein 123456789 Euro; sin 123456789 pesos; the NHS 111 service; NHS 2024 plan; health card holders", []),
    # A bank's code between the label and the number; two capitals are an IBAN's country.
    ("no rek BCA 1234567890; Konto DKB 1234567890; Account HSBC 12345678",
     [("1234567890", "US_BANK_ACCOUNT"), ("1234567890", "US_BANK_ACCOUNT"), ("12345678", "US_BANK_ACCOUNT")]),
    ("account NEW 2024 plan; account SEPA 2024", []),
    # Record numbers in the languages of the forms tester's records: tier 2 (`ID`).
    ("Staff number: E658929; N° salarié : 4827361; Nº de póliza: POL-88273611; 社員番号: A1029384",
     [("E658929", "ID"), ("4827361", "ID"), ("POL-88273611", "ID"), ("A1029384", "ID")]),
    ("Membership number: XGH482937717; Pupil number: S2720123; N° de dossier : 88213746; 학번: 20241234",
     [("XGH482937717", "ID"), ("S2720123", "ID"), ("88213746", "ID"), ("20241234", "ID")]),
    ("the staff number is 3 and tessera 2024; matricule requis; Policy de police 12", []),
    # A company's VAT id (`USt-IdNr.`) and a ledger's account are no person's.
    ("USt-IdNr. DE068689786; GL account 6100-802; general ledger account 400100",
     []),
    ("Steuer-IdNr. 12345678901; account 6100-802-123",
     [("12345678901", "NATIONAL_ID"), ("6100-802-123", "US_BANK_ACCOUNT")]),
    # Hong Kong: the check digit in parentheses is the value's last character.
    ("HKID: A123456(7); 香港身份證 Z683365(5); HKID No. AB987654(A)",
     [("A123456(7)", "NATIONAL_ID"), ("Z683365(5)", "NATIONAL_ID"), ("AB987654(A)", "NATIONAL_ID")]),
    ("Model A123456(7) ships; id number A123456 (see note); HKID: A123456(B)",
     [("A123456", "NATIONAL_ID"), ("A123456", "NATIONAL_ID")]),
    # More countries' labels: Singapore, Chile, Switzerland, Romania, Ireland, Pakistan, Malaysia.
    ("NRIC: S0156418H\nRUT: 24.415.160-4\nAHV-Nr.: 756.9217.0769.85\nCNP: 1800101221144\nPPS No: 1234567TW\n"
     "CNIC: 35202-1234567-1\nMyKad: 900101-14-5678",
     [("S0156418H", "NATIONAL_ID"), ("24.415.160-4", "NATIONAL_ID"), ("756.9217.0769.85", "NATIONAL_ID"),
      ("1800101221144", "NATIONAL_ID"), ("1234567TW", "NATIONAL_ID"), ("35202-1234567-1", "NATIONAL_ID"),
      ("900101-14-5678", "NATIONAL_ID")]),
    ("he was stuck in a rut: 5 times; the avs 2 release; pps: 3", []),
    ("my social is 331987904; Social # 331987904", [("331987904", "US_SSN"), ("331987904", "US_SSN")]),
    ("Medicare Beneficiary ID: 6TX3-GR5-GQ22", [("6TX3-GR5-GQ22", "NATIONAL_ID")]),
    ('National Identification Number: 51603389644\n"cardCode": "368"',
     [("51603389644", "NATIONAL_ID"), ("368", "CVV")]),
    ("my social media 123456789 views", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), RECORD_CASES)
def test_pan_and_record_numbers(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


# Tier-2 values a table names by column: a date of birth, a street, a person's name. A bare
# `name` column is a person's only beside another personal column (`email`, `dob`, `ssn`).
# fmt: off
COLUMN_CASES: list[tuple[str, list[tuple[str, str]]]] = [
    ("id,first_name,last_name,dob,street\n1000,Sara,Armstrong,1962-08-24,4090 Troy Extensions Apt. 361",
     [("Sara", "PERSON"), ("Armstrong", "PERSON"), ("1962-08-24", "DATE"),
      ("4090 Troy Extensions Apt. 361", "ADDRESS")]),
    ('"id","date_of_birth","Address"\n"1","05/20/1982","65251 Joseph Ports"\n'
     '"2","3 March 1990","Hauptstr. 12"',
     [("05/20/1982", "DATE"), ("65251 Joseph Ports", "ADDRESS"), ("3 March 1990", "DATE"),
      ("Hauptstr. 12", "ADDRESS")]),
    ("INSERT INTO customers (id, name, email, dob) VALUES (1, 'Josephine Gould', 'j@x.io', '1963-04-19');",
     [("Josephine Gould", "PERSON"), ("1963-04-19", "DATE")]),
    ("| Name | Phone |\n|---|---|\n| Jane Roe | 555 0100 |", [("Jane Roe", "PERSON")]),
    ("<tr><th>Patient name</th><th>Birthday</th></tr><tr><td>Ann Lee</td><td>1956-10-23</td></tr>",
     [("Ann Lee", "PERSON"), ("1956-10-23", "DATE")]),
    # Inline markup in a cell: the text inside it; text split by markup is left to the others.
    ("<tr><th><b>First name</b></th><th>Birthday</th></tr><tr><td><span>Hope</span></td>"
     "<td><time>1979-03-03</time></td></tr><tr><td><b>Jane</b> <i>Roe</i></td><td></td></tr>",
     [("Hope", "PERSON"), ("1979-03-03", "DATE")]),
    # Prefixed, camelCase, accented and dotted column names; a street without a type word; a
    # date of birth with a time; a "Last, First" cell.
    ("customer_first_name;contact.lastName;patient_dob;Dirección\n"
     "Luca;Bianchi;1962-09-07T00:00:00;8 Kingsway",
     [("Luca", "PERSON"), ("Bianchi", "PERSON"), ("1962-09-07T00:00:00", "DATE"), ("8 Kingsway", "ADDRESS")]),
    ('INSERT INTO c (id, "Patient Name", "D.O.B.") VALUES (1, \'Smith, John\', \'March 3, 1979\');',
     [("Smith, John", "PERSON"), ("March 3, 1979", "DATE")]),
    # Not personal: a product's name, cells that are no value of the column, a network table.
    ("id,name,price\n1,Widget Pro,9.99", []),
    # A schema or data dictionary: rows of column names under another header are no header.
    ("col,desc\nfirst_name,Given name\nnotes,Free text\n", []),
    ("| column | type |\n|---|---|\n| last_name | text |\n| address | text |", []),
    # A `name` beside an `address` column of machines, contracts, URLs or rooms names no one;
    # the generic word for name in other languages is a bare `name` too.
    ("name,address\nweb-01,10.0.0.11\nRouter,0x7ffe4c2a1b30\nDocs,https://docs.example.com/v2", []),
    ("name,floor,address\nAda,3,HQ\nTuring,4,Annex", []),
    ("COPY public.stores (id, name, street) FROM stdin;\n1\tStore Berlin\tHauptstraße\n\\.", []),
    ("Name;Nom;Nombre;Nome\nApple;Pomme;Manzana;Mela", []),
    ("name,email\nsupport,support@example.com", []),
    # Beside only an e-mail, phone or street a bare `name` must read as a person's: two words,
    # none a common or a business word (a directory of shops, offices and teams).
    ("vendor,name,email,phone\nV-1,Northwind Traders,o@nw.io,+1 206 555 0110\n"
     "V-2,Helpdesk,h@nw.io,+1 206 555 0111\nV-3,Jane Roe,j@nw.io,+1 206 555 0112", [("Jane Roe", "PERSON")]),
    ("| Hotel | Name | Address |\n|---|---|---|\n| H1 | Grand Plaza | 100 Main St |\n"
     "| H2 | Seaside Inn | 22 Ocean Ave |",
     [("100 Main St", "ADDRESS"), ("22 Ocean Ave", "ADDRESS")]),
    ("name,support_email,price\nWidget Pro,support@widgets.example,19.99", []),
    ("INSERT INTO t (id, first_name, last_name) VALUES (DEFAULT, DEFAULT, NULL);", []),
    ("<tr><th>Name</th><th>Account</th></tr><tr><td>Sales</td><td>4000</td></tr>", []),  # a ledger
    ("<tr><th>Pin</th><th>Name</th></tr><tr><td>1</td><td>VCC</td></tr>", []),  # a pin-out
    ("name,token\nci-deploy,notes", []),
    ("id,first_name,dob,address\n1,N/A,unknown,see above\n2,R2D2,1999,10.0.0.1\n3,null,-,mail@x.io", []),
    ("host,address,port\ndb,10.0.0.1,5432\nwww,www.example.com,443", []),
    ("Enter your date of birth, address and first name below.", []),
]
# fmt: on


# The same names as a record's keys: JSON, Python, YAML, .env and keyword arguments.
# fmt: off
KEYED_CASES: list[tuple[str, list[tuple[str, str]]]] = [
    ('[{"first_name": "Olga", "last_name": "Ivanova", "dob": "1971-12-31"}]',  # the date: `dates`
     [("Olga", "PERSON"), ("Ivanova", "PERSON")]),
    ("FIRST_NAME: Sven\nLAST_NAME: Lindqvist\nADDRESS_LINE_1: 8 Kingsway",
     [("Sven", "PERSON"), ("Lindqvist", "PERSON"), ("8 Kingsway", "ADDRESS")]),
    ("{'firstName': 'Joe', 'lastName': 'Bloggs'}", [("Joe", "PERSON"), ("Bloggs", "PERSON")]),
    ("User(first_name='Ann', last_name=\"de Vries\")", [("Ann", "PERSON"), ("de Vries", "PERSON")]),
    # SQL, logfmt, query strings, PHP arrays, XML elements and attributes.
    ("SELECT id FROM users WHERE first_name = 'Margit' AND active = 1;", [("Margit", "PERSON")]),
    ('first_name="Olga" id=3 last_name=Ivanova x=1', [("Olga", "PERSON"), ("Ivanova", "PERSON")]),
    ("GET /api/users?first_name=Olga&last_name=Ivanova", [("Olga", "PERSON"), ("Ivanova", "PERSON")]),
    ("'last_name' => 'Ivanova', <firstName>Olga</firstName>", [("Ivanova", "PERSON"), ("Olga", "PERSON")]),
    ('<customer firstName="Ludovic" street="12 Rue Oberkampf"/>',
     [("Ludovic", "PERSON"), ("12 Rue Oberkampf", "ADDRESS")]),
    # A bare `name` key counts in a record with a personal key beside it, as in a table.
    ('{"user": {"name": "Danielle Brooks", "email": "d@x.io"}}\nname: Jane Roe\nphone: 555 0100',
     [("Danielle Brooks", "PERSON"), ("Jane Roe", "PERSON")]),
    ('{"name": "web-01", "email": "ops@x.com"} {"name": "Acme Corp", "email": "a@acme.com"}', []),
    ('{"name": "Berlin Office", "phone": "+49 30 901820"} {"name": "Weekly Digest", "phone": null}', []),
    ('{"name": "Bob", "dob": "1990-01-01"}', [("Bob", "PERSON")]),
    ('{"name": "Bob", "email": "b@x.io"}', []),
    ('{"name": "Marketing Team", "email": "m@x.com"} {"name": "My Service", "version": "1.0"}', []),
    # Labels, messages, types, statuses, organisations and non-streets where a record holds a value.
    ('{"first_name": "First name", "last_name": "Le prénom est obligatoire", "full_name": "Your name"}', []),
    ("first_name: This field may not be blank.\nfirstName: PropTypes.string.isRequired,", []),
    ("customer_name: Acme Corporation\ncustomer_name: Walk-in\ncardholder: VISA\nfirst_name: String", []),
    ('{"given_name": "Service", "family_name": "Principal", "first_name": "Guest"}', []),
    ('address: Port 8080\n{"address": "Node 12", "street": "Building 42"}', []),
    # Types, code and prose where a record would hold the value.
    ("class P:\n    first_name: str\n    last_name: Optional[str]\n    address: Address\n    dob: date", []),
    ("the first name: is required; first_name = request.form['fn']; surname: String", []),
    ("First name: John. He called about the address: 17 Maple Ave. Call me", []),  # prose, not a record
    ('{"first_name": {"type": "string"}, "last_name": null, "dob": "unknown"}', []),
    # A lowered export: names in lower case under a person's key, quoted or `key=value`; a
    # schema's or a form's words, common words and particles alone stay.
    ('{"first_name":"stephanie","last_name":"van der berg","dob":"1985-03-12"}',
     [("stephanie", "PERSON"), ("van der berg", "PERSON")]),
    ("{'fname': 'maria', 'lname': 'gonzalez', 'email': 'mg@example.com'}",
     [("maria", "PERSON"), ("gonzalez", "PERSON")]),
    # ... but not a translation file, a field mapping, a query's filter or a Django lookup.
    ('{"first_name": "vorname", "last_name": "nachname"}\nfirst_name=trim&last_name=desc', []),
    ("{'first_name': 'icontains', 'last_name': 'desc'}", []),
    ('{"first_name": "required", "last_name": "string", "fname": "null", "lname": "test user"}', []),
    ('{"surname": "de", "first_name": "n/a"}', []),
    ("first_name: maria\nlast_name: mark", []),  # bare YAML in lower case: a type or a word as often
    # After the forms tester: names with Mc/Mac/De/La prefixes, the family name first, a Markdown
    # row, a person's whole name in more languages and scripts.
    ("Patient name: DeShawn Brooks\nEmployee name: Siobhan McAllister\nPatient name: GONZALEZ, Maria",
     [("DeShawn Brooks", "PERSON"), ("Siobhan McAllister", "PERSON"), ("GONZALEZ, Maria", "PERSON")]),
    ("| Field | Value |\n|---|---|\n| Patient name | Whitaker John |\n| Name | Ann Lee |\n| DOB | 8/23/56 |",
     [("Whitaker John", "PERSON"), ("Ann Lee", "PERSON")]),
    ("Nom et prénom : Jean Dupont\nImię i nazwisko: Jan Kowalski\n患者氏名: 山田 太郎\n성명: 김민수\n"
     "ФИО: Иванов Иван Иванович\nHọ và tên: Nguyễn Văn An",
     [("Jean Dupont", "PERSON"), ("Jan Kowalski", "PERSON"), ("山田 太郎", "PERSON"), ("김민수", "PERSON"),
      ("Иванов Иван Иванович", "PERSON"), ("Nguyễn Văn An", "PERSON")]),
    # Code, a form's instructions, a row of a product table.
    ("userName: fooBar\nNazwisko: wymagane\n氏名：必須\n| Name | Price |\n| Widget | 9.99 |", []),
    ("| column | classification |\n|---|---|\n| dob | PII-high |\n| name | PII-medium |", []),
    # An address under its label that the address grammar does not read: a street type first, or
    # parts ending in a postcode; the whole line is one span.
    ("Adres: ul. Długa 46 m. 15, 31-042 Kraków\nAlamat: Jl. Gatot Subroto No. 54, Jakarta Pusat 10220\n"
     "Address: Storgatan 12 B, 114 51 Stockholm",
     [("ul. Długa 46 m. 15, 31-042 Kraków", "ADDRESS"),
      ("Jl. Gatot Subroto No. 54, Jakarta Pusat 10220", "ADDRESS"),
      ("Storgatan 12 B, 114 51 Stockholm", "ADDRESS")]),
    ("address: see the wiki, page 2024\naddress: Port 8080\nStart address: 0x08000000, length 65536", []),
    ("氏名: 記入してください\n성명: 입력하세요", []),
    ("ФИО: Смотри Приложение\nNazwisko: Brak Danych\nNombre y apellidos: Ver Anexo\n姓名: 见附件", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), KEYED_CASES)
def test_tier2_keys(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(("text", "expected"), COLUMN_CASES)
def test_tier2_columns(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_labeled_ids_table(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_labeled_values_are_dropped_by_scrub() -> None:
    text = 'Customer: {"ssn": "123456789", "card_number": "4111 1111 1111 1112", "cvv": "918"}'
    scrubbed = redaction.scrub(text).text
    for value in ("123456789", "4111 1111 1111 1112", "918"):
        assert value not in scrubbed, "a labeled tier-1 value must never reach the LLM"
    for kind in ("US_SSN", "CREDIT_CARD", "CVV"):
        assert f"[REDACTED:{kind}]" in scrubbed


def test_random_ssns_after_random_labels_are_always_found() -> None:
    rng = random.Random(5)
    labels = ["SSN", "ssn:", '"ssn": "', "Social Security Number", "SSN on file is", "SS#", "ssn=\n"]
    seps = ["", "-", " ", ".", "/"]
    for _ in range(1_000):
        digits = f"{rng.randrange(1, 899):03d}{rng.randrange(1, 99):02d}{rng.randrange(1, 9999):04d}"
        sep = rng.choice(seps)
        value = f"{digits[:3]}{sep}{digits[3:5]}{sep}{digits[5:]}"
        if len(set(digits)) == 1:
            continue
        text = f"{rng.choice(labels)} {value} thanks"
        assert _found(text) == [(value, "US_SSN")], text


def test_table_columns_are_dropped_by_scrub() -> None:
    text = (
        "id,tax_id,created\n9542,966520831,2024-07-10\n"
        "\nINSERT INTO applicants (id, account_number, state)"
        " VALUES (6448, '８４８７ ４５７８ ２', 'open');\n"
        "id,nir,created\n4573,１-６９-０２-７５-８９５-８６５-３５,2024-07-16\n"
    )
    scrubbed = redaction.scrub(text).text
    for value in ("966520831", "８４８７ ４５７８ ２", "１-６９-０２-７５-８９５-８６５-３５"):
        assert value not in scrubbed, "a value under a labeled column must never reach the LLM"
    for kind in ("US_ITIN", "US_BANK_ACCOUNT", "NATIONAL_ID"):
        assert f"[REDACTED:{kind}]" in scrubbed
    assert "9542," in scrubbed, "other columns are left as they are"
    assert "2024-07-10" in scrubbed


def test_random_tables_with_a_labeled_column_are_always_found() -> None:
    """Any position of the labeled column, any delimiter, any row count: every cell is found;
    the same digits under another column never are."""
    rng = random.Random(11)
    columns = {"ssn": "US_SSN", "tax_id": "US_ITIN", "card_number": "CREDIT_CARD", "bsn": "NATIONAL_ID"}
    for _ in range(300):
        name, kind = rng.choice(sorted(columns.items()))
        delimiter = rng.choice([",", "\t", ";", "|"])
        width = rng.randrange(2, 6)
        at = rng.randrange(width)
        labeled = rng.random() < 0.8
        header = ["id", "created", "note", "status", "ref"][:width]
        header[at] = name if labeled else "session_id"
        rows, values = [], []
        for row in range(rng.randrange(1, 6)):
            if kind == "CREDIT_CARD":
                value = rng.choice(
                    ["4111 1111 1111 1111", "5500-0000-0000-0004", "4.0.1.2.8.8.8.8.8.8.8.8.1.8.8.1"]
                )
            else:
                value = f"{'9' if kind == 'US_ITIN' else rng.randrange(1, 9)}{rng.randrange(10**7, 10**8)}"
            cells = [str(row), "2024-05-01", "ok", "open", "x"][:width]
            cells[at] = value
            rows.append(delimiter.join(cells))
            values.append(value)
        text = delimiter.join(header) + "\n" + "\n".join(rows) + "\n"
        expected = [(value, kind) for value in values] if labeled else []
        assert _found(text) == expected, text


@pytest.mark.parametrize(
    "text",
    [
        "id,ssn\n" * 20_000,
        "ssn," * 25_000,
        "id,ssn,x\n" + "1,123456789,y\n" * 10_000,
        "INSERT INTO t (id, ssn) VALUES (" * 5_000,
        "INSERT INTO t (id, ssn) VALUES " + "(1, '123456789'), " * 10_000,
        "安全码" * 30_000,
        "SSN " * 25_000,
        "account 1 " * 10_000,
        "card: " * 16_000,
        "PIN " * 25_000,
        "IBAN GB82 " * 10_000,
        "ssn is the is the " * 5_000,
        "account " + "1 " * 50_000,
        # From the seventh tester: every header row checked every table above it.
        "ssn,a\nssn;a\nssn|a\nssn\ta\n" * 4_000 + " 00",
        "<tr><th>SSN</th></tr><tr><td>1</td></tr>" * 2_000,
        "SSN 536228714, " * 6_000,
    ],
)
def test_adversarial_input_runs_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0


def test_random_lowercase_ids_after_their_label_are_always_found() -> None:
    """Valid IBANs and codici fiscali in small letters with random separators are found whole,
    and scrub drops them."""
    from stdnum import iban
    from stdnum.it import codicefiscale

    rng = random.Random(7)
    for _ in range(200):
        bban = "".join(rng.choice("0123456789") for _ in range(23))
        body = "FR00" + bban
        value = "FR" + iban.calc_check_digits(body) + bban
        sep = rng.choice([" ", "-", " - ", "/"])
        shown = sep.join(value[i : i + 4] for i in range(0, len(value), 4)).lower()
        assert _found(f"IBAN : {shown}") == [(shown, "IBAN")]
        letters = "".join(rng.choice("BCDFGHLMNPRSTVZ") for _ in range(6))
        head = f"{letters}{rng.randint(10, 99)}{rng.choice('ABCDEHLMPRST')}{rng.randint(10, 28)}H501"
        cf = (head + codicefiscale.calc_check_digit(head)).lower()
        out = redaction.scrub(f"codice fiscale: {cf}").text
        assert cf not in out
        assert "[REDACTED:NATIONAL_ID]" in out
