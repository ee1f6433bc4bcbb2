"""Calendar dates; a date of birth is told apart by the words just before it.

Every valid calendar date becomes a ``DATE`` span labelled ``dob`` when a birth context
("DOB:", "date of birth", ``"dob":"``, "born on", "Geburtsdatum", "fødselsdato", "дата
рождения", "urodzony", "ngày sinh", ... in twenty-odd languages) precedes it, or a birth mark
follows it (``1971年3月12日生まれ``, ``1971년 3월 12일생``, "am 3. März 1990 geboren"), ``date``
otherwise. Month names are read in those languages' date forms ("14 lipca", "14 июля").
Words may stand between the label and the date in the same sentence ("date of birth,
needed for the form, is 12/03/1971", "DOB for the insurance claim: 1971-03-12",
"born (according to the passport) on 3 March 1971"): the window rule is at `_BIRTH_WORDS`.
Not ``dob``: a date after a sentence break, another number or date, or an event word
("DOB unknown, admitted on 12/03/2021", "Patient DOB was recorded. Next visit 12/03/2021"),
and "born" or "birthday" used as a plain word ("born in the 2020 reorg, the project shipped
12/03/2021", "birthday party on 5 June 2024"). The engine tokenizes ``date`` spans only
when the caller buckets dates: a release date or a log timestamp identifies nobody, a birth date does.

Speed: digits are everywhere in logs and code, so nothing here scans digit by digit. Every
supported format holds a 19xx/20xx year, which ``re`` finds from the literal ``19``/``20`` at C
speed; the few formats without one are anchored on ``/`` (11/9/82) and ``年``/``년``. The full
pattern is matched at each anchor only, forwards (1982-11-09) or backwards (23 Aug 1978).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from .._spans import Span
from ._base import Pattern, PatternDetector
from ._idscan import scan
from ._literals import LiteralSet
from ._secrets import lowered

__all__ = ["DateDetector"]

# Month names and abbreviations (lowercase, no trailing dot) in the languages users write
# dates in: English, French, German, Spanish, Italian, Portuguese, Dutch; Swedish, Danish,
# Norwegian, Finnish, Polish, Czech, Turkish, Russian, Ukrainian, Greek, Indonesian (the forms
# a date uses: the genitive "14 lipca", "14 июля", "14 Ιουλίου", the partitive "14. heinäkuuta").
_MONTH_NAMES: tuple[tuple[int, str], ...] = (
    (1, "january jan janvier janv januar jänner jän enero ene gennaio janeiro januari tammikuuta stycznia "
        "ledna ocak января січня ιανουαρίου يناير"),
    (2, "february feb février fevrier févr fév februar febrero febbraio fevereiro februari helmikuuta "
        "lutego února şubat февраля лютого φεβρουαρίου فبراير"),
    (3, "march mar mars märz maerz mär marzo março maart marts maaliskuuta marca března mart maret марта "
        "березня μαρτίου مارس"),
    (4, "april apr avril avr abril aprile huhtikuuta kwietnia dubna nisan апреля квітня απριλίου أبريل"),
    (5, "may mai mayo maggio maio mei maj toukokuuta maja května mayıs мая травня μαΐου مايو"),
    (6, "june jun juin juni junio giugno junho kesäkuuta czerwca června haziran июня червня ιουνίου يونيو"),
    (7, "july jul juillet juil juli julio luglio julho heinäkuuta lipca července temmuz июля липня "
        "ιουλίου يوليو"),
    (8, "august aug août aout agosto augustus augusti elokuuta sierpnia srpna ağustos agustus августа "
        "серпня αυγούστου أغسطس"),
    (9, "september sep sept septembre septiembre setiembre settembre setembro syyskuuta września září "
        "eylül сентября вересня σεπτεμβρίου سبتمبر"),
    (10, "october oct octobre oktober okt octubre ottobre outubro lokakuuta października října ekim "
         "октября жовтня οκτωβρίου أكتوبر"),
    (11, "november nov novembre noviembre novembro marraskuuta listopada listopadu kasım ноября листопада "
         "νοεμβρίου نوفمبر"),
    (12, "december dec décembre decembre déc dezember dez diciembre dicembre dezembro joulukuuta grudnia "
         "prosince aralık desember декабря грудня δεκεμβρίου ديسمبر"),
    # Hindi (both spellings in use of a few).
    (1, "जनवरी"), (2, "फरवरी फ़रवरी"), (3, "मार्च"), (4, "अप्रैल"), (5, "मई"), (6, "जून"), (7, "जुलाई"),
    (8, "अगस्त"), (9, "सितंबर सितम्बर"), (10, "अक्टूबर अक्तूबर"), (11, "नवंबर नवम्बर"), (12, "दिसंबर दिसम्बर"),
)  # fmt: skip
_MONTHS: dict[str, int] = {name: number for number, names in _MONTH_NAMES for name in names.split()}

_ORDINAL = r"(?:st|nd|rd|th|er|\.)"
# A month candidate, checked against _MONTHS in validate(); Devanagari spells its vowels with
# marks (`जुलाई`), which `\w` leaves out.
_WORD = r"(?:[^\W\d_]|[\u0900-\u0963\u0970-\u097f]){2,12}"

# A birth keyword, then what may stand between it and the date: `DOB: `, `"dob":"`, `dob=`,
# `(DOB `, `patient_dob: `, `born on `, `Date of birth (dd/mm/yyyy): `. Searched in the
# lowercased window before a date; every branch starts with a literal, so `re` skips the
# window's other characters at C speed (word-boundary look-behinds come after that literal).
_DOB_CONTEXT = re.compile(
    r"(?:d(?<![^\W_]d)\.?[ ]?o\.?[ ]?b(?![^\W_])|date[ _-]?of[ _-]?birth|birth[ _-]?(?:date|day|time)"
    r"|b(?<![^\W_]b)orn(?:[ ]on)?|geburtsdatum|g(?<![^\W_]g)eb(?:\.|urts)?-?datum|g(?<![^\W_]g)eb\."
    r"|geboren(?:[ ]am)?|date[ ]of[ ]b\.|f(?<![^\W_]f)(?:echa[ ]de|\.(?:[ ]?de)?)[ ]?nac\."
    r"|date[ ]de[ ]naissance|d(?<![^\W_]d)dn(?![^\W_])|n(?<![^\W_]n)[ée]e?(?:\(e\))?[ ]le"
    r"|fecha[ ]de[ ]nacimiento|nacid[oa][ ]el|data[ ]di[ ]nascita|nat[oa](?:/[ao]|\([ao]\))?[ ]il"
    r"|data[ ]de[ ]nasc(?:imento|\.)|data[ ]urodzenia|nasc(?:i|eu|id[oa](?:\(a\))?)[ ]em|geboortedatum"
    r"|生年月日|出生日期|생년월일|生日|f(?<![^\W_]f)ødselsdato|f(?<![^\W_]f)ödelsedatum|syntymäaika"
    r"|datum[ ]narozen[íi]|doğum[ ]tarihi|дата[ ]рождения|дата[ ]народження"
    r"|ημερομηνία[ ]γέννησης|تاريخ[ ]الميلاد|תאריך[ ]לידה|जन्म[ ]तिथि|जन्म[ ]तारीख|ngày[ ]sinh(?![ ][^\W\d_])"
    r"|tanggal[ ]lahir|วันเกิด|วันเดือนปีเกิด|(?<![^\W_])д\.[ ]?р\.|(?<![^\W_])ur\.)"  # `д.р.`, `ur.`:
    # right before the date only. (Dot leaders too: `Date of Birth ..... 10/27/1974`; a markup
    # attribute: `<birthTime value="19620314"/>`.)
    r"(?:[ ]?\([^()\n]{1,16}\))?[\s\"'`:=(\[{|,.-]{0,24}(?:(?:is|was|on|am|le|el)[ ]{1,3}|value=[\"']?)?\Z"
)
_CONTEXT_WINDOW = 40

# Words between the label and the date ("date of birth, needed for the form, is 12/03/1971"):
# the last birth word in the 80 characters before the date labels it when nothing between
# them ends the sentence or names another event. A strong word (DOB, date of birth,
# Geburtsdatum, 생년월일 ...) names the field: up to 64 characters of words may follow it,
# without a sentence break (`. `, `;`, `!`, `?`, a blank line), a number of 3+ digits or
# another date (or the map's placeholder of one, or of a phone, amount or id), or a word that
# names another event or an absent value (_OTHER_EVENT). A
# weak word ("born", "birthday", "geboren am", "nacido el") is also a verb or a party: only
# prepositions, capitalized place names and parentheses may follow it ("born in Leeds on",
# "born (according to the passport) on"), so "born in the 2020 reorg, the project shipped
# 12/03/2021" and "birthday party on 5 June 2024" stay plain dates.
_BIRTH_WORDS = re.compile(
    r"(?P<strong>d(?<![^\W_]d)\.?[ ]?o\.?[ ]?b(?![^\W_])|date[ _-]?of[ _-]?birth|birth[ _-]?date"
    r"|geburtsdatum|date[ ]de[ ]naissance|d(?<![^\W_]d)dn(?![^\W_])|fecha[ ]de[ ]nacimiento"
    r"|data[ ]di[ ]nascita|data[ ]de[ ]nasc(?:imento|\.)|data[ ]urodzenia|geboortedatum|生年月日|出生日期"
    r"|出生年月日|생년월일|g(?<![^\W_]g)eb(?:\.|urts)?-?datum|date[ ]of[ ]b\."
    r"|f(?<![^\W_]f)(?:echa[ ]de|\.(?:[ ]?de)?)[ ]?nac\."
    r"|生日|f(?<![^\W_]f)ødselsdato|f(?<![^\W_]f)ödelsedatum|syntymäaika|datum[ ]narozen[íi]"
    r"|doğum[ ]tarihi|дата[ ]рождения|дата[ ]народження|ημερομηνία[ ]γέννησης"
    r"|تاريخ[ ]الميلاد|תאריך[ ]לידה|जन्म[ ]तिथि|जन्म[ ]तारीख|ngày[ ]sinh(?![ ][^\W\d_])|tanggal[ ]lahir|วันเกิด"
    r"|วันเดือนปีเกิด)"
    r"|(?P<weak>b(?<![^\W_]b)orn(?![^\W_])|birth[ _-]?day|geboren|nacid[oa]"
    r"|n(?<![^\W_]n)[ée]e?(?:\(e\))?[ ]le|nat[oa](?:/[ao]|\([ao]\))?[ ]il|nascid[oa](?![^\W_])"
    r"|出生于|出生於|生于|태어난|nac[ií](?![^\W_])|nasci(?![^\W_])|f(?<![^\W_]f)ödd"
    r"|f(?<![^\W_]f)ødt|syntyi?nyt|urodzi(?:ł[ae]m|ła|ł)|urodzon[ya]|narozen[ay]?|narodil[ao]?"
    r"|родил(?:ся|ась)|народи(?:вся|лася)|γεννήθηκα|ولدت|נולד(?:תי|ה)?"
    r"|lahir(?=[ ](?:di|pada|tanggal|tgl)(?![^\W_]))|(?<=saya[ ])lahir|(?<=aku[ ])lahir"
    r"|t(?<![^\W_]t)tl(?![^\W_]))"
)
_WORDS_WINDOW = 80
# Every match of `_DOB_CONTEXT` and of `_BIRTH_WORDS` holds one of these (in lower case): the
# `d.o.b` spellings an `o` then `b`, the rest a word or its stem. `_is_birth_date` reads the
# words before a date only when the 80 characters before it hold one (`_CONTEXT_WINDOW` is
# shorter, so its window is inside).
_BIRTH_STEMS = (
    "ob", "o.b", "o b", "o. b", "of b", "birth", "born", "geb", "nac", "naissance", "nasc", "e le", "é le",
    "nat", "生", "생년월일", "태어난", "urodz", "fød", "föd", "synty", "naroz", "narod", "doğum", "рожд",
    "родил", "народ", "д.р", "д. р", "γενν", "γένν", "ميلاد", "ولدت", "ליד", "נולד", "जन्म", "sinh",
    "lahir", "ttl", "nací", "เกิด", "ddn", "ur.", "e) le",
)  # fmt: skip
_STRONG_GAP = 64
_GAP_BREAK = re.compile(
    r"[!?;。]|\n[ \t]*\n|(?<!\bmr)(?<!\bms)(?<!\bdr)(?<!\bno)(?<!\bnr)(?<!\bmrs)(?<!\bst)\.(?:\s|\Z)"
    r"|[0-9]{3}|[0-9][/.-][0-9]"
    # The placeholder of a number-like value of the map (the engine's "\x01" mask: a date,
    # phone, amount, id): scrubbing scrubbed text reads the gap as the first scrub did.
    r"|\x01"
)
_OTHER_EVENT = re.compile(
    r"(?<![^\W_])(?:unknown|not|n/a|none|missing|withheld|redacted|admitted|admission|visit|seen"
    r"|issued|expir\w*|signed|updated|created|registered|joined|hired|today|since|until|appointment"
    r"|shipped|released|deadline|due|party|anniversary|inconnue?|unbekannt|desconocid[ao]"
    r"|added|field|lagt|tillagd|lisätty|hinzugefügt|ajouté|añadido|aggiunto|dodano|přidáno|eklendi"
    r"|добавлен\w*|поле|feltet|fältet|kenttä)(?![^\W_])"
)
# After a weak word: prepositions, capitalized names (a place) and parentheses only.
_WEAK_GAP = re.compile(
    r"(?:[ \t:,-]|\([^()\n]{0,60}\)"
    r"|(?:on|in|at|is|was|am|le|el|il|em|the|a|de|der|en|à|op|den|på|dne|στις|στο|في|ב|в|pada|di)(?![^\W_])"
    r"|[A-ZÀ-Ö][\w'’-]{0,24})*+"
)
# Indonesian TTL (tempat, tanggal lahir) names a place, then the date: otherwise a time to live.
_TTL_GAP = re.compile(r"(?<![ \t])[ \t]*+:?[ \t]*+[A-ZÀ-Ö][\w'’ -]{1,40},[ \t]*+")  # starts a run: linear
# A date written before its birth word: 1971年3月12日生まれ, 1971년 3월 12일생.
_BIRTH_AFTER = re.compile(
    r"[ ]?(?:生まれ|出生|生(?![\u4e00-\u9fff])|출생|생(?![가-힣]))|[ ](?i:geboren(?![^\W_])|doğumlu)"
)  # "am 3. März 1990 geboren", "14 Temmuz 1985 doğumluyum"

# Anchors: a 19xx/20xx year standing alone as a number, with a separator or a space before it
# (11/9/1982, 09.11.1982, 23 Aug 1978) or a date separator after it (1982-11-09); the `/` of
# a two-digit year (11/9/82); the CJK year marks.
_YEAR_ANCHORS = tuple(
    re.compile(
        rf"{century}[0-9]{{2}}(?![0-9])(?<![0-9]{century}[0-9]{{2}})"
        rf"(?:(?<=[ ,/.-]{century}[0-9]{{2}})|(?=[-/.][0-9]))"
    )
    for century in ("19", "20")
)
_SHORT_YEAR_ANCHOR = re.compile(r"/[0-9]{2}(?![0-9])(?<=[0-9]/[0-9]{2})")
# 14-Mar-85: a two-digit year after a month name (never after digits: 06-12-34 is a phone).
_NAMED_SHORT_ANCHOR = re.compile(r"-[0-9]{2}(?![0-9])(?<=[A-Za-z]-[0-9]{2})")
# "b. 24/04/1939": the abbreviation counts right before a date only.
_B_DOT = re.compile(r"(?<![\w.])[bB]\.[ ]\Z")
_CJK_ANCHORS = ("年", "년")
# Era name: the year before its first year (元年, the first, is 1).
_ERAS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018, "民國": 1911, "民国": 1911}
_ERA = re.compile(
    r"(明治|大正|昭和|平成|令和|民國|民国)[ ]?(元|[0-9]{1,3})[ ]?年"
    r"[ ]?([0-9]{1,2})[ ]?月[ ]?([0-9]{1,2})[ ]?日?"
)
_THAI_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "มกราคม ม.ค.", "กุมภาพันธ์ ก.พ.", "มีนาคม มี.ค.", "เมษายน เม.ย.", "พฤษภาคม พ.ค.", "มิถุนายน มิ.ย.",
            "กรกฎาคม ก.ค.", "สิงหาคม ส.ค.", "กันยายน ก.ย.", "ตุลาคม ต.ค.", "พฤศจิกายน พ.ย.", "ธันวาคม ธ.ค.",
        ),
        start=1,
    )
    for name in names.split()
}  # fmt: skip
_THAI = re.compile(
    r"(?<![0-9])([0-9]{1,2})[ ]?("
    + "|".join(sorted(map(re.escape, _THAI_MONTHS), key=len, reverse=True))
    + r")[ ]?(?:(?:พ\.ศ\.|ค\.ศ\.)[ ]?)?((?:19|20|24|25|26)[0-9]{2})(?![0-9])"
)
_THAI_HINTS = ("ค", "ย", "พ")  # every Thai month name holds one of them
_BUDDHIST = 543  # years of the Buddhist era before the Gregorian
_VIETNAMESE = re.compile(
    r"(?<![0-9])([0-9]{1,2})[ ]tháng[ ]([0-9]{1,2}),?[ ](?:năm[ ])?((?:19|20)[0-9]{2})(?![0-9])"
)
_SPACED = re.compile(r"(?<![0-9.,])([0-9]{1,2})\.[ ]?([0-9]{1,2})\.[ ]((?:19|20)[0-9]{2})(?![0-9])")
# After a birth label only: day-month-year with a two-digit year or a Buddhist year (`03.04.60`,
# `14/07/2528`), a form's boxes month first (`03 | 14 | 1962`, `03 14 1962`), and yymmdd.
_LABELLED = re.compile(
    r"(?<![0-9])(?:([0-9]{1,2})([./-])([0-9]{1,2})\2((?:25)?[0-9]{2})"
    r"|([0-9]{1,2})(?:[ ]?\|[ ]?|[ ])([0-9]{1,2})(?:[ ]?\|[ ]?|[ ])((?:19|20)[0-9]{2})"
    r"|([0-9]{2})(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01]))(?![0-9]|[./-][0-9])"
)
# The labels after which `_LABELLED` is read, as found in the lower-cased text (each is also a
# strong `_BIRTH_WORDS` or `_DOB_CONTEXT` label, which `_after_birth_word` checks).
_LABEL_STEMS = (
    "dob", "d.o.b", "birth", "geb", "naissance", "ddn", "nacimiento", "nac.", "nascita", "nasc", "urodzenia",
    "ur.", "geboorte", "生年月日", "出生日期", "생년월일", "fødselsdato", "födelsedatum", "syntymäaika",
    "narozen", "doğum", "рождения", "народження", "γέννησης", "الميلاد", "לידה", "जन्म", "sinh", "lahir",
    "วันเกิด", "д.р", "д. р", "né le", "née le", "nee le", "né(e) le",
)  # fmt: skip
_LABEL_SET = LiteralSet(_LABEL_STEMS)
_LABEL_REACH = 48  # from a label's stem to the date: `Date of birth (MM | DD | YYYY): `
_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class DateDetector(PatternDetector):
    """``DATE`` spans labelled ``dob`` (birth context) or ``date``."""

    name = "date"
    KIND = "DATE"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        # 1982-11-09, 11/9/1982, 09.11.1982, 11/9/82, 23-Aug-1978, 22/May/2024 (access logs).
        Pattern(
            "numeric",
            re.compile(rf"([0-9]{{1,4}})([-/.])([0-9]{{1,2}}|{_WORD})\2([0-9]{{2,4}})(?![0-9])"),
            0.6,
        ),
        # August 23, 1978 / Nov 9th, 1982 / 23 Aug 1978 / 12. Juli 1975 / 5 de mayo de 1980.
        Pattern(
            "named",
            re.compile(
                rf"\b(?:([0-9]{{1,2}}){_ORDINAL}?[ ](?:of[ ]|de[ ])?({_WORD})\.?,?[ ](?:de[ ]|del[ ])?"
                rf"|({_WORD})\.?[ ]([0-9]{{1,2}}){_ORDINAL}?,?[ ])"
                r"((?:19|20)[0-9]{2})\Z"
            ),
            0.6,
        ),
        # 2024年7月26日 / 1945년 4월 25일.
        Pattern(
            "cjk",
            re.compile(r"((?:19|20)[0-9]{2})[年년][ ]?([0-9]{1,2})[月월][ ]?([0-9]{1,2})[日일]?"),
            0.6,
        ),
        # Japan's era years and Taiwan's ROC years: 昭和60年7月14日, 平成元年1月8日, 民國74年7月14日.
        Pattern("era", _ERA, 0.6),
        # Thai month names, Buddhist or Gregorian year: 14 ก.ค. 2528, 14 กรกฎาคม พ.ศ. 2528.
        Pattern("thai", _THAI, 0.6),
        # Vietnamese: 14 tháng 7 năm 1985, ngày 14 tháng 07, 1985.
        Pattern("vietnamese", _VIETNAMESE, 0.6),
        # Day first with spaced dots (Czech, Slovak, German): 14. 7. 1985.
        Pattern("spaced", _SPACED, 0.6),
        # Only right after a birth label (`_labelled_forms`): two-digit years (`03.04.60`), form
        # boxes (`03 | 14 | 1962`), Korean yymmdd (`850714`), a Buddhist year (`14/07/2528`).
        Pattern("labelled", _LABELLED, 0.6),
    )
    DOB_SCORE: ClassVar[float] = 0.95

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        return _is_date(match, pattern)

    def label(self, value: str, match: re.Match[str], pattern: Pattern) -> str:
        return "dob" if _is_birth_date(match.string, match.start(), match.end()) else "date"

    def detect(self, text: str) -> Iterator[Span]:
        if b"0" not in scan(text).shape:
            return  # every format holds ASCII digits
        numeric, named, cjk, era, thai, vietnamese, spaced, labelled = self.PATTERNS
        found: list[tuple[Pattern, re.Match[str]]] = []
        for anchor in _YEAR_ANCHORS:
            for hit in anchor.finditer(text):
                year, end = hit.span()
                if text[end : end + 1] in ("-", "/", ".") and text[end + 1 : end + 2].isdigit():
                    m = numeric.regex.match(text, year)  # 1982-11-09
                elif text[year - 1 : year] in ("-", "/", "."):
                    start = _numeric_start(text, year)  # 09.11.1982, 23-Aug-1978
                    m = numeric.regex.match(text, start) if start is not None else None
                else:
                    m = _named_before(text, year, end, named.regex)
                    if m is not None:
                        found.append((named, m))
                    elif text[year - 2 : year] == ". " and (  # 14. 7. 1985
                        m := spaced.regex.search(text, max(0, year - 9), end)
                    ):
                        found.append((spaced, m))
                    continue
                if m is not None and _clean_edges(text, m.start(), m.end(), len(m.group(4)) == 4):
                    found.append((numeric, m))
        if "/" in text:
            for hit in _SHORT_YEAR_ANCHOR.finditer(text):
                start = _numeric_start(text, hit.start() + 1)
                m = numeric.regex.match(text, start) if start is not None else None
                if m is not None and _clean_edges(text, m.start(), m.end(), False):
                    found.append((numeric, m))
        if "-" in text:
            for hit in _NAMED_SHORT_ANCHOR.finditer(text):
                start = _numeric_start(text, hit.start() + 1)
                m = numeric.regex.match(text, start) if start is not None else None
                if m is not None and _clean_edges(text, m.start(), m.end(), False):
                    found.append((numeric, m))
        found.extend((numeric, m) for m in _compact_births(text, numeric.regex))
        found.extend((labelled, m) for m in _labelled_forms(text, labelled.regex))
        if not text.isascii():
            for mark in _CJK_ANCHORS:
                at = text.find(mark)
                while at != -1:
                    if m := cjk.regex.match(text, max(0, at - 4)):
                        found.append((cjk, m))
                    at = text.find(mark, at + 1)
            found.extend(_other_calendars(text, era, thai, vietnamese))
        if len(found) > 1:
            found.sort(key=lambda c: c[1].start())
        covered = -1
        source = f"rules:{self.name}"
        for pattern, m in found:
            start, end = m.span()
            if start < covered or not _is_date(m, pattern):
                continue
            covered = end
            if _is_birth_date(text, start, end):
                yield Span(start, end, self.KIND, source, self.DOB_SCORE, "dob")
            else:
                yield Span(start, end, self.KIND, source, pattern.score, "date")


_COMPACT = re.compile(r"((?:19|20)[0-9]{2})()(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])")
# Month or day first, the year last (a claim form's `BIRTHDATE: 03141962`): read as `numeric`.
_COMPACT_YEAR_LAST = re.compile(r"([0-3][0-9])()([0-3][0-9])((?:19|20)[0-9]{2})")
_NOT_DIGIT = re.compile(rb"[^0]")  # in the shape (see `_idscan`)


def _compact_births(text: str, numeric: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """19440207 (or 03141962, 14031962) right after a birth label ("Date of birth: 19440207"):
    eight bare digits are an order or build number anywhere else."""
    shape = scan(text).shape
    at = shape.find(b"00000000")  # the start of a run: the search goes on after each run
    while at != -1:
        after = _NOT_DIGIT.search(shape, at + 8)  # the run's end, at C speed
        end = len(shape) if after is None else after.start()
        if end - at == 8 and _after_birth_word(text, at):
            m = _COMPACT.fullmatch(text, at, end) or _COMPACT_YEAR_LAST.fullmatch(text, at, end)
            if m is not None:
                yield m
        at = shape.find(b"00000000", end)


def _other_calendars(
    text: str, era: Pattern, thai: Pattern, vietnamese: Pattern
) -> Iterator[tuple[Pattern, re.Match[str]]]:
    """Dates in Japan's and Taiwan's era years, in Thai month names and in Vietnamese words:
    each found from a literal it must hold (C-speed `find`/`in`), on texts beyond ASCII only."""
    if "年" in text:
        for name in _ERAS:
            at = text.find(name)
            while at != -1:
                if m := era.regex.match(text, at):
                    yield era, m
                at = text.find(name, at + 1)
    if any(hint in text for hint in _THAI_HINTS):
        yield from ((thai, m) for m in thai.regex.finditer(text))
    if "tháng" in text:
        yield from ((vietnamese, m) for m in vietnamese.regex.finditer(text))


def _labelled_forms(text: str, regex: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """`_LABELLED` dates right after a birth label: read only within `_LABEL_REACH` of a label's
    stem, and kept only when `_after_birth_word` holds (the label, then glue, then the date)."""
    low = lowered(text)
    seen: set[int] = set()
    for slot in _LABEL_SET.present(low):  # usually none: one pass for all the stems
        stem = _LABEL_STEMS[slot]
        at = low.find(stem)
        while at != -1:
            m = regex.search(text, at + len(stem), at + len(stem) + _LABEL_REACH)
            if m is not None and m.start() not in seen and _after_birth_word(text, m.start()):
                seen.add(m.start())
                yield m
            at = low.find(stem, at + 1)


def _is_date(match: re.Match[str], pattern: Pattern) -> bool:
    ymd = _calendar_fields(match.groups(), pattern.name)
    return ymd is not None and _fits(*ymd)


def _after_birth_word(text: str, start: int) -> bool:
    """A birth context ("DOB:", "born on") closely precedes ``start``."""
    return _DOB_CONTEXT.search(text[max(0, start - _CONTEXT_WINDOW) : start].lower()) is not None


def _is_birth_date(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is a date of birth: a birth word right before it or a few words
    before it (see `_BIRTH_WORDS`), or a birth word right after it (CJK)."""
    lo = max(0, start - _WORDS_WINDOW)
    window = text[lo:start]
    lowered = window.lower()
    for stem in _BIRTH_STEMS:  # most dates have no birth word before them: a few `in` tests
        if stem in lowered:
            break
    else:
        return bool(
            _BIRTH_AFTER.match(text, end)
            or (_B_DOT.search(text, max(0, start - 4), start) and text[start:end][-4:].isdigit())
        )
    if _after_birth_word(text, start) or _BIRTH_AFTER.match(text, end):
        return True
    if _B_DOT.search(text, max(0, start - 4), start) and text[start:end][-4:].isdigit():
        return True  # "b. 24/04/1939", a four-digit year
    last = None
    for last in _BIRTH_WORDS.finditer(lowered):  # noqa: B007 - the last one is wanted
        pass
    if last is None:
        return False
    gap = window[last.end() :]
    if gap[:1] == "-" and gap[1:2].isalpha():
        return False  # a compound: "Fødselsdato-feltet ble lagt til ..."
    if lowered[last.start() : last.end()] == "ttl":
        return _TTL_GAP.fullmatch(gap) is not None  # "TTL: Jakarta, 14 Juli 1985"; not a time to live
    if last.group("weak") is not None:
        return len(gap) <= 80 and _WEAK_GAP.fullmatch(gap) is not None
    gap = gap.lstrip(".")  # "D.O.B. of the patient"
    lowered = gap.lower()
    return len(gap) <= _STRONG_GAP and not _GAP_BREAK.search(lowered) and not _OTHER_EVENT.search(lowered)


def _numeric_start(text: str, year: int) -> int | None:
    """Start of ``a<sep>b<sep>`` before the year at ``year`` ("09.11." / "23-Aug-"), or None."""
    sep = text[year - 1]
    middle = year - 1
    while middle > 0 and year - middle < 12 and text[middle - 1].isalnum():
        middle -= 1
    if middle == year - 1 or middle < 2 or text[middle - 1] != sep:
        return None
    start = middle - 1
    while start > 0 and middle - 1 - start < 2 and "0" <= text[start - 1] <= "9":
        start -= 1
    return start if start < middle - 1 else None


def _named_before(text: str, year: int, end: int, regex: re.Pattern[str]) -> re.Match[str] | None:
    """A named date ending with the year at ``text[year:end]``, if there is one.

    A cheap look at the word before the year first: it is the day ("23," / "9th,") or the
    month ("Aug", "septembre") in every supported format, or "de" in Spanish.
    """
    space = year - 1
    last = text[max(0, space - 12) : space].rsplit(None, 1)
    if not last:
        return None
    word = last[-1].rstrip(".,").lower()
    if not (word[:1].isdigit() or word in _MONTHS or word == "de"):
        return None
    return regex.search(text, max(0, space - 32), end)


def _clean_edges(text: str, start: int, end: int, long_year: bool) -> bool:
    """Not part of a longer dotted/dashed number: a version, an IP, an ISBN, a phone. A slash
    joins only a date written with slashes (`04/03/1990/12`); after another it separates, as
    in a list (`1990-03-04/10.0.0.1`)."""
    slashed = "/" in text[start:end]
    if start:
        before = text[start - 1]
        joins = "._-/+:" if slashed else "._-+:"
        if before.isalnum() or (before in joins and text[start - 2 : start - 1].isdigit()):
            return False
    after = text[end : end + 1]
    if not after:
        return True
    if after.isalnum() and not after.isascii():
        return True  # a Korean or Japanese particle glued to it: 1969.02.11입니다
    if after.isalnum():
        # An ISO timestamp (2024-05-01T10:00) still starts with a date.
        return after == "T" and text[end + 1 : end + 2].isdigit() and text[start + 4 : start + 5] in "-/."
    if after == ":":  # a log timestamp (22/May/2024:04:52:08) but not 1.2.33:8080
        return long_year or not text[end + 1 : end + 2].isdigit()
    return not (after in ("-/." if slashed else "-.") and text[end + 1 : end + 2].isdigit())


def _calendar_fields(groups: tuple[str | None, ...], kind: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a candidate, trying day-first where month-first cannot be."""
    if kind == "cjk":
        y, mo, d = groups
        return int(y or 0), int(mo or 0), int(d or 0)
    if kind == "era":
        name, y, mo, d = groups
        return _ERAS[name or ""] + (1 if y == "元" else int(y or 0)), int(mo or 0), int(d or 0)
    if kind == "thai":
        d, name, y = groups
        year = int(y or 0)
        return year - _BUDDHIST if year >= 2400 else year, _THAI_MONTHS[name or ""], int(d or 0)
    if kind in ("vietnamese", "spaced"):
        d, mo, y = groups
        return int(y or 0), int(mo or 0), int(d or 0)
    if kind == "labelled":
        return _labelled_fields(groups)
    if kind == "named":
        d1, m1, m2, d2, y = groups
        month = _MONTHS.get((m1 or m2 or "").lower())
        return None if month is None else (int(y or 0), month, int(d1 or d2 or 0))
    a, sep, b, c = (g or "" for g in groups)
    if not b.isdigit():  # 23-Aug-1978
        month = _MONTHS.get(b.lower())
        if month is None or len(a) > 2 or len(c) not in (2, 4):
            return None
        year = int(c) if len(c) == 4 else (2000 + int(c) if int(c) < 50 else 1900 + int(c))
        return year, month, int(a)
    if len(a) == 4:  # ISO order; the day has at most two digits
        return None if len(c) > 2 else (int(a), int(b), int(c))
    if len(a) > 2 or len(c) == 3 or (len(c) == 2 and sep != "/"):
        # Two-digit years only as 11/9/82: 7.3.12 is a section number, 06-12-34 a phone.
        return None
    year = int(c) if len(c) == 4 else (2000 + int(c) if int(c) < 50 else 1900 + int(c))
    # Month first (US) unless only day first fits: 11/9/1982 is November, 23/11/1982 is not.
    month, day = int(a), int(b)
    if not _fits(year, month, day):
        month, day = day, month
    return year, month, day


def _labelled_fields(groups: tuple[str | None, ...]) -> tuple[int, int, int] | None:
    d, _, mo, y, b_mo, b_d, b_y, yy, mm, dd = groups
    if d is not None:  # day first: `03.04.60`, `14/07/2528`
        year = int(y or 0)
        year = year - _BUDDHIST if year >= 2400 else (2000 + year if year < 50 else 1900 + year)
        return year if year >= 1900 else 0, int(mo or 0), int(d)
    if b_mo is not None:  # a US form's boxes: month first, unless only day first fits
        year, month, day = int(b_y or 0), int(b_mo), int(b_d or 0)
        return (year, month, day) if _fits(year, month, day) else (year, day, month)
    year = int(yy or 0)
    return 2000 + year if year < 50 else 1900 + year, int(mm or 0), int(dd or 0)


def _fits(year: int, month: int, day: int) -> bool:
    if not (1900 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= _DAYS[month]):
        return False
    return not (month == 2 and day == 29 and (year % 4 or (year % 100 == 0 and year % 400)))
