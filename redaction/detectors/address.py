"""Postal addresses: the street line and, where it follows reliably, unit, city and postcode.

One span per address, never a kept house number or postcode:
"6601 Graham Crescent, Suite 784, Chicago, FL 03799", "4161 Sara Way\\nSeattle, WA 00741",
"10 Downing Street, London SW1A 2AA", "58 boulevard Virginie Gautier, 54632 Toulouse",
"Luigi-Hermighausen-Straße 61, 93118 Hamburg", "Musterweg 12\\n10115 Berlin", "Hauptstr. 12",
"Kaiser-Wilhelm-Ring 5", "Am Markt 3, 10115 Berlin", "Calle Mayor 5, 3º B, 28013 Madrid",
"C/ de Alcalá 42", "Via Roma 10, 00184 Roma", "Avenida da Liberdade 100, 1250-096 Lisboa",
"서울특별시 강남구 테헤란로 123, 4층 (역삼동)", "北京市朝阳区建国路88号",
"广东省石家庄县友好昆明路K座 441887",
"〒100-0005 東京都千代田区丸の内1-1-1", a British postcode alone ("SW1A 1AA"), a post office box
with its town line or alone ("PO Box 4521, Springfield, IL 62704", "Postfach 10 12 34, 10115
Berlin"), and address fields of JSON records (``"postcode": "97629"``).

A house number, capitalized name words and a known street suffix make a street. Suffixes
that are also everyday words ("5 Key Points", "3 Easy Ways", "10 Pine Ridge") need more
evidence: a unit, a city with a postcode after it (on the next line too, indented or quoted
alike, or below a street line set in a column: "109 Thorpe Inlet" beside an invoice number,
then "Port Dennischester L6 6TS"), or an address cue shortly before ("address:", ``"line1":"``, "lives
at", "wohnt", "vive en"). The same holds for streets whose type comes first (Spanish,
Italian, Portuguese: "Calle", "Via", "Rua"; German "Am", "An der") and German endings that
are English words too ("-ring", "-markt", "-damm"): without a postcode, unit or cue they
count only when the line ends at the house number ("Via Roma 10,"), "-Ring 5" with its
hyphen and capital aside; lowercase "via" (the English preposition) always needs a postcode
or a cue. A British postcode alone needs a central-London outward code (SW1A, EC1A), a town,
comma or line break before it, or the end of a clause after it. Korean addresses need a
district (구/군/시) before the road (…로/…길) and its number; Japanese ones a prefecture (東京都,
神奈川県 ...) or the 〒 mark. A house number may open a CSV cell ("0594,4090 Troy Extensions Apt.
361"), unless it reads as a thousands group ("1,234 Main Street").

Not addresses: "5 Key Points", "Chapter 3 Road Map", "10 Downing" alone, version strings
("version 2.3 Street"), "Im Jahr 2020", "via Slack 3 times", "Spring 2024", a clothing size
("M4 2XL"), "회의로 3시간". Not covered: a street without a house number ("rue de Rivoli"),
"Hohenzollernring 5" alone, a Japanese address without its prefecture.

Speed: candidates are found in one pass from a literal space (see `_ANCHOR`) and the full
grammar is matched at each candidate only; postcodes from the shared shape of `_idscan`
(`bytes.find`), CJK addresses from `str.find` of their road or prefecture marks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from .._spans import Span
from ._base import Pattern, PatternDetector
from ._idscan import find_all, scan

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
    # Faker's en_US, en_GB and en_AU suffixes (plurals included: "Dominguez Courts")
    "Access", "Alleyway", "Amble", "Anchorage", "Approach", "Arcade", "Artery", "Basin", "Beach",
    "Bend", "Brace", "Brae", "Broadway", "Brow", "Byway", "Centreway", "Chase", "Circles", "Circlet",
    "Circuit", "Circus", "Colonnade", "Concourse", "Copse", "Corso", "Courts", "Courtyard", "Crossway",
    "Cruiseway", "Cul-de-sac", "Cutting", "Dell", "Deviation", "Distributor", "Driveway", "Entrance",
    "Fairway", "Fire Track", "Firetrail", "Footway", "Foreshore", "Formation", "Frontage", "Glade",
    "Grange", "Groves", "Gully", "Highroad", "Interchange", "Intersection", "Laneway", "Lees",
    "Lookout", "Meander", "Mew", "Nook", "Outlook", "Parklands", "Parkways", "Passage", "Pathway",
    "Piazza", "Plateau", "Promenade", "Quad", "Quadrangle", "Quadrant", "Quays", "Ramble", "Reserve",
    "Retreat", "Ridgeway", "Riverway", "Riviera", "Roadside", "Roadway", "Ronde", "Rosebowl",
    "Rotary", "Siding", "Squares", "Strand", "Thoroughfare", "Tollway", "Towers", "Trailer",
    "Triangle", "Trunkway", "Vale", "Villas", "Walkway", "Wynd", "Block", "Break", "Cross", "Dip",
    "Edge", "Elbow", "End", "Follow", "Front", "Gap", "Gate", "Gates", "Ground", "Line", "Link",
    "Little", "Lower", "Part", "Range", "Reach", "Ride", "Right Of Way", "Ring", "Rise", "Round",
    "Rue", "Service Way", "Slope", "Sound", "Stairs", "State Highway", "Steps", "Stream", "Strip",
    "Subway", "Tarn", "Top", "Tor", "Turn", "Upper", "Wade",
)
# fmt: on


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(sorted(set(words), key=lambda w: (-len(w), w)))


_UPPER = "A-ZÀ-ÖØ-Þ"
_NAME = rf"(?:[{_UPPER}][\w'’.-]{{0,24}}|[0-9]{{1,3}}(?:st|nd|rd|th))"  # Graham, O'Neil, 5th
_HOUSE = r"(?P<num>[0-9]{1,6}[A-Za-z]?(?:[-/][0-9]{1,5}[A-Za-z]?)?)"  # 12B, 12-14, 90/68
_UNIT = (
    r"(?P<unit>,?[ ](?:Suite|Ste|Apt|Apartment|Unit|Flat|Floor|Fl|Room|Rm|Bldg|Building|Dept|\#)"
    r"\.?[ ]?\#?[0-9A-Za-z][0-9A-Za-z-]{0,5}(?![\w-]))?"
)
_CITY_WORD = rf"(?:[{_UPPER}][\w'’-]{{1,24}}|[{_UPPER}][a-z]{{1,2}}\.|[0-9]{{1,2}}[ªº])"  # Leeds, St., 3ª
_CITY = rf"{_CITY_WORD}(?:[ -](?:{_CITY_WORD}|upon|on|in|de|la|le|sur|am|an|der|du|the)){{0,3}}"
# After a continental postcode nothing anchors the city's end: up to four words ("Magliana
# Trullo", "'s-Heer Hendrikskinderen", "da Mata de Silveira"), an Italian province "(RM)" or a
# Brazilian state "/ SE".
_EU_WORD = rf"[{_UPPER}][\w'’-]{{1,24}}"  # not one capital: the first cell of a CSV row
_EU_LINK = r"(?:am|an|der|im|in|bei|vorm|sur|en|le|la|de|da|do|di|del|dos|das|e|con|'t)"
_EU_CITY = (
    rf"(?:'s-|'t[ ]|(?:da|de|do|dos|das)[ ])?{_EU_WORD}"
    rf"(?:[ ](?:{_EU_LINK}[ ])?{_EU_WORD}){{0,4}}"
    r"(?:[ ]\([A-Z]{2}\)|[ ]/[ ][A-Z]{2})?"
)
# 54632 (FR, DE, IT, ES), 1250-096 (PT), 31706-690 / 63608377 (BR), 1317 YB / 1636HO (NL).
_EU_POST = r"(?:[0-9]{5}(?:-?[0-9]{3})?|[0-9]{4}-[0-9]{3}|[1-9][0-9]{3}[ ]?[A-Z]{2})(?![\w])"
_UK_POSTCODE = r"[A-Z]{1,2}[0-9][A-Z0-9]?[ ][0-9][A-Z]{2}(?![\w])"
_CA_POSTCODE = r"[ABCEGHJ-NPRSTVXY][0-9][A-Z][ ]?[0-9][A-Z][0-9]"  # M5V 2T6 (no D F I O Q U first)
# Faker's es_ES units end with a space: "Apt. 08 \nJaén"; a block's lines may be indented or
# quoted alike ("  64 Alexander Rapids\n  Port Helenburgh WV78 1EX", "> ...\n> ...").
_SEP = r"(?:[ ]?,[ ]?|[ ]?\n(?:[ \t]{0,40}>)*[ \t]{0,40})"
# ", Chicago, FL 03799" / "\nSeattle, WA 00741" / ", Leeds CT5X 2YB" / "\nNorth Holly\nS6 7LJ" /
# ", East Tony, VIC, 2609" / ", Valencia, 32460" / "\nGaya-158683" / ", 54632 Toulouse" /
# "\n81052, Pignataro Maggiore (CE)" / "\nVila Da Luz\n31706-690 da Mata de Silveira / SE".
_TAIL = (
    rf"(?P<tail>{_SEP}(?:(?P<city>{_CITY})"
    rf"(?:,[ ]?(?P<state>[A-Z]{{2,3}})"
    rf"(?:,?[ ](?P<zip>[0-9]{{5}}(?:-[0-9]{{4}})?|[0-9]{{4}}|{_CA_POSTCODE}))?(?![\w])"
    rf"|(?:,?[ ]|\n)(?P<post>{_UK_POSTCODE})"
    r"|(?:-|[ ])[1-9][0-9]{5}(?![\w])"
    rf"|{_SEP}(?:[0-9]{{5}}(?=[ \t]*(?:[\n,.;\"')]|\Z))|{_EU_POST}(?:,?[ ]|\n){_EU_CITY}))"
    rf"|{_EU_POST}(?:,?[ ]|\n){_EU_CITY}))?"
)
_FR_TYPES = (
    r"(?:(?i:rue|avenue|av\.|boulevard|bd|chemin|all[ée]e|impasse|quai|faubourg|sentier|voie)"
    r"|place|route|cours|passage|square|promenade)"
)
_FR_LINK = r"(?:de[ ]la|de[ ]l'|du|des|de|d'|l'|la|le|les|aux|au|sur|sous|en|et|saint|sainte)"
_DE_TYPES = (
    r"(?:[sS]tra(?:ß|ss)e|[sS]tr\.|[wW]eg|[gG]asse|[pP]latz|[aA]llee|[sS]traat|[lL]aan|[gG]racht|[pP]lein"
    r"|singel|dreef|steeg|boulevard)"
)
_DE_WORDS = r"(?:Stra(?:ß|ss)e|Str\.|Weg|Gasse|Platz|Allee|Straat|Laan|Gracht|Plein)"

_STATES = frozenset((
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY", "AS", "GU", "MP", "PR", "VI", "FM", "MH", "PW",
    "ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC",  # Australia (WA above)
    "AB", "BC", "MB", "NB", "NL", "NS", "NU", "ON", "PE", "QC", "SK", "YT",  # Canada (NT above)
))  # fmt: skip
_CONTEXT = re.compile(
    r"(?i:address|wohnt|wohnhaft|vive[ ]en|abita[ ]in|reside[ ]en|mora[ ]na|domicilio"
    r"|\baddr\b|street|\bline[ _-]?1|\blives?[ ]at|\bliving[ ]at|\blocated[ ]at|\bresides?[ ]at"
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
    r"|(?<=[0-9], )(?:rue|avenue|boulevard|chemin|all[ée]e|impasse|place|route) "
    r"|[0-9](?:(?<=[a-zß-ÿ.] [0-9])|(?<=[a-zß-ÿ], [0-9])))"
)
_DE_ENDS: tuple[str, ...] = (
    "straße", "Straße", "strasse", "Strasse", "str.", "Str.", "weg", "Weg", "gasse", "Gasse",
    "platz", "Platz", "allee", "Allee", "straat", "Straat", "laan", "Laan", "gracht", "Gracht",
    "plein", "Plein", "singel", "dreef", "steeg", "boulevard",
)  # fmt: skip
# Spanish, Italian, Portuguese and Catalan streets name their type first: "Calle Mayor 5",
# "C/ de Alcalá 42", "Via Roma 10", "Rua Augusta 15". Longer alternatives first.
_ROMANCE_TYPES: tuple[str, ...] = (
    "Calle", "C/", "Avenida", "Avda.", "Avda", "Av.", "Plaza", "Pza.", "Paseo", "Camino", "Carrer",
    "Carretera", "Ronda", "Travesía", "Travesia", "Glorieta", "Viale", "Via", "Piazzale", "Piazza",
    "Corso", "Largo", "Vicolo", "Strada", "Rua", "Travessa", "Praça", "Praca", "Alameda", "Estrada",
    # Faker's es_ES, it_IT and pt_BR street types
    "Vial", "Rambla", "Urbanización", "Callejón", "Cañada", "Acceso", "C.", "Pasaje", "Cuesta",
    "Pasadizo", "Borgo", "Contrada", "Rotonda", "Incrocio", "Stretto", "Canale", "Aeroporto", "Área",
    "Campo", "Chácara", "Colônia", "Condomínio", "Conjunto", "Distrito", "Esplanada", "Estação",
    "Favela", "Fazenda", "Feira", "Jardim", "Ladeira", "Lago", "Lagoa", "Loteamento", "Morro", "Núcleo",
    "Parque", "Passarela", "Pátio", "Praia", "Quadra", "Recanto", "Residencial", "Rodovia", "Setor",
    "Sítio", "Trecho", "Trevo", "Vale", "Vereda", "Viaduto", "Viela", "Vila",
)  # fmt: skip
_ROMANCE_WORDS = frozenset({*_ROMANCE_TYPES, *(t.lower() for t in _ROMANCE_TYPES)})
_ROMANCE = "|".join(re.escape(t) for t in sorted(_ROMANCE_WORDS, key=lambda t: (-len(t), t)))
_ROMANCE_LINK = (
    r"(?:de[ ]la|de[ ]las|de[ ]los|del|dels|de|d'|della|delle|dello|degli|dei|di|da|do|das|dos"
    r"|la|las|los|el|il|lo|y|e|i|San|Santa|Sant'|São)"
)
# German streets named by a preposition or an adjective ("Am Markt 3", "An der Alster 12",
# "Alter Markt 5"), and endings that are also English words ("-Ring", "-Damm", "-Markt").
_DE_PREPS: tuple[str, ...] = (
    "Am", "Im", "Zum", "Zur", "An der", "An den", "Auf der", "Auf dem", "In der", "Unter den",
    "Hinter der", "Vor dem", "Alter", "Alte", "Neuer", "Neue", "Großer", "Große", "Hoher", "Hohe",
)  # fmt: skip
_DE_PREP = "|".join(p.replace(" ", "[ ]") for p in _DE_PREPS)
_DE_PREP_FIRST = frozenset(p.split()[0] for p in _DE_PREPS)
_DE_WEAK_ENDS: tuple[str, ...] = (
    "ring", "damm", "ufer", "chaussee", "steig", "pfad", "graben", "markt", "kai", "wall",
    "Ring", "Damm", "Ufer", "Chaussee", "Steig", "Pfad", "Graben", "Markt", "Kai", "Wall",
    "baan", "hof", "pad",  # Dutch: "Kyanopad 74" needs its postcode ("iPad 3" stays)
)  # fmt: skip
# A British postcode standing alone (SW1A 1AA): the outward code's area must be one of the
# 121 postcode areas, the inward code's letters avoid C I K M O V (Royal Mail's rule).
_GB_AREAS = frozenset((  # noqa: SIM905 - a table, easier to check against Royal Mail's list
    "AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT "
    "DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE "
    "LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM "
    "SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE"
).split())  # fmt: skip
_GB_POSTCODE = re.compile(r"(?P<area>[A-Z]{1,2})[0-9][A-Z0-9]?[ ][0-9][ABD-HJLNP-UW-Z]{2}(?![\w])")
_TOWN_BEFORE = re.compile(r"(?<![\w])[A-ZÀ-Þ][a-zß-ÿ]{2,20}(?:[ -][A-ZÀ-Þ][a-zß-ÿ]{2,20})?[ ]\Z")
# Addresses without a "number Name Suffix" street line, found back from their last line (a
# postcode, a military post office) within a short window:
_LINE_SEP = r"(?:,[ ]|[ ]?\n)"
_BLOCKS_BACK = 110
# GB: "Flat 92, Jayne Freeway, Leanneton, L9 2UU" / "Studio 1\nHunter Trafficway\nSimpsonview\nW8 6BS"
_GB_BLOCK = re.compile(
    rf"(?<![\w])(?:Flat|Studio|Apartment|Unit)[ ][0-9]{{1,4}}[A-Za-z]?{_LINE_SEP}(?:{_NAME}[ ]){{1,3}}"
    rf"(?:{_alternation(_STRONG + _WEAK)})(?:{_LINE_SEP}{_CITY})?(?:,?[ ]|\n){_UK_POSTCODE}"
)
# A post office box and the town line after it: "PO Box 4521, Springfield, IL 62704", "P.O. Box
# 123\nToronto, ON M5V 2T6", "Postfach 10 12 34, 10115 Berlin". The box number alone is the span
# when no town follows.
# `Box` or `BOX` (a purchase order's "PO box 12 of 40" is lower case), not "of N" after the number.
_PO_BOX_HEAD = re.compile(
    r"(?<![\w])(?:(?i:p\.?[ ]?o\.?[ ]?)(?:Box|BOX)|(?i:post[ ]office[ ])(?:Box|BOX)|Postfach)"
)
_BOX = (
    r"(?:(?i:p\.?[ ]?o\.?[ ]?|post[ ]office[ ])(?:Box|BOX)[ ]?\#?[0-9]{1,7}"
    r"|Postfach[ ][0-9]{1,3}(?:[ ]?[0-9]{2}){1,3})(?![\w])(?![ ]of[ ][0-9])"
)
_PO_BOX, _PO_BOX_ALONE = re.compile(_BOX + _TAIL), re.compile(_BOX)
_PO_BOX_HINTS = ("Box", "BOX", "Postfach")
_PO_BOX_BACK = len("Post Office ")  # the longest head before its `Box`
# US military: "PSC 0548, Box 3258\nAPO AE 54748", "USNV Graves, FPO AE 42620", "Unit 1234 Box 5678".
_MILITARY = re.compile(
    r"(?<![\w])(?:PSC[ ][0-9]{4},?[ ]Box[ ][0-9]{4}|Unit[ ][0-9]{4},?[ ]Box[ ][0-9]{4}"
    rf"|US(?:NS|NV|S|CGC)[ ][{_UPPER}][\w'’-]{{1,24}}){_LINE_SEP}[ADF]PO[ ]A[AEP][ ][0-9]{{5}}(?![\w])"
)
# India: "H.No. 17, Sodhi Chowk\nBhagalpur-706690", "39/150\nBal Nagar, Eluru 608377".
# Its six-digit PIN after a word and a space or dash, in the shape: the regex engine looks for
# the digits first, faster than `bytes.find` of a needle that starts with the common `as`.
_IN_PIN = re.compile(rb"000000(?<=as000000)(?!0)")
_IN_BLOCK = re.compile(
    r"(?:(?<![^\n])|(?<=: )|(?<=\")|(?<=H\.No\.[ ]))(?:H\.No\.[ ])?[0-9]{1,4}(?:/[0-9]{1,4})?"
    rf"{_LINE_SEP}(?:[{_UPPER}][a-z]{{1,24}}[ ]?){{1,3}}"
    r"(?:,[ ]|\n)[A-Z][a-z]{1,24}(?:[ ][A-Z][a-z]{1,24}){0,2}(?:-|[ ])[0-9]{6}(?![0-9])"
)
# A street named by its type alone, without a number (fr_FR and pt_BR):
# "avenue Julie Ledoux\n97310 Da Costa-sur-Mer", "Sítio de Câmara\nSerrano\n45498174 Viana / AL".
_TYPE_ONLY = re.compile(
    rf"(?:(?<=\n)|(?<=^)|(?<=: )|(?<=, )|(?<=\"))(?:{_FR_TYPES}|{_ROMANCE})[ ]"
    rf"(?:{_FR_LINK}[ ']|{_ROMANCE_LINK}[ ']){{0,2}}"
    rf"[{_UPPER}][\w'’-]{{0,24}}(?:[ ](?:{_ROMANCE_LINK}[ ])?[{_UPPER}][\w'’-]{{0,24}}){{0,3}}"
    rf"(?:{_LINE_SEP}{_CITY})?{_LINE_SEP}{_EU_POST}(?:,?[ ]|\n){_EU_CITY}",
    re.M,
)
# A street line set in a column ("109 Thorpe Inlet       Invoice no.: 2024344"), its city and
# postcode at the start of the next line ("Port Dennischester L6 6TS"): the rest of the line
# after a gap of three spaces, then the city line; the span stays the street line.
_CITY_BELOW = re.compile(
    rf"(?:[ ]{{3}}[^\n]{{0,200}})?\n(?:[ \t]{{0,40}}>)*[ \t]{{0,40}}{_CITY}"
    rf"(?:,?[ ]{_UK_POSTCODE}|,[ ]?[A-Z]{{2}}[ ][0-9]{{5}}(?:-[0-9]{{4}})?(?![\w]))"
)
# ", Matthewtown" and the end of the line, after a street line.
_CITY_LINE_END = re.compile(rf",[ ]{_CITY}[ \t]*(?:\n|\Z)")
# A unit before the house number (en_AU: "Unit 37 06 Jacob Triangle", "12/34 Smith Street").
_LEAD_UNIT = re.compile(
    r"(?<![\w/])(?:(?:Apt\.|Flat|Suite|Unit|Level|Studio|Shop)[ ][0-9]{1,4}[A-Z]?,?[ ]|[0-9]{1,4}/)\Z"
)
# After a number, what ends a street line that stands alone: end, line break or punctuation.
_LINE_END = re.compile(r"[ \t]*(?:\Z|[\n,;.)])")
# Korean road-name addresses: 시/도, 구/군/시, optional 읍/면/동, then the road (…로, …길) and
# its number; a unit (101동 202호, 3층) and a parenthesised district may follow.
_KR_DISTRICTS = ("시 ", "구 ", "군 ")
# Japanese: a prefecture (都道府県) or the postal mark 〒, a city or ward, a block number.
_JP_MARKS = ("〒", "都", "道", "府", "県")
_JP_PREFECTURES = (  # noqa: SIM905 - the 43 prefectures named 県
    "青森 岩手 宮城 秋田 山形 福島 茨城 栃木 群馬 埼玉 千葉 神奈川 新潟 富山 石川 福井 山梨 長野 岐阜 静岡 "
    "愛知 三重 滋賀 兵庫 奈良 和歌山 鳥取 島根 岡山 広島 山口 徳島 香川 愛媛 高知 福岡 佐賀 長崎 熊本 大分 "
    "宮崎 鹿児島 沖縄"
).split()
_JP_KANA = r"\u4e00-\u9fff\u3040-\u30ff"
_JP_ADDRESS = (
    rf"(?:北海道|東京都|大阪府|京都府|(?:{'|'.join(_JP_PREFECTURES)})県)[{_JP_KANA}]{{1,12}}?(?:市|区|郡|町|村)"
    rf"[{_JP_KANA}]{{0,12}}?[0-9]{{1,4}}(?:(?:-|丁目|番地?|号|条[東西]?)[0-9]{{1,4}}){{1,3}}号?"
    rf"(?:[ 　][{_JP_KANA}ー]{{1,16}}[0-9]{{1,4}}(?![0-9]))?"  # 轟シティ907: building and room
)

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
                r"(?:[\u4e00-\u9fff]{1,8}?(?:路|街|巷|大道))?"
                r"(?:[0-9A-Za-z]{1,5}[号號座栋棟楼樓室])*(?:[ ]?[0-9]{6}(?![0-9]))?"
            ),
            0.8,
        ),
        # "postcode": "97629" / "line1": "691 Paul Trace" in JSON records. The look-ahead (the
        # keys' first letters) turns most quotes away before the alternatives are tried.
        Pattern(
            "keyed",
            re.compile(
                r'"(?=(?i:[aclpsz]))'
                r'(?:(?i:post(?:al)?_?code|zip(?:_?code)?|plz|postleitzahl|code_postal)"[ ]?:[ ]?"'
                r"(?P<code>[A-Za-z0-9][A-Za-z0-9 -]{1,8}[A-Za-z0-9])"
                r'|(?i:street(?:_?address)?|address_?line_?[12]|line_?[12]|addr(?:ess)?_?1)"[ ]?:[ ]?"'
                r'(?P<line>[^"\n]{3,80}))"'
            ),
            0.8,
        ),
        # Calle Mayor 5, 28013 Madrid / C/ de Alcalá 42 / Via Roma 10, 00184 Roma
        Pattern(
            "via",
            re.compile(
                rf"(?<![\w])(?P<type>{_ROMANCE})[ ]?(?:{_ROMANCE_LINK}[ ']){{0,2}}[{_UPPER}][\w'’.-]{{0,24}}"
                rf"(?:[ ](?:{_ROMANCE_LINK}[ ']){{0,2}}[{_UPPER}][\w'’.-]{{0,24}}){{0,4}},?[ ]"
                rf"(?:n[º°o.][ ]?)?{_HOUSE}(?![\w])"
                rf"(?P<unit>,?[ ](?:[0-9]{{1,2}}[º°ª](?:[ ]?[A-Z0-9](?![\w]))?"
                r"|(?i:piso|planta|puerta|esc\.|int\.|interno|scala|apt\.?|appartamento|piano)"
                rf"[ ][0-9A-Za-z]{{1,4}}(?![\w])))?{_TAIL}"
            ),
            0.85,
        ),
        # Am Markt 3 / An der Alster 12, 20099 Hamburg / Kaiser-Wilhelm-Ring 5 / Alter Markt 5
        Pattern(
            "platz",
            re.compile(
                rf"(?<![\w-])(?:(?:{_DE_PREP})(?:[ ][{_UPPER}][\w'’-]{{1,30}}){{1,3}}"
                rf"|[{_UPPER}][\w'’.-]{{0,40}}?(?P<weakend>{'|'.join(_DE_WEAK_ENDS)}))"
                rf"[ ]{_HOUSE}(?![\w]){_TAIL}"
            ),
            0.85,
        ),
        # SW1A 1AA / EC1A 1BB standing alone.
        Pattern("postcode", _GB_POSTCODE, 0.8),
        # 서울특별시 강남구 테헤란로 123 / 부산광역시 해운대구 해운대로 570, 101동 202호
        Pattern(
            "korean",
            re.compile(
                r"(?<![가-힣])(?P<prov>[가-힣]{1,10}(?:특별시|광역시|특별자치시|특별자치도|도|시)[ ])?"
                r"(?P<dists>(?:[가-힣]{1,10}(?:시|군|구)[ ]){1,2})(?:[가-힣0-9]{1,10}(?:읍|면|동|리)[ ])?"
                r"(?P<road>[가-힣0-9]{1,20}?(?P<suffix>로|길|거리|가)?)[ ]?(?P<under>지하[ ]?)?"
                r"[0-9]{1,5}(?:-[0-9]{1,5})?(?![0-9가-힣])"
                r"(?:(?:,[ ]?|[ ])[0-9]{1,4}(?:동|층|호)){0,3}(?:[ ]?\([가-힣0-9, ]{1,24}\))?"
            ),
            0.8,
        ),
        # 〒100-0005 東京都千代田区丸の内1-1-1 / 大阪府大阪市北区梅田3丁目1番3号
        Pattern(
            "japanese",
            re.compile(rf"〒[ ]?[0-9]{{3}}-?[0-9]{{4}}(?![0-9])(?:[ ]?{_JP_ADDRESS})?|{_JP_ADDRESS}"),
            0.8,
        ),
    )

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        if pattern.name == "keyed":
            line = match.group("line")
            return line is None or (any(c.isdigit() for c in line) and any(c.isalpha() for c in line))
        if pattern.name in ("via", "platz"):
            return _romance_or_platz_ok(match, pattern.name)
        if pattern.name != "street":
            return True
        corroborated = bool(match.group("unit")) or _has_tail(match)
        if match.string[match.start() - 1 : match.start()] == "/" and not _has_tail(match):
            return False  # "step 5/6 Docker Road"; "12/34 Smith Street, Perth, WA 6000" has its tail
        if (match.group("strong") and not _YEARISH.fullmatch(match.group("num"))) or corroborated:
            return True
        if (
            len(match.group("num")) >= 3
            and not _YEARISH.fullmatch(match.group("num"))
            and _CITY_LINE_END.match(match.string, match.end())
        ):
            return True  # "2291 Davidson Valleys, Matthewtown" closing a signature line
        if _CITY_BELOW.match(match.string, match.end()):
            return True
        text, start = match.string, match.start()
        return _CONTEXT.search(text, max(0, start - _CONTEXT_WINDOW), start) is not None

    def detect(self, text: str) -> Iterator[Span]:
        street, rue, strasse, cjk, keyed, via, platz, postcode, korean, japanese = self.PATTERNS
        found: list[tuple[Pattern, re.Match[str]]] = []
        shape = scan(text).shape
        # The street grammars all hold an ASCII house number: without a digit, skip the pass.
        for hit in _ANCHOR.finditer(text) if b"0" in shape else ():
            space = hit.start()
            if hit.end() - space == 2 and text[space + 1].isdigit():  # Hauptstraße 12, Via Roma 10
                if text.endswith(_DE_ENDS, 0, space) and (m := _match_ending_at(strasse.regex, text, space)):
                    # `Calle Aweg 1`: a type word before a name that ends like a German street
                    # makes the type's street, which starts earlier.
                    typed = _capitalized_before(text, space) and self._typed_street(text, space, via, platz)
                    if typed and typed[1].start() < m.start():
                        found.append(typed)
                    else:
                        found.append((strasse, m))
                elif _capitalized_before(text, space) and (
                    typed := self._typed_street(text, space, via, platz)
                ):
                    found.append(typed)
                continue
            if not (text[space - 1].isdigit() or text[space - 2 : space - 1].isdigit()):
                continue  # "SSN Number": the look-behind also lets "221B Baker" through
            # "81, chemin Gomes": the French number stands before a comma
            start = _house_number_start(text, space - 1 if text[space - 1] == "," else space)
            if start is None:
                continue
            for pattern in (street, rue):
                m = pattern.regex.match(text, start)
                if m is not None and self.validate(m.group(), m, pattern):
                    found.append((pattern, m))
                    break
            else:
                # "avenue Julie Ledoux\n97310 Da Costa-sur-Mer": a postcode after a typed street
                if (
                    space - start in (5, 8)
                    and text[start - 1 : start] in ("\n", " ")
                    and (m := _ending_at(_TYPE_ONLY, text, start, space + 1))
                ):
                    found.append((rue, m))
        if b"s0AA" in shape:  # SW1A 1AA: a space, a digit, two capitals
            found.extend((postcode, m) for m in _gb_postcodes(text, shape))
        at = text.find("PO A")  # APO/FPO/DPO AE 54748
        while at != -1:
            if m := _ending_at(_MILITARY, text, at, at + 4):
                found.append((street, m))
            at = text.find("PO A", at + 4)
        for hint in _PO_BOX_HINTS:
            at = text.find(hint)
            while at != -1:
                head = _PO_BOX_HEAD.search(text, max(0, at - _PO_BOX_BACK), at + len(hint))
                m = _PO_BOX.match(text, head.start()) if head is not None else None
                if m is not None and m.group("tail") and not _has_tail(m):
                    m = _PO_BOX_ALONE.match(text, m.start())  # a box alone is an address too
                if m is not None:
                    found.append((street, m))
                at = text.find(hint, at + len(hint))
        for pin in _IN_PIN.finditer(shape):  # Gaya-158683, Eluru 608377
            if m := _ending_at(_IN_BLOCK, text, pin.start(), pin.end()):
                found.append((street, m))
        if not text.isascii():
            # One-character tests first: they cost next to nothing, a two-character search
            # (`시 `, `大道`) a pass over the text.
            if any(mark[0] in text for mark in _KR_DISTRICTS):
                found.extend((korean, m) for m in _korean(text, korean.regex))
            found.extend((japanese, m) for m in _japanese(text, japanese.regex))
            for road in _CJK_ROADS:
                if road[0] not in text:
                    continue
                at = text.find(road)
                while at != -1:
                    start = _cjk_address_start(text, at)
                    if start is not None and (m := cjk.regex.match(text, start)):
                        found.append((cjk, m))
                    at = text.find(road, at + 1)
        # No `":` test first: the pass (a quote, then one look-ahead) costs less than that search.
        for m in keyed.regex.finditer(text):
            if self.validate(m.group(), m, keyed):
                found.append((keyed, m))
        if not found:
            return
        spans = [
            (m.start(_value_group(pattern, m)), _end(text, pattern, m), rank, pattern)
            for rank, (pattern, m) in enumerate(found)
        ]
        for i, (start, end, rank, pattern) in enumerate(spans):
            if pattern is street and (lead := _LEAD_UNIT.search(text, max(0, start - 16), start)):
                spans[i] = (lead.start(), end, rank, pattern)  # "Level 3 1 Johnson Arcade"
        # Where a grammar and a JSON key find the same street, keep the longer, then the grammar's.
        spans.sort(key=lambda s: (s[0], -s[1], s[3] is keyed, s[2]))
        covered = 0
        for start, end, _, pattern in spans:
            if start < covered:
                continue
            covered = end
            yield Span(start, end, self.KIND, f"rules:{self.name}", pattern.score, pattern.name)

    def _typed_street(
        self, text: str, space: int, via: Pattern, platz: Pattern
    ) -> tuple[Pattern, re.Match[str]] | None:
        """A street whose type or preposition comes first ("Calle Mayor 5", "Am Markt 3") or
        whose German ending is also an English word ("Kaiser-Wilhelm-Ring 5"), with its house
        number right after ``space``."""
        line = text[max(0, space - 80) : space].rsplit("\n", 1)[-1]
        words = line.split(" ")[-7:]
        offset = space
        tried: list[tuple[Pattern, int]] = []
        for word in reversed(words):
            offset -= len(word) + (1 if offset != space else 0)
            if word[:1] in "\"'(«[" and word[1:]:  # "shipping_address": "Calle …
                offset += 1
                word = word[1:]
            if word in _ROMANCE_WORDS or word.startswith(("C/", "c/")):
                tried.append((via, offset))
            elif word in _DE_PREP_FIRST:
                tried.append((platz, offset))
        if words and words[-1].endswith(_DE_WEAK_ENDS):
            tried.extend((platz, start) for start in _name_starts(text, space))
        # The furthest type word first: `Calle Zur Aaa 1` is the Calle's street, whole (a nearer
        # type word, `Zur`, would find only its tail).
        for pattern, start in sorted(tried, key=lambda tried_at: tried_at[1]):
            m = pattern.regex.match(text, start)
            if m is not None and m.start("num") == space + 1 and self.validate(m.group(), m, pattern):
                return pattern, m
        return None


def _end(text: str, pattern: Pattern, m: re.Match[str]) -> int:
    """Where the span of ``m`` ends: in a CSV row, a street stops at the next cell (its city in
    the next column, "221B Baker Street,London NW1 6XE", is that column's: one span over both
    would merge two cells of the table)."""
    if "tail" not in m.re.groupindex or not m.group("tail") or text[m.start("tail")] != ",":
        return m.end(_value_group(pattern, m))
    if text[m.start("tail") + 1 : m.start("tail") + 2] == " ":
        return m.end()  # ", London": prose
    row = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
    return m.start("tail") if row.count(",") > row.count(", ") else m.end()


def _capitalized_before(text: str, space: int) -> bool:
    """The word before ``space`` is capitalized, as street names are ("Roma 10", "Markt 3"):
    a cheap test that keeps prose ("in 2024", "of 3") away from the street grammars."""
    lo = max(0, space - 48)
    word = text.rfind(" ", lo, space) + 1 or lo
    line = text.rfind("\n", word, space)  # only after the last space: a short search
    return text[word if line == -1 else line + 1].isupper()


def _romance_or_platz_ok(m: re.Match[str], name: str) -> bool:
    """Type-first and German look-alike streets: a postcode, a unit, an address cue, or a
    street line that ends at the house number ("Calle Mayor 5," / "Am Markt 3\n")."""
    if _has_tail(m) or (name == "via" and m.group("unit")):
        return True
    if _YEARISH.fullmatch(m.group("num")):
        return False  # "Im Jahr 2020", "Via Email 2024"
    text, start = m.string, m.start()
    if _CONTEXT.search(text, max(0, start - _CONTEXT_WINDOW), start) is not None:
        return True
    if text[m.start("num") - 2] == ",":
        return False  # "Strada Majorana, 37" names a street only with its postcode or a cue
    if name == "via":
        if m.group("type")[0].islower():
            return False  # "via Slack 3 times": the English preposition
    else:
        weak = m.group("weakend")
        if weak is not None:
            # "Kaiser-Wilhelm-Ring 5" names a street; "Spring 2024" or "Hohenzollernring 5"
            # alone may be anything.
            return weak[0].isupper() and text[m.start("weakend") - 1] == "-"
    return _LINE_END.match(text, m.end("num")) is not None


def _ending_at(regex: re.Pattern[str], text: str, inside: int, end: int) -> re.Match[str] | None:
    """The first match of ``regex`` in the ``_BLOCKS_BACK`` characters before ``end`` that
    reaches past ``inside`` (a postcode, a post office mark) and stops by ``end``'s line end."""
    stop = text.find("\n", end)
    stop = len(text) if stop == -1 else stop
    m = regex.search(text, max(0, inside - _BLOCKS_BACK), min(stop, end + 48))
    while m is not None and m.end() <= inside:
        m = regex.search(text, m.start() + 1, min(stop, end + 48))
    return m


def _has_tail(m: re.Match[str]) -> bool:
    """A city with a postcode or a known state after the street line."""
    return bool(m.group("tail")) and (m.group("state") is None or m.group("state") in _STATES)


def _gb_postcodes(text: str, shape: bytes) -> Iterator[re.Match[str]]:
    """British postcodes (SW1A 1AA) standing alone: the area is checked against the list."""
    at = shape.find(b"s0AA")
    while at != -1:
        for start in range(max(0, at - 4), at - 1):
            if start and (shape[start - 1] in b"0Aa"):
                continue
            m = _GB_POSTCODE.match(text, start)
            if m is not None and m.end() == at + 4 and m.group("area") in _GB_AREAS:
                if block := _ending_at(_GB_BLOCK, text, start, m.end()):
                    yield block  # "Flat 92, Jayne Freeway, Leanneton, L9 2UU" whole
                elif _gb_placed(text, m):
                    yield m
                break
        at = shape.find(b"s0AA", at + 4)


def _gb_placed(text: str, m: re.Match[str]) -> bool:
    """A postcode, not a size or a code: a central-London outward code (SW1A, EC1A), a town
    or a line break before it, an address cue, or the end of a line or clause after it."""
    start = m.start()
    outward = m.group().split(" ", 1)[0]
    if outward[-1].isalpha() and len(outward) > 2:
        return True  # SW1A / EC1A / W1A: a letter after the district digit
    before = text[max(0, start - 24) : start]
    if before.endswith((", ", "\n", ": ")) or _TOWN_BEFORE.search(before):
        return True
    if _CONTEXT.search(text, max(0, start - _CONTEXT_WINDOW), start) is not None:
        return True
    return _LINE_END.match(text, m.end()) is not None


def _korean(text: str, regex: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """Korean addresses from their district (…시 / …구 / …군 and a space): a road with its
    suffix (…로, …길), else a province or two districts before the road ("안산시 구로구 선릉 11"),
    so that "다시 확인 3" stays prose."""
    marks = find_all(text, ((mark, 0) for mark in _KR_DISTRICTS))
    done = -1
    for at in marks:
        if at < done:
            continue
        m = regex.search(text, max(0, at - 40), min(len(text), at + 60))
        if m is None or not m.start() <= at < m.end():
            continue
        suffix = m.group("suffix")
        if suffix in ("로", "길") or m.group("under") or m.group("prov") or m.group("dists").count(" ") > 1:
            done = m.end()
            yield m


def _japanese(text: str, regex: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """Japanese addresses from the postal mark, or from a prefecture's name (2-3 characters
    and 都道府県) matched at the few places it can start."""
    # Every mark's places first, then one pass in text order: a postal mark after a street
    # (`...17番22号, 〒106-0032`) must not hide the street before it (scrub is idempotent only
    # if the first pass finds what a second one would).
    places: list[tuple[int, tuple[int, ...]]] = []
    for mark in _JP_MARKS:
        at = text.find(mark)
        while at != -1:
            places.append((at, (at,) if mark == "〒" else (at - 2, at - 3, at - 1)))
            at = text.find(mark, at + 1)
    places.sort()
    done = -1
    for _, starts in places:
        for start in starts:
            if start >= max(done, 0) and (m := regex.match(text, start)) is not None:
                done = m.end()
                yield m
                break


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
    if before == "/" and _LEAD_UNIT.search(text, max(0, start - 6), start):
        return start  # "12/34 Smith Street": Australian unit/house, kept only with a city tail
    if before == "," and (space - start != 3 or not text[start - 2 : start - 1].isdigit()):
        return start  # a CSV cell ("0594,4090 Troy Extensions"), not a thousands group (1,234)
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
