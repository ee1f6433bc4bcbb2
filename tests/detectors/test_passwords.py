"""Secrets by field name: the value of `password=`, `client_secret:`, `token`, ... is dropped; the
name stays. Templates, masks, code, literals and prose under the same names are left alone."""

from __future__ import annotations

import time

import pytest

import redaction
from redaction.detectors.passwords import PasswordDetector

DETECTOR = PasswordDetector()
P, K = "PASSWORD", "API_KEY"
AWS_SECRET = "7mjOj+AuUcZoSCw1T69kqFIHSOZilILA2ef/0Skj"

# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # -- code, config, env, JSON, YAML --
    ("DB_PASSWORD=Pixel-copper-harbor67", [("Pixel-copper-harbor67", P)]),
    ('{"user": "etl", "password": "Maple orbit lantern 02!"}', [("Maple orbit lantern 02!", P)]),
    ("password: Tundra-maple-quartz26\nhost: db", [("Tundra-maple-quartz26", P)]),
    ("  client_secret: 782175e09e952cd2bfeb7dddaca33c54b2eb699f",
     [("782175e09e952cd2bfeb7dddaca33c54b2eb699f", P)]),
    ("conn = psycopg2.connect(host=h, password='hunter2!x')", [("hunter2!x", P)]),
    ('$config["db_pass"] = "s3cr3t-Value";', [("s3cr3t-Value", P)]),
    ('dbPassword := "Glacier46"', [("Glacier46", P)]),
    ("'password' => 'Velvet-orbit-maple80',", [("Velvet-orbit-maple80", P)]),
    ('user.setPassword("Harbor#velvet52");', [("Harbor#velvet52", P)]),
    ('"{\\"password\\": \\"Falcon-orbit-40\\"}"', [("Falcon-orbit-40", P)]),
    (f"aws_secret_access_key = {AWS_SECRET}", [(AWS_SECRET, K)]),
    ('"SecretAccessKey": "' + AWS_SECRET + '"', [(AWS_SECRET, K)]),
    ("X-Api-Key: 0rPU3wmJ2aSoFL7tkXdqD075ax4jUkx5", [("0rPU3wmJ2aSoFL7tkXdqD075ax4jUkx5", K)]),
    (f"Our API key: Teua2fzBgfUH5xdDpm9L4ySw, the AWS secret key is {AWS_SECRET}.",
     [("Teua2fzBgfUH5xdDpm9L4ySw", K), (AWS_SECRET, K)]),
    ("?access_token=ya29abcDEF0123456789xyz&next=1", [("ya29abcDEF0123456789xyz", K)]),
    ("AccountKey=Hc/pSE3akhng0mI23PX/xcAJwuKf1Kk+bKowmTb/Zg==;EndpointSuffix=core.windows.net",
     [("Hc/pSE3akhng0mI23PX/xcAJwuKf1Kk+bKowmTb/Zg==", K)]),
    # -- connection strings --
    ("jdbc:postgresql://db:5432/orders?user=etl&password=Maple-orbit-lantern02 which is prod",
     [("Maple-orbit-lantern02", P)]),
    ("Server=tcp:db,1433;User ID=report_ro;Password=Cpq5jm.q4niu7*j;Encrypt=True;", [("Cpq5jm.q4niu7*j", P)]),
    ("Driver={ODBC};UID=sa;PWD=Tundra!2024;", [("Tundra!2024", P)]),
    ("login?user=etl&pwd=Tr0ub4dor&3&next=/home", [("Tr0ub4dor&3", P)]),
    ('<add key="Password" value="Harbor-velvet-52" />', [("Harbor-velvet-52", P)]),
    ("secret_key_base: 5f4dcc3b5aa765d61d8327deb882cf99aa1b2c3d4e5f",
     [("5f4dcc3b5aa765d61d8327deb882cf99aa1b2c3d4e5f", K)]),
    # -- flags, netrc, xml, prose --
    ("mysql -u root -pQuartz99x orders", [("Quartz99x", P)]),
    ("curl -u deploy:E2vLnzDkwOd2JmrxW https://x", [("E2vLnzDkwOd2JmrxW", P)]),
    ("vault login --password Saffron-maple-00", [("Saffron-maple-00", P)]),
    ("machine api.example.com login ci password kjMmSG9Uo7C25h", [("kjMmSG9Uo7C25h", P)]),
    ("machine h\n  login ci\n  password kjMmSG9Uo7C25h\n", [("kjMmSG9Uo7C25h", P)]),
    ("<db><password>Harbor-velvet-52</password></db>", [("Harbor-velvet-52", P)]),
    ("The wifi password is Orbit-88-lantern, the guest password was: Pixel42",
     [("Orbit-88-lantern", P), ("Pixel42", P)]),
    # -- other languages --
    ("Passwort: Kennwort-2024! / mot de passe : Soleil#2024", [("Kennwort-2024!", P), ("Soleil#2024", P)]),
    ("contraseña=Sol2024x wachtwoord=Geheim123 senha: abc123xyz",
     [("Sol2024x", P), ("Geheim123", P), ("abc123xyz", P)]),
    ("密码: Abc12345x パスワードはXyz98765q 비밀번호는 Qwe24680z",
     [("Abc12345x", P), ("Xyz98765q", P), ("Qwe24680z", P)]),
    ("impasse: Route-66 is closed", []),
    # -- empty values, templates, masks, literals --
    ("password=\nPASSWORD=''\n\"password\": \"\"", []),
    ("password=<your-password> token=<TOKEN> secret=[REDACTED] api_key=***", []),
    ("password=${DB_PASSWORD} password: $DB_PASS password=%(pw)s password={{ vault_db_password }}", []),
    ("PASSWORD=%DB_PASSWORD% pwd=? password=:password password: !vault", []),
    ("password: ******** token: xxxxxxxxxxxxxxxx secret=changeme_placeholder", []),
    ('"password": null, "token": None, "secret": true, api_key: ""', []),
    # -- code that names the secret without holding it --
    ("API_KEY = os.environ[\"OPENAI_API_KEY\"]  # never hard-code keys", []),
    ("password = getpass.getpass(); token = request.headers.get('x')", []),
    ("connect(password=password, token=self.token, secret=settings.DB_SECRET)", []),
    ("login(user, password=db_password)  # api_key=API_KEY_FROM_ENV", []),
    ("def login(password: str, token: Optional[str] = None) -> None:", []),
    ("PWD=/home/alice/projects; secret_file=/run/secrets/db", []),
    # -- prose and numbers under secret-sounding words --
    ("Password: required. Reset your password: click the link. Password: must be 12 characters", []),
    ('{"errors": {"password": "This field is required."}}', []),
    ("restore cache key=deps-73fbc835fcbc, max_tokens=1024, tokens: 842, token: 5", []),
    ("bypass=true compass: north passed=12 passport_no: 125811037", []),
    ("The password reset flow; password was changed; token limit reached; --pass-through mode", []),
    ("<key>CFBundleName</key><string>App</string>", []),
    ("the private key: ~/.ssh/id_ed25519; secret keys are rotated: daily; the key is: above", []),
    ("secretary: Jane; top secret: do not share", []),
]
# fmt: on


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in sorted(DETECTOR.detect(text), key=lambda s: s.start)]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_passwords(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_scrub_keeps_the_field_name() -> None:
    text = "Server=tcp:db;User ID=report_ro;Password=Tundra-maple-quartz26;Encrypt=True;"
    scrubbed = redaction.scrub(text).text
    assert scrubbed == "Server=tcp:db;User ID=report_ro;Password=[REDACTED:PASSWORD];Encrypt=True;"


@pytest.mark.parametrize(
    "unit",
    ["password=", "password: ", 'password="', "password=\"a", "token=\"a", "pass", "key", "api_key=",
     "password is ", "--password ", "<password>", "login a password ", "password a\n", "-u a:", "mysql ",
     "mysql -p", "(\"", "=", ":", "a"],
)  # fmt: skip
def test_linear_time_on_adversarial_input(unit: str) -> None:
    text = unit * (100_000 // len(unit))
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0, "a detector must stay linear on any input"
