"""Postal addresses: the street line and, where it follows reliably, unit, city and postcode.

"6601 Graham Crescent, Suite 784, Chicago, FL 03799", "4161 Sara Way\\nSeattle, WA 00741",
"58 boulevard Virginie Gautier, 54632 Toulouse", "Luigi-Hermighausen-Straße 61, 93118 Hamburg",
"广东省石家庄县友好昆明路K座 441887", and address fields of JSON records (``"postcode": "97629"``).

A house number, capitalized name words and a known street suffix make a street. Suffixes
that are also everyday words ("5 Key Points", "3 Easy Ways", "10 Pine Ridge") need more
evidence: a unit, a city with a postcode after it, or an address cue shortly before
("address:", ``"line1":"``, "lives at").

Speed: candidates are found in one pass from a literal space (see `_ANCHOR`) and the full
grammar is matched at each candidate only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from .._spans import Span
from ._base import Pattern, PatternDetector
from ._idscan import scan

__all__ = ["AddressDetector"]

# USPS Publication 28 suffixes (and their usual abbreviations) plus the British ones.
# Strong ones name a street and little else; weak ones are also everyday words.
# fmt: off
_STRONG: tuple[str, ...] = (
    "Street", "Avenue", "Road", "Boulevard", "Lane", "Drive", "Court", "Crescent", "Terrace",
    "Parkway", "Highway", "Place", "Square", "Circle", "Trail", "Plaza", "Alley", "Close", "Gardens",
    "Grove", "Mews", "Stravenue", "Motorway", "Freeway", "Expressway", "Turnpike", "Causeway",
    "Throughway", "Trafficway", "Skyway", "Overpass", "Underpass", "Viaduct", "Crossroad", "Esplanade",
    "Embankment", "Parade", "Quay", "Wharf",
)
_ABBREVIATIONS: tuple[str, ...] = (  # strong too; may take a dot
    "St", "Ave", "Av", "Rd", "Blvd", "Ln", "Dr", "Ct", "Cres", "Ter", "Terr", "Pkwy", "Hwy", "Pl",
    "Sq", "Cir", "Trl", "Plz", "Aly", "Gdns", "Fwy", "Expy", "Tpke",
)
_WEAK: tuple[str, ...] = (
    "Way", "Ways", "Pass", "Point", "Points", "Key", "Keys", "View", "Views", "Park", "Parks", "Hill",
    "Hills", "Ridge", "Ridges", "Green", "Greens", "Union", "Unions", "Light", "Lights", "Lock",
    "Locks", "Loaf", "Mission", "Station", "Center", "Centers", "Centre", "Club", "Course", "Field",
    "Fields", "Forest", "Island", "Islands", "Isle", "Lake", "Lakes", "Land", "Mall", "Mill", "Mills",
    "River", "Run", "Spring", "Springs", "Walk", "Walks", "Well", "Wells", "Port", "Ports", "Plain",
    "Plains", "Common", "Commons", "Branch", "Bridge", "Brook", "Brooks", "Burg", "Burgs", "Bypass",
    "Camp", "Canyon", "Cape", "Cliff", "Cliffs", "Corner", "Corners", "Cove", "Coves", "Creek",
    "Crest", "Crossing", "Curve", "Dale", "Dam", "Divide", "Estate", "Estates", "Extension",
    "Extensions", "Fall", "Falls", "Ferry", "Flat", "Flats", "Ford", "Fords", "Forge", "Forges",
    "Fork", "Forks", "Fort", "Garden", "Gateway", "Glen", "Glens", "Harbor", "Harbors", "Harbour",
    "Haven", "Heights", "Hollow", "Inlet", "Junction", "Junctions", "Knoll", "Knolls", "Landing",
    "Lodge", "Loop", "Manor", "Manors", "Meadow", "Meadows", "Mount", "Mountain", "Mountains", "Neck",
    "Orchard", "Oval", "Path", "Pike", "Pine", "Pines", "Prairie", "Radial", "Ramp", "Ranch", "Rapid",
    "Rapids", "Rest", "Route", "Row", "Shoal", "Shoals", "Shore", "Shores", "Spur", "Spurs", "Summit",
    "Trace", "Track", "Tunnel", "Valley", "Valleys", "Via", "Village", "Villages", "Ville", "Vista",
    "Wall", "Drives", "Streets", "Roads",
)
# fmt: on


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(sorted(set(words), key=lambda w: (-len(w), w)))


_UPPER = "A-ZÀ-ÖØ-Þ"
_NAME = rf"(?:[{_UPPER}][\w'’.-]{{0,24}}|[0-9]{{1,3}}(?:st|nd|rd|th))"  # Graham, O'Neil, 5th
_HOUSE = r"(?P<num>[0-9]{1,6}[A-Za-z]?(?:-[0-9]{1,5}[A-Za-z]?)?)"
_UNIT = (
    r"(?P<unit>,?[ ](?:Suite|Ste|Apt|Apartment|Unit|Flat|Floor|Fl|Room|Rm|Bldg|Building|Dept|\#)"
    r"\.?[ ]?\#?[0-9A-Za-z][0-9A-Za-z-]{0,5}(?![\w-]))?"
)
_CITY_WORD = rf"(?:[{_UPPER}][\w'’-]{{1,24}}|[{_UPPER}][a-z]{{1,2}}\.)"  # Leeds, Salt, St.
_CITY = rf"{_CITY_WORD}(?:[ -](?:{_CITY_WORD}|upon|on|in|de|la|le|sur|am|an|der|du|the)){{0,3}}"
# After a continental postcode nothing anchors the city's end: one word, or joined ones.
_EU_CITY = rf"[{_UPPER}][\w'’-]{{1,24}}(?:[ ](?:am|an|der|sur|en|le|la|de)[ ][{_UPPER}][\w'’-]{{1,24}})?"
_UK_POSTCODE = r"[A-Z]{1,2}[0-9][A-Z0-9]?[ ][0-9][A-Z]{2}(?![\w])"
# ", Chicago, FL 03799" / "\nSeattle, WA 00741" / ", Leeds CT5X 2YB" / ", 54632 Toulouse".
_TAIL = (
    rf"(?P<tail>(?:,[ ]?|[ ]?\n)(?:(?P<city>{_CITY})"
    rf"(?:,[ ]?(?P<state>[A-Z]{{2}})(?:[ ](?P<zip>[0-9]{{5}}(?:-[0-9]{{4}})?))?(?![\w])"
    rf"|,?[ ](?P<post>{_UK_POSTCODE}))"
    rf"|(?P<eupost>[0-9]{{5}})[ ]{_EU_CITY}))?"
)
_FR_TYPES = (
    r"(?:(?i:rue|avenue|av\.|boulevard|bd|chemin|all[ée]e|impasse|quai|faubourg|sentier|voie)"
    r"|place|route|cours|passage|square|promenade)"
)
_FR_LINK = r"(?:de[ ]la|de[ ]l'|du|des|de|d'|l'|la|le|les|aux|au|sur|sous|en|et|saint|sainte)"
_DE_TYPES = (
    r"(?:[sS]tra(?:ß|ss)e|[sS]tr\.|[wW]eg|[gG]asse|[pP]latz|[aA]llee|[sS]traat|[lL]aan|[gG]racht|[pP]lein)"
)
_DE_WORDS = r"(?:Stra(?:ß|ss)e|Str\.|Weg|Gasse|Platz|Allee|Straat|Laan|Gracht|Plein)"

_US_STATES = frozenset((
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY", "AS", "GU", "MP", "PR", "VI", "FM", "MH", "PW",
))  # fmt: skip
_CONTEXT = re.compile(
    r"(?i:address|\baddr\b|street|\bline[ _-]?1|\blives?[ ]at|\bliving[ ]at|\blocated[ ]at|\bresides?[ ]at"
    r"|ship(?:ped|ping)?[ ]to|mail(?:ed)?[ ]to|\bsent[ ]to|deliver(?:ed|y)?[ ](?:to|at)|\bstill[ ]at"
    r"|moved[ ]to|residence|domicile|anschrift|adresse|direcci[óo]n|indirizzo|endere[çc]o)"
    r"(?s:.{0,24})\Z"
)
_CONTEXT_WINDOW = 48
_YEARISH = re.compile(r"(?:19|20)[0-9]{2}")

# Candidates: the space after a house number before a capitalized word ("6601 Graham",
# "221B Baker": `_house_number_start` checks the number) or a French street type
# ("58 boulevard"), or the space before the number of a German/Dutch street ("Hauptstraße
# 12"). One pass that starts with a literal space, so `re` skips other characters at C
# speed and the look-behinds only run at spaces.
_ANCHOR = re.compile(
    r" (?:(?<=[0-9A-Z] )(?:[A-Z]|(?:rue|avenue|av\.|boulevard|bd|chemin|all[ée]e|impasse|quai|faubourg"
    r"|sentier|voie|place|route|cours|passage|square|promenade) )"
    r"|[0-9](?<=(?:aße|sse|tr\.|[wW]eg|atz|lee|aat|aan|cht|ein) [0-9]))"
)
_DE_ENDS: tuple[str, ...] = (
    "straße", "Straße", "strasse", "Strasse", "str.", "Str.", "weg", "Weg", "gasse", "Gasse",
    "platz", "Platz", "allee", "Allee", "straat", "Straat", "laan", "Laan", "gracht", "Gracht",
    "plein", "Plein",
)  # fmt: skip
# A Chinese address is found from its road (路, 街, 巷, 大道) back to the administrative area
# that opens it (省, 自治区, 市), then matched forwards from there.
_CJK_ROADS = ("路", "街", "巷", "大道")
_CJK_AREAS = ("省", "市", "自治区", "特别行政区")


class AddressDetector(PatternDetector):
    """``ADDRESS`` spans: street line, then unit, city and postcode where they follow."""

    name = "address"
    KIND = "ADDRESS"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        # 6601 Graham Crescent, Suite 784, Chicago, FL 03799
        Pattern(
            "street",
            re.compile(
                rf"{_HOUSE}[ ](?:{_NAME}[ ]){{1,4}}"
                rf"(?:(?P<strong>{_alternation(_STRONG)}|(?:{_alternation(_ABBREVIATIONS)})(?=\.?(?![\w'’-]))\.?)"
                rf"|(?P<weak>{_alternation(_WEAK)}))(?![\w'’-])"
                rf"(?:[ ](?:N|S|E|W|NE|NW|SE|SW)(?![\w]))?{_UNIT}{_TAIL}"
            ),
            0.85,
        ),
        # 58 boulevard Virginie Gautier, 54632 Toulouse / 69 rue de Labbé
        Pattern(
            "rue",
            re.compile(
                rf"{_HOUSE}(?:[ ]?(?:bis|ter))?,?[ ]{_FR_TYPES}[ ]"
                rf"(?:{_FR_LINK}[ ']){{0,2}}[{_UPPER}][\w'’-]{{0,24}}"
                rf"(?:[ -](?:{_FR_LINK}[ ']){{0,2}}[{_UPPER}][\w'’-]{{0,24}}){{0,4}}{_TAIL}"
            ),
            0.85,
        ),
        # Luigi-Hermighausen-Straße 61, 93118 Hamburg / Berliner Straße 5 / Kerkstraat 12
        Pattern(
            "strasse",
            re.compile(
                rf"(?<![\w-])(?:[{_UPPER}][\w'’-]{{1,24}}[ ]{_DE_WORDS}"
                rf"|[{_UPPER}][\w'’.-]{{0,40}}?{_DE_TYPES})"
                rf"[ ]{_HOUSE}(?![\w]){_TAIL}"
            ),
            0.85,
        ),
        # 广东省石家庄县友好昆明路K座 441887: an administrative area, a road, a building, a postcode.
        Pattern(
            "cjk",
            re.compile(
                r"[\u4e00-\u9fff]{1,8}?(?:省|自治区|特别行政区|市)[\u4e00-\u9fff]{0,16}?(?:路|街|巷|大道)"
                r"(?:[0-9A-Za-z]{1,5}[号號座栋棟楼樓室])*(?:[ ]?[0-9]{6}(?![0-9]))?"
            ),
            0.8,
        ),
        # "postcode": "97629" / "line1": "691 Paul Trace" in JSON records.
        Pattern(
            "keyed",
            re.compile(
                r'"(?:(?i:post(?:al)?_?code|zip(?:_?code)?|plz|postleitzahl|code_postal)"[ ]?:[ ]?"'
                r"(?P<code>[A-Za-z0-9][A-Za-z0-9 -]{1,8}[A-Za-z0-9])"
                r'|(?i:street(?:_?address)?|address_?line_?[12]|line_?[12]|addr(?:ess)?_?1)"[ ]?:[ ]?"'
                r'(?P<line>[^"\n]{3,80}))"'
            ),
            0.8,
        ),
    )

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        if pattern.name == "keyed":
            line = match.group("line")
            return line is None or (any(c.isdigit() for c in line) and any(c.isalpha() for c in line))
        if pattern.name != "street":
            return True
        corroborated = any(match.group(g) for g in ("unit", "zip", "post", "eupost"))
        corroborated = corroborated or bool(match.group("state") in _US_STATES)
        if (match.group("strong") and not _YEARISH.fullmatch(match.group("num"))) or corroborated:
            return True
        text, start = match.string, match.start()
        return _CONTEXT.search(text, max(0, start - _CONTEXT_WINDOW), start) is not None

    def detect(self, text: str) -> Iterator[Span]:
        street, rue, strasse, cjk, keyed = self.PATTERNS
        found: list[tuple[Pattern, re.Match[str]]] = []
        # The street grammars all hold an ASCII house number: without a digit, skip the pass.
        for hit in _ANCHOR.finditer(text) if b"0" in scan(text).shape else ():
            space = hit.start()
            if hit.end() - space == 2 and text[space + 1].isdigit():  # Hauptstraße 12
                if text.endswith(_DE_ENDS, 0, space) and (m := _match_ending_at(strasse.regex, text, space)):
                    found.append((strasse, m))
                continue
            if not (text[space - 1].isdigit() or text[space - 2 : space - 1].isdigit()):
                continue  # "SSN Number": the look-behind also lets "221B Baker" through
            start = _house_number_start(text, space)
            if start is None:
                continue
            for pattern in (street, rue):
                m = pattern.regex.match(text, start)
                if m is not None and self.validate(m.group(), m, pattern):
                    found.append((pattern, m))
                    break
        if not text.isascii():
            for road in _CJK_ROADS:
                at = text.find(road)
                while at != -1:
                    start = _cjk_address_start(text, at)
                    if start is not None and (m := cjk.regex.match(text, start)):
                        found.append((cjk, m))
                    at = text.find(road, at + 1)
        if '":' in text or '" :' in text:
            for m in keyed.regex.finditer(text):
                if self.validate(m.group(), m, keyed):
                    found.append((keyed, m))
        if not found:
            return
        spans = [
            (*m.span(_value_group(pattern, m)), rank, pattern) for rank, (pattern, m) in enumerate(found)
        ]
        # Where a grammar and a JSON key find the same street, keep the longer, then the grammar's.
        spans.sort(key=lambda s: (s[0], -s[1], s[3] is keyed, s[2]))
        covered = 0
        for start, end, _, pattern in spans:
            if start < covered:
                continue
            covered = end
            yield Span(start, end, self.KIND, f"rules:{self.name}", pattern.score, pattern.name)


def _value_group(pattern: Pattern, m: re.Match[str]) -> int | str:
    if pattern.name != "keyed":
        return 0
    return "code" if m.group("code") is not None else "line"


def _cjk_address_start(text: str, road: int) -> int | None:
    """Where a Chinese address ending in the road at ``road`` may start: the name (up to eight
    CJK characters) of the first administrative area in the 24 characters before the road."""
    lo = max(0, road - 24)
    window = text[lo:road]
    first = min((i for i in map(window.find, _CJK_AREAS) if i != -1), default=-1)
    if first < 1:
        return None
    start = lo + first  # back over the area's name, within the run of CJK characters
    while start > lo + first - 8 and start > 0 and "\u4e00" <= text[start - 1] <= "\u9fff":
        start -= 1
    return start


def _house_number_start(text: str, space: int) -> int | None:
    """Start of the house number ending at ``space`` ("6601", "12B", "12-14"), or None."""
    start = space
    while start > 0 and space - start < 13 and (text[start - 1].isalnum() or text[start - 1] == "-"):
        start -= 1
    if not text[start].isdigit():
        return None  # "A12", "No5", "INV-905722": a code, not a house number
    before = text[start - 1 : start]
    if before and (before.isalnum() or before in ".,-/+_"):
        return None  # part of a longer number: 1,234 / 10.5 / 5/6 / an ISBN
    return start


def _match_ending_at(regex: re.Pattern[str], text: str, space: int) -> re.Match[str] | None:
    """A "Name-Straße 12" address whose house number starts right after ``space``."""
    for start in _name_starts(text, space):
        m = regex.match(text, start)
        if m is not None and m.start("num") == space + 1:
            return m
    return None


def _name_starts(text: str, space: int) -> list[int]:
    """Starts of the hyphenated word before ``space`` and of the word before it, longest first."""
    starts: list[int] = []
    pos = space
    for _ in range(2):
        start = pos
        while start > 0 and pos - start < 48 and (text[start - 1].isalnum() or text[start - 1] in "-'’."):
            start -= 1
        if start == pos:
            break
        starts.append(start)
        if start < 2 or text[start - 1] != " ":
            break
        pos = start - 1
    return starts[::-1]
