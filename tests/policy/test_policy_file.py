"""``REDACTION_POLICY_FILE`` (docs/policies.md): loading, validation, and exit status 2.

Every error names the profile, the key, the rule and the line; none quotes a term, a pattern
or the file. The exit status is checked on a real process.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.policy_file import PolicyFileError, load_policy_file
from redaction import scrub

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "policies.md"
CANARY_TERM = "Zebulon Quartzfield"
CANARY_PATTERN = r"QZX-\d{3}-canary"

GOOD = f"""\
version = 1

[profiles.finance]
actions = {{ CREDIT_CARD = "tokenize", EMAIL = "mask" }}
allow = ["Northwind Bank"]
deny = [{{ term = "{CANARY_TERM}", type = "PERSON" }}]

[[profiles.finance.rules]]
name = "customer-ref"
pattern = '{CANARY_PATTERN}'
type = "CUSTOMER_REF"

[profiles.support]
overrides = {{ allow = true }}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_loads_every_profile_and_keeps_the_default(tmp_path: Path) -> None:
    policies = load_policy_file(write(tmp_path, GOOD))
    assert sorted(policies.profiles) == ["default", "finance", "support"]
    assert policies.profiles["default"].policy.is_default
    assert policies.profiles["support"].allow_override
    assert not policies.profiles["support"].actions_override
    finance = policies.profiles["finance"].policy
    text = f"{CANARY_TERM} paid QZX-123-canary by 4111 1111 1111 1111, a@b.example.com; Northwind Bank"
    assert scrub(text, policy=finance).text == (
        "[PERSON_1] paid [CUSTOMER_REF_1] by [CREDIT_CARD_1], [EMAIL:****]; Northwind Bank"
    )


def test_the_documented_examples_load_and_work() -> None:
    blocks = re.findall(r"```toml\n(.*?)```", DOCS.read_text("utf-8"), re.S)
    examples = [b for b in blocks if "[profiles.finance]" in b or "[profiles.default]" in b]
    assert len(examples) == 2, "docs/policies.md must hold the finance and support examples"
    for i, block in enumerate(examples):
        path = ROOT / "build" / f"policy-example-{os.getpid()}-{i}.toml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(block, "utf-8")
        try:
            policies = load_policy_file(path)
        finally:
            path.unlink()
        assert policies.source == "file"
    finance = load_policy_file_text(examples[0]).profiles["finance"].policy
    assert scrub("Customer NW-2025-0091 of Northwind Bank", policy=finance).text == (
        "Customer [CUSTOMER_REF_1] of Northwind Bank"
    )
    support = load_policy_file_text(examples[1]).profiles["default"].policy
    assert scrub("TCK-004211: card 4111 1111 1111 1111", policy=support).text == (
        "[TICKET_1]: card [CREDIT_CARD:****1111]"
    )


def load_policy_file_text(text: str) -> object:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        return load_policy_file(write(Path(d), text))


# fmt: off
BAD = [
    # (file text, expected fragments of the message)
    ('[profiles.finance\nactions = {}\n', ["not valid TOML", "line 1"]),
    ('[profiles.finance]\nactions = { EMAIL = "hide" }\n',
     ["profile 'finance'", "key 'actions.EMAIL'", "line 2", "action must be one of"]),
    ('[profiles.finance]\nactoins = {}\n', ["profile 'finance'", "key 'actoins'", "line 2", "unknown key"]),
    (f'[profiles.finance]\n\n[[profiles.finance.rules]]\nname = "redos"\n'
     f'pattern = \'(a+)+\\1{CANARY_PATTERN}\'\n'
     'type = "X1"\n',
     ["profile 'finance'", "key 'rules[0].pattern'", "rule 'redos'", "line 5", "not a valid RE2 pattern"]),
    ('[profiles.finance]\n\n[[profiles.finance.rules]]\nname = "ok"\npattern = \'x\'\ntype = "X1"\n\n'
     '[[profiles.finance.rules]]\nname = "look"\npattern = \'(?=a)b\'\ntype = "X2"\n',
     ["key 'rules[1].pattern'", "rule 'look'", "line 10"]),
    ('[profiles.finance]\n\n[[profiles.finance.rules]]\nname = "t"\npattern = \'x\'\ntype = "lower"\n',
     ["key 'rules[0].type'", "rule 't'", "line 6"]),
    (f'[profiles.finance]\ndeny = [{{ term = "{CANARY_TERM}", type = "CREDIT_CARD" }}]\n',
     ["key 'deny[0].type'", "line 2"]),
    ('[profiles.finance]\n\n[profiles.finance.overrides]\nallow = "yes"\n', ["key 'overrides'", "line 3"]),
    ('[profiles."bad name"]\n', ["profiles.*", "profile names match"]),
    (f'[profiles.a]\n"{CANARY_TERM}" = 1\n', ["profile 'a'", "key '*'", "unknown key"]),
    ('version = 2\n[profiles.a]\n', ["key 'version'", "only version 1"]),
    ('[profile.a]\n', ["key 'profile'", "unknown top-level key"]),
]
# fmt: on


@pytest.mark.parametrize(("text", "fragments"), BAD)
def test_bad_files_name_profile_key_rule_and_line_never_a_value(
    tmp_path: Path, text: str, fragments: list[str]
) -> None:
    with pytest.raises(PolicyFileError) as info:
        load_policy_file(write(tmp_path, text))
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} missing from {message!r}"
    for secret in (CANARY_TERM, CANARY_PATTERN, "(a+)+", "(?=a)", "hide"):
        assert secret not in message, "a policy error must never quote a term or a pattern"


def test_an_unreadable_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyFileError, match="cannot be read"):
        load_policy_file(tmp_path / "missing.toml")


def _run(code: str, policy: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTION_")}
    env.update(
        REDACTION_POLICY_FILE=str(policy),
        REDACTION_DATA_DIR=str(tmp_path / "data"),
        REDACTION_SPACY_ENABLED="false",
        REDACTION_PORT="1",  # never reached: the policy is refused first
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


BAD_RULE = (
    f'[profiles.finance]\ndeny = [{{ term = "{CANARY_TERM}", type = "PERSON" }}]\n\n'
    f'[[profiles.finance.rules]]\nname = "redos"\npattern = \'(a+)+\\1{CANARY_PATTERN}\'\ntype = "X1"\n'
)


@pytest.mark.parametrize(
    "code",
    [
        "import sys; from app.cli import main; sys.exit(main(['serve']))",
        "import app.main; app.main.create_app_from_env()",
    ],
    ids=["serve", "asgi-factory"],
)
def test_a_bad_policy_file_stops_start_up_with_exit_status_2(tmp_path: Path, code: str) -> None:
    result = _run(code, write(tmp_path, BAD_RULE), tmp_path)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "REDACTION_POLICY_FILE" in result.stderr
    assert "rule 'redos'" in result.stderr
    assert "line 6" in result.stderr
    output = result.stdout + result.stderr
    assert CANARY_TERM not in output, "a deny term reached the output"
    assert CANARY_PATTERN not in output, "a pattern reached the output"
    assert "(a+)+" not in output


def test_create_app_refuses_a_bad_policy_file(tmp_path: Path) -> None:
    from app.main import create_app
    from app.settings import Settings

    path = write(tmp_path, GOOD)
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", spacy_enabled=False, policy_file=path)
    path.write_text(BAD_RULE, "utf-8")  # changed after the settings were read
    with pytest.raises(PolicyFileError):
        create_app(settings)
