"""DateDetector: every calendar date is a DATE span; only a birth context makes it ``dob``."""

from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import redaction
from redaction.detectors.dates import DateDetector

DETECTOR = DateDetector()


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(text[s.start : s.end], s.kind, s.label) for s in DETECTOR.detect(text)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str, str]]]] = [
    # Dates of birth, in the formats people write them.
    ("Patient: Amy Hansen    DOB: August 23, 1978\n", [("August 23, 1978", "DATE", "dob")]),
    ('{"first_name":"Stephanie","dob":"July 24, 1997"}', [("July 24, 1997", "DATE", "dob")]),
    ("passport no. A56375155, date of birth 05/27/1943.", [("05/27/1943", "DATE", "dob")]),
    ("date of birth 13 septembre 1971.", [("13 septembre 1971", "DATE", "dob")]),
    ("date of birth 11/9/1982, nationality US", [("11/9/1982", "DATE", "dob")]),
    ("DOB: 1966-07-09\n", [("1966-07-09", "DATE", "dob")]),
    ("(DOB 1945년 4월 25일)", [("1945년 4월 25일", "DATE", "dob")]),
    ("tel:(262)291-0074.dob=02/13/1963|ip=[47.224.54.244]", [("02/13/1963", "DATE", "dob")]),
    ("(DOB 12. Juli 1975)", [("12. Juli 1975", "DATE", "dob")]),
    ("(DOB 13.01.1988)", [("13.01.1988", "DATE", "dob")]),
    ("DOB: 21/10/1973\n", [("21/10/1973", "DATE", "dob")]),
    ("He was born on Nov 9th, 1982 in Leeds.", [("Nov 9th, 1982", "DATE", "dob")]),
    ("D.O.B.: 23 Aug 1978", [("23 Aug 1978", "DATE", "dob")]),
    ('{"date_of_birth": "1982-11-09"}', [("1982-11-09", "DATE", "dob")]),
    ("Birth date: 09.11.1982", [("09.11.1982", "DATE", "dob")]),
    ("Geburtsdatum: 7. März 1980", [("7. März 1980", "DATE", "dob")]),
    # Birth labels and verbs in more languages, their month names (genitive, partitive), and a
    # birth verb after the date.
    ("fødselsdato: 14.07.1985; födelsedatum: 1985-07-14; syntymäaika: 14.7.1985",
     [("14.07.1985", "DATE", "dob"), ("1985-07-14", "DATE", "dob"), ("14.7.1985", "DATE", "dob")]),
    ("urodzony 14 lipca 1985 r., narozen 14. července 1985, syntynyt 14. heinäkuuta 1985",
     [("14 lipca 1985", "DATE", "dob"), ("14. července 1985", "DATE", "dob"),
      ("14. heinäkuuta 1985", "DATE", "dob")]),
    ("родился 14 июля 1985 г.; дата народження: 14.07.1985; γεννήθηκα στις 14 Ιουλίου 1985",
     [("14 июля 1985", "DATE", "dob"), ("14.07.1985", "DATE", "dob"), ("14 Ιουλίου 1985", "DATE", "dob")]),
    ("doğum tarihi: 14.07.1985; 14 Temmuz 1985 doğumluyum; Ich bin am 3. März 1990 geboren",
     [("14.07.1985", "DATE", "dob"), ("14 Temmuz 1985", "DATE", "dob"), ("3. März 1990", "DATE", "dob")]),
    ("تاريخ الميلاد: 14/07/1985; ولدت في 14 يوليو 1985; נולדתי ב-14.7.1985",
     [("14/07/1985", "DATE", "dob"), ("14 يوليو 1985", "DATE", "dob"), ("14.7.1985", "DATE", "dob")]),
    ("जन्म तिथि: 14-07-1985; ngày sinh: 14/07/1985; TTL: Jakarta, 14 Juli 1985; 生日：1985-07-14",
     [("14-07-1985", "DATE", "dob"), ("14/07/1985", "DATE", "dob"), ("14 Juli 1985", "DATE", "dob"),
      ("1985-07-14", "DATE", "dob")]),
    # Not birth dates: TTL as a time to live, Vietnamese compounds of `sinh`, a form field's
    # changelog, `д.р.` (a misspelt `и др.`), Indonesian `lahir` said of a movement.
    ('{"ttl": "2024-12-31"}; DNS TTL 2024-03-12 changed; Ngày sinh hoạt câu lạc bộ: 12/03/2024',
     [("2024-12-31", "DATE", "date"), ("2024-03-12", "DATE", "date"), ("12/03/2024", "DATE", "date")]),
    ("Fødselsdato-feltet ble lagt til 12.03.2024. Поле «дата рождения» добавлено 12.03.2024.",
     [("12.03.2024", "DATE", "date"), ("12.03.2024", "DATE", "date")]),
    ("Книги и д.р. поступили 12.03.2024. Gerakan ini lahir 12/03/1998 sebagai reformasi.",
     [("12.03.2024", "DATE", "date"), ("12/03/1998", "DATE", "date")]),
    ("lahir di Jakarta, 14 Juli 1985; Saya lahir 12 Maret 1985; Иванов И.И., д.р. 12.03.1985",
     [("14 Juli 1985", "DATE", "dob"), ("12 Maret 1985", "DATE", "dob"), ("12.03.1985", "DATE", "dob")]),
    ("Meeting on 14 juli 2024 in Stockholm; DNS TTL updated on 2024-05-01; sinh viên, 14/07/2024",
     [("14 juli 2024", "DATE", "date"), ("2024-05-01", "DATE", "date"), ("14/07/2024", "DATE", "date")]),
    ("fecha de nacimiento: 5 de mayo de 1980", [("5 de mayo de 1980", "DATE", "dob")]),
    ("Date of Birth (MM/DD/YYYY): 01/02/1990", [("01/02/1990", "DATE", "dob")]),
    ("DOB: 23-Aug-1978", [("23-Aug-1978", "DATE", "dob")]),
    ('{"patient_dob": "1/2/1990"}', [("1/2/1990", "DATE", "dob")]),
    ("DOB\n1/2/1990", [("1/2/1990", "DATE", "dob")]),
    ("née le 3 mars 1970 à Lyon", [("3 mars 1970", "DATE", "dob")]),
    # Words between the birth label and the date, in the same sentence.
    ("date of birth, needed for the form, is 12/03/1971", [("12/03/1971", "DATE", "dob")]),
    ("born (according to the passport) on 3 March 1971", [("3 March 1971", "DATE", "dob")]),
    ("She was born in Leeds on 3 March 1971.", [("3 March 1971", "DATE", "dob")]),
    ("DOB for the insurance claim: 1971-03-12", [("1971-03-12", "DATE", "dob")]),
    ("Date of birth of the applicant (as stated on the ID card): 03/12/1971",
     [("03/12/1971", "DATE", "dob")]),
    ("Geburtsdatum des Kunden: 12.03.1971", [("12.03.1971", "DATE", "dob")]),
    ("fecha de nacimiento del paciente es 12/03/1971", [("12/03/1971", "DATE", "dob")]),
    ("data di nascita del cliente: 12/03/1971", [("12/03/1971", "DATE", "dob")]),
    ("date de naissance de l'assuré : 12/03/1971", [("12/03/1971", "DATE", "dob")]),
    ("né le 12 mars 1971", [("12 mars 1971", "DATE", "dob")]),
    ("생년월일은 1971년 3월 12일", [("1971년 3월 12일", "DATE", "dob")]),
    ("出生日期：1971年3月12日", [("1971年3月12日", "DATE", "dob")]),
    ("1971年3月12日生まれ / 1971년 3월 12일생",
     [("1971年3月12日", "DATE", "dob"), ("1971년 3월 12일", "DATE", "dob")]),
    # A birth word that does not label the date: another event, a sentence break, a plain word.
    ("born in the 2020 reorg, the project shipped 12/03/2021", [("12/03/2021", "DATE", "date")]),
    ("DOB unknown, admitted on 12/03/2021", [("12/03/2021", "DATE", "date")]),
    ("DOB: 1971-03-12, visit 12/03/2021", [("1971-03-12", "DATE", "dob"), ("12/03/2021", "DATE", "date")]),
    ("Patient DOB was recorded. The next visit is 12/03/2021.", [("12/03/2021", "DATE", "date")]),
    ("the birthday party for the team is on 5 June 2024", [("5 June 2024", "DATE", "date")]),
    ("Born to run, the band toured and released it on 3 March 1975", [("3 March 1975", "DATE", "date")]),
    # Other dates: DATE spans labelled "date" (tokenized only when the caller buckets dates).
    ("Release 10.5.33 (01.05.2023)", [("01.05.2023", "DATE", "date")]),
    ("Release v1.22.98 (20 March 2024)", [("20 March 2024", "DATE", "date")]),
    ("Release 7.28.98.8554 (2024年7月26日)", [("2024年7月26日", "DATE", "date")]),
    ("Batch imported at 2025-07-03T17:42:17.168Z.", [("2025-07-03", "DATE", "date")]),
    ('1.2.3.4 - - [22/May/2024:04:52:08 +0000] "GET / HTTP/1.1"', [("22/May/2024", "DATE", "date")]),
    ("Meeting on Monday, August 23, 1978 at noon", [("August 23, 1978", "DATE", "date")]),
    ("paid 11/9/82 by cheque", [("11/9/82", "DATE", "date")]),
    ("The birthday party is on 5 June 2024; DOB is unknown", [("5 June 2024", "DATE", "date")]),
    # Look-alikes that are not dates.
    ("Exercise 7.3.12: show that 1/7 = 0.142857142857...", []),
    ("Windows 10.0.20778.1102, kernel 6.3.7-7-generic", []),
    ("Bump protobuf to 0.29.7-beta.2; full diff v7.6.72...10.5.33", []),
    ("ISBN 978-1-414-88321-2 and 978-21-3524-138-1", []),
    ("Listening on 0.0.0.0:2169, peer 10.21.130.16 and 192.168.1.20", []),
    ("Batch 05d79aaf-902b-4716-b1cb-ce973372b717 imported", []),
    ("checkout 5b53a17f6f8cde0b4747c779fc6abb475e5b4f50", []),
    ("Order 321-5232635-8356602 and PO-2024-22641, ORD-2885832", []),
    ("call 06-12-34-56-78 or 555-12-34", []),
    ("compute 79 x 37 = 2923 and 2^32 = 4294967296; ratio 3:2, 16:9, score 21-17", []),
    ("in 2024 we shipped 1,234,567 rows; since 1999 nothing changed", []),
    ("invalid: 02/30/1990, 13/13/2020, 2023-02-29, 31.04.2021", []),
    ("version 1.2.2024.5 and build 2024.05.01.7", []),
    ("5 May 20 people came", []),
    # Abbreviated birth labels in every language, with every format.
    ("fecha de nac. del titular: 20/02/2004", [("20/02/2004", "DATE", "dob")]),
    ("f. nac.: 1971.03.12", [("1971.03.12", "DATE", "dob")]),
    ("date of b. 20-02-2004", [("20-02-2004", "DATE", "dob")]),
    ("D.O.B. 12 March 1971", [("12 March 1971", "DATE", "dob")]),
    ("née le 3 mars 1971", [("3 mars 1971", "DATE", "dob")]),
    ("Geb.-Datum: 12.03.1971", [("12.03.1971", "DATE", "dob")]),
    ("geb. 12. März 1971", [("12. März 1971", "DATE", "dob")]),
    ("data di nascita: 12/03/1971; nato il 5 maggio 1980",
     [("12/03/1971", "DATE", "dob"), ("5 maggio 1980", "DATE", "dob")]),
    ("생년월일은 1969.02.11입니다.", [("1969.02.11", "DATE", "dob")]),
    ("Date of birth: 19440207", [("19440207", "DATE", "dob")]),
    ("DOB: 14-Mar-85", [("14-Mar-85", "DATE", "dob")]),
    ("Jane Roe, b. 24/04/1939, retired", [("24/04/1939", "DATE", "dob")]),
    ("shipped 14-Mar-85 by sea", [("14-Mar-85", "DATE", "date")]),
    # ... and their look-alikes.
    ("build 20240207 released; order 19440207; b. 1939; ref 1969.02.11x", []),
    ("Section b. 3/4/39", [("3/4/39", "DATE", "date")]),
    ("phone 06-12-34, part AB-12-34", []),
    # A slash joins only a date written with slashes; after another it separates (a list).
    ("DOB 1990-03-04/10.0.0.1", [("1990-03-04", "DATE", "dob")]),
    ("ids 04/03/1990/12 and 1990-03-04/7", [("1990-03-04", "DATE", "date")]),
    # From the eighth tester: dot leaders, Polish and Portuguese birth words.
    ("Date of Birth ..... 10/27/1974; Released ..... 10/27/1974",
     [("10/27/1974", "DATE", "dob"), ("10/27/1974", "DATE", "date")]),
    ("Data urodzenia: 04.06.1970, nasci em 05/12/1950",
     [("04.06.1970", "DATE", "dob"), ("05/12/1950", "DATE", "dob")]),
    # Other calendars and word orders: Japan's and Taiwan's eras, Thai (Buddhist years), Vietnamese,
    # Hindi month names, Czech spaced dots; general dates, dates of birth after their label.
    ("生年月日：昭和60年7月14日; 平成元年1月8日; 出生日期：民國74年7月14日",
     [("昭和60年7月14日", "DATE", "dob"), ("平成元年1月8日", "DATE", "date"),
      ("民國74年7月14日", "DATE", "dob")]),
    ("วันเกิด 14 ก.ค. 2528; 3 มีนาคม พ.ศ. 2530; Ngày sinh: 14 tháng 7 năm 1985; họp 2 tháng 3, 2024",
     [("14 ก.ค. 2528", "DATE", "dob"), ("3 มีนาคม พ.ศ. 2530", "DATE", "date"),
      ("14 tháng 7 năm 1985", "DATE", "dob"), ("2 tháng 3, 2024", "DATE", "date")]),
    ("जन्म तिथि: 14 जुलाई 1985; Datum narození: 14. 7. 1985; schůzka 3. 2. 2025",
     [("14 जुलाई 1985", "DATE", "dob"), ("14. 7. 1985", "DATE", "dob"), ("3. 2. 2025", "DATE", "date")]),
    # Not dates: an era word without a valid date, a month 13, a Thai month without a day, 31 February.
    ("昭和60年13月1日; 14. 13. 1985; ก.ค. 2528; 31 tháng 2 năm 2020", []),
    # Only after a birth label: two-digit and Buddhist years, a form's boxes, yymmdd, MMDDYYYY.
    ("Geburtsdatum: 03.04.60; วันเกิด: 14/07/2528; DOB 03 | 14 | 1962; 생년월일 850714",
     [("03.04.60", "DATE", "dob"), ("14/07/2528", "DATE", "dob"), ("03 | 14 | 1962", "DATE", "dob"),
      ("850714", "DATE", "dob")]),
    ("né le 03.04.60 à Lyon", [("03.04.60", "DATE", "dob")]),
    ("FL10 BIRTHDATE: 03141962; DDN : 21/01/1972; né(e) le 8 juin 1959; ur. 17.05.2006",
     [("03141962", "DATE", "dob"), ("21/01/1972", "DATE", "dob"), ("8 juin 1959", "DATE", "dob"),
      ("17.05.2006", "DATE", "dob")]),
    ('<birthTime value="19620314"/>; F. de nac.: 12/03/1971; Data de nasc.: 12/03/1971',
     [("19620314", "DATE", "dob"), ("12/03/1971", "DATE", "dob"), ("12/03/1971", "DATE", "dob")]),
    # Without a label these stay: a version, a build number, table cells, a 13th month.
    ("version 03.04.60; build 850714; 03 | 14 | 1962 rows; DOB: 991332; order 03141962", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_date_detector_table(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _found(text) == expected


_LABELS = ["date of birth", "DOB", "Date of Birth", "Geburtsdatum", "fecha de nacimiento", "birth date"]
_FILLERS = ["", ", needed for the form, is", " for the insurance claim:", " of the patient (per the ID):",
            " des Kunden:", " del paciente es", " as recorded"]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(_LABELS),
    st.sampled_from(_FILLERS),
    st.dates(min_value=date(1920, 1, 1), max_value=date(2010, 12, 31)),
    st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%B %d, %Y", "%d %B %Y"]),
)
def test_birth_label_with_words_between_labels_the_date(label: str, filler: str, day: date, fmt: str) -> None:
    value = day.strftime(fmt)
    text = f"Note: {label}{filler} {value}. Thanks"
    assert _found(text) == [(value, "DATE", "dob")]


def test_dob_is_tokenized_by_default() -> None:
    text = "Patient: Amy Hansen    DOB: August 23, 1978, seen 11/9/1982."
    result = redaction.scrub(text)
    assert "August 23, 1978" not in result.text, "a date of birth must never reach the LLM"
    assert "[DATE_1]" in result.text
    assert "11/9/1982" in result.text, "other dates carry no identity and stay by default"
    assert redaction.rehydrate(result.text, result.token_map) == text


def test_other_dates_are_tokenized_when_bucketed() -> None:
    text = "Invoice settled on 11/9/1982 after review."
    result = redaction.scrub(text, bucket={"dates": True})
    assert result.text == "Invoice settled on [DATE_1: 1982-Q4] after review."
    assert redaction.rehydrate(result.text, result.token_map) == text


def test_bucketed_dob_shows_only_a_quarter() -> None:
    text = "DOB: 1966-07-09"
    result = redaction.scrub(text, bucket={"dates": True})
    assert result.text == "DOB: [DATE_1: 1966-Q3]"
    assert redaction.rehydrate(result.text, result.token_map) == text


@pytest.mark.parametrize(
    "text",
    [
        "1" * 100_000,
        "1/1/" * 25_000,
        "Jan 1, " * 15_000,
        " 2024" * 20_000,
        "2024-01-" * 12_500,
        "1.1." * 25_000,
    ],
)
def test_adversarial_input_runs_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The map's placeholder of a number-like value between the label and a date is another
        # value, as the date it stands for was: scrubbing the scrubbed text changes nothing.
        ("DOB: 08/23/1978 March 3, 2024", "DOB: [DATE_1] March 3, 2024"),
        # Token-like text the caller typed (a literal, not in the map) and drop markers are
        # words: the birth label still reaches the date.
        ("DOB: [DATE_1] March 3, 2024", "DOB: [DATE_1] [DATE_2]"),
        ("DOB: [AMOUNT_9] 5 Jan 1980", "DOB: [AMOUNT_9] [DATE_1]"),
        ("date of birth [REDACTED:US_SSN] 12/03/1971", "date of birth [REDACTED:US_SSN] [DATE_1]"),
        # A name's placeholder is words, as the name was: the date is still the birth date.
        ("DOB of [PERSON_1]: 12/03/1971", "DOB of [PERSON_1]: [DATE_1]"),
        ("DOB of Jane Doe: 12/03/1971", "DOB of Jane Doe: [DATE_1]"),
    ],
)
def test_placeholders_between_label_and_date(text: str, expected: str) -> None:
    state = redaction.ScrubState()
    first = redaction.scrub(text, state=state)
    assert first.text == expected
    assert redaction.scrub(first.text, state=state).text == expected, "scrub must be idempotent"
