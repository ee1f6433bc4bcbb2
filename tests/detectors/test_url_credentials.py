"""URL userinfo passwords: dropped, user and host kept; connection strings report PASSWORD."""

from __future__ import annotations

import time

import pytest

import redaction
from redaction.detectors.url_credentials import UrlCredentialsDetector

DETECTOR = UrlCredentialsDetector()
U, P = "URL_CREDENTIALS", "PASSWORD"

# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    ("--index-url https://ci-bot:Quartz-lantern-copper22@pypi.example.com/simple",
     [("Quartz-lantern-copper22", U)]),
    ("GET sftp://backup:oO17S*KKl4PhbHlR@intranet.example.net/repo.git", [("oO17S*KKl4PhbHlR", U)]),
    ("url: ftp://ftpuser:XDnLIKopFN4fX5@files.example.de/upload", [("XDnLIKopFN4fX5", U)]),
    ("http://ci-bot:Agibl7X0hN-m2lkKNE!Fj@registry.example.fr/api", [("Agibl7X0hN-m2lkKNE!Fj", U)]),
    ("DATABASE_URL=postgresql://root:Pixel-copper-harbor67@db.svc:5432/users",
     [("Pixel-copper-harbor67", P)]),
    ('"db_url": "redis://:NzXV_n5eZuXLYZ3GZ.fo0@cache:6379/0"', [("NzXV_n5eZuXLYZ3GZ.fo0", P)]),
    ("mongodb+srv://svc_api:Quartz-harbor-pixel24@cluster0.example.net/prod?w=majority",
     [("Quartz-harbor-pixel24", P)]),
    ("postgresql+psycopg2://app:s3cret-Pw@localhost/app", [("s3cret-Pw", P)]),
    ("jdbc:mysql://etl:Falcon-orbit-40@db:3306/x", [("Falcon-orbit-40", P)]),
    ("amqp://report_ro:Harbor-velvet-tundra52@mq:5672/%2F", [("Harbor-velvet-tundra52", P)]),
    # a raw `@` inside the password: the last `@` before the host ends it
    ("redis://:p@ss-W0rd@cache:6379", [("p@ss-W0rd", P)]),
    ("postgres://user:pa%40ss%3Aword9@db/app", [("pa%40ss%3Aword9", P)]),
    ("mysql://app:Hc/pSE3akhng0mI+23PX@db:3306/app", [("Hc/pSE3akhng0mI+23PX", P)]),
    ("git clone https://x-access-token:ghs_16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r.git",
     [("ghs_16C7e42F292c6912E7710c838347Ae178B4a", U)]),
    # a token as the whole userinfo: an Azure DevOps PAT, a token of no known format
    ("git clone https://5x2bhjmzjq7yvn4c3gtaklqkz6rxz3bvrwpbd6ufxkdlw5uny6ua@dev.azure.com/org/p",
     [("5x2bhjmzjq7yvn4c3gtaklqkz6rxz3bvrwpbd6ufxkdlw5uny6ua", U)]),
    ("pip install git+https://Xq7Lr2Vt9KpB4sNw8ZcF6m@git.example.com/lib.git",
     [("Xq7Lr2Vt9KpB4sNw8ZcF6m", U)]),
    # -- look-alikes --
    ("https://jdoe@bitbucket.org/team/repo.git and https://first.last.contractor2@bitbucket.org/x", []),
    ("https://deploy-bot-2024-production@example.com/x and ssh://git-user-01@host.example.com", []),
    ("https://aaaaaaaaaaaaaaaaaaaa1234@example.com", []),
    ("git clone https://NorthwindTraders2024@dev.azure.com/NorthwindTraders2024/proj/_git/repo", []),
    ("https://<your-personal-access-token>@dev.azure.com", []),
    ("postgres://localhost:5432/dev and https://example.com:8443/path", []),
    ("https://example.com:443/unsubscribe?email=jane@example.com", []),
    ("http://localhost:8080/api/users/@me and https://x.org:443/@handle/post", []),
    ("ssh://git@github.com:22/org/repo.git and git@github.com:org/repo.git", []),
    ("https://user:password@host/ and postgres://postgres:<password>@db/app", []),
    ("postgres://${DB_USER}:${DB_PASSWORD}@db:5432/app and redis://:@cache:6379", []),
    ("https://user:****@example.com and mysql://root:xxxxxxxx@db", []),
    ("https://jane@example.com/profile (user, no password)", []),
]
# fmt: on


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in sorted(DETECTOR.detect(text), key=lambda s: s.start)]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_url_credentials(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_scrub_keeps_user_and_host() -> None:
    scrubbed = redaction.scrub("backup.fetch GET sftp://jenkins:kjMmSG9Uo7C25h@nexus.example.net/x").text
    assert "kjMmSG9Uo7C25h" not in scrubbed
    assert "sftp://jenkins:[REDACTED:URL_CREDENTIALS]@" in scrubbed


@pytest.mark.parametrize(
    "unit", ["://", "://a:", "a:", "://a:b", "://a:b/", "://a:/@", "@", "://:@", "a://b:c@", "a"]
)
def test_linear_time_on_adversarial_input(unit: str) -> None:
    text = unit * (100_000 // len(unit))
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0, "a detector must stay linear on any input"
