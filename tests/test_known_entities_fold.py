"""Known names match diacritic-insensitively, with the text's own offsets kept."""

from __future__ import annotations

import pytest

from redaction import rehydrate, scrub

# fmt: off
CASES: list[tuple[str, str, str]] = [
    # (known person, text, scrubbed)
    ("José Álvarez", "Jose Alvarez agreed; Alvarez will sign.", "[PERSON_1] agreed; [PERSON_1.2] will sign."),
    ("Jose Alvarez", "José Álvarez agreed; Álvarez will sign.", "[PERSON_1] agreed; [PERSON_1.2] will sign."),
    ("Åsa Ñúñez", "Asa Nunez called, then ÅSA ÑÚÑEZ wrote.", "[PERSON_1] called, then [PERSON_1.2] wrote."),
    ("Zoë Brontë", "Dear Zoe Bronte,", "Dear [PERSON_1],"),
    # Look-alikes: other letters, and `ß`/`ss`, which change length, stay apart.
    ("José Álvarez", "Josef Alvarado agreed.", "Josef Alvarado agreed."),
    ("Grosse Strauss", "Große Strauß came.", "Große Strauß came."),
]
# fmt: on


@pytest.mark.parametrize(("known", "text", "scrubbed"), CASES)
def test_known_names_match_without_diacritics(known: str, text: str, scrubbed: str) -> None:
    result = scrub(text, known_entities={"persons": [known]})
    assert result.text == scrubbed
    assert rehydrate(result.text, result.token_map) == text
