"""IpDetector: v4 and v6 addresses that name a host; versions, OIDs and code left alone."""

from __future__ import annotations

import time

import pytest

import redaction
from redaction.detectors.ip import IpDetector

DETECTOR = IpDetector()


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in DETECTOR.detect(text)]


# fmt: off
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # IPv4, public and private (a private address still names a host).
    ('192.168.23.102 - - [22/May/2024:04:52:08 +0000] "GET / HTTP/1.1"', [("192.168.23.102", "IP")]),
    ("Failed password for invalid user admin from 10.147.50.17 port 2177", [("10.147.50.17", "IP")]),
    ('{"user": "Zoe Baker", "ip": "92.71.138.88"}', [("92.71.138.88", "IP")]),
    ("dob=02/13/1963|ip=[47.224.54.244]!key=", [("47.224.54.244", "IP")]),
    ("auth.login ip=71.55.202.84 result=success", [("71.55.202.84", "IP")]),
    ("http://10.0.0.5:8080/admin and 172.16.4.1/24", [("10.0.0.5", "IP"), ("172.16.4.1", "IP")]),
    ("resolver 8.8.8.8.", [("8.8.8.8", "IP")]),
    ("edge 255.1.2.3 and 10.0.0.255", [("255.1.2.3", "IP"), ("10.0.0.255", "IP")]),
    # IPv6: full, compressed, with an embedded v4 tail.
    ('"ip": "2400:cb00:8d5a:25e3::67cd:8be0"', [("2400:cb00:8d5a:25e3::67cd:8be0", "IP")]),
    ("2600:1f18:59b5:8cd8:c168:2b62:c657:6097", [("2600:1f18:59b5:8cd8:c168:2b62:c657:6097", "IP")]),
    ("2400:cb00:0000:0000:86d1:998d:4dbb:5c4d", [("2400:cb00:0000:0000:86d1:998d:4dbb:5c4d", "IP")]),
    ("from 2001:db8:7bec:30f7:9637::82ab port 4592", [("2001:db8:7bec:30f7:9637::82ab", "IP")]),
    ("peer [2001:db8::1]:443 or ip:2001:db8::2", [("2001:db8::1", "IP"), ("2001:db8::2", "IP")]),
    ("fe80::1ff:fe23:4567:890a%eth0", [("fe80::1ff:fe23:4567:890a", "IP")]),
    ("::ffff:192.168.1.1", [("192.168.1.1", "IP"), ("::ffff:192.168.1.1", "IP")]),
    # Addresses that name no host: loopback, unspecified, broadcast, netmasks.
    ("Listening on 0.0.0.0:2169 and 127.0.0.1:8080, [::1]:9000, [::]:80", []),
    ("mask 255.255.255.0, broadcast 255.255.255.255, ::ffff:127.0.0.1", []),
    # Look-alikes that are not addresses.
    ("Release 10.5.33, v1.2.3.4, version 2.0.1.12, Section 1.2.3.4", []),
    ("Windows 10.0.20778.1102, 7.28.98.8554, diff 12.6.86.3761...7.28.98.8554", []),
    ("OID 1.3.6.1.4.1.311.21.8", []),
    ("Mozilla/5.0 Chrome/120.0.0.0 Safari/537.36", []),
    ("octets 256.1.1.1, 1.2.3.256, 01.02.03.04", []),
    ("at 23:19:48.187, ratio 16:9, MAC 00:1a:2b:3c:4d:5e", []),
    ("std::vector, a[1::2], Foo::Bar::baz, a::b:c", []),
    ("Exercise 7.3.12: show that 1/7 = 0.142857142857...", []),
    ("prefix 2001:db8:: and fe80::1", []),
    # Four-part versions named by a word in or before an identifier.
    ("Set minSdkVersion to 1.5.6.8", []),
    ("version: 3.1.4.1, app_version=3.1.4.1, BUILD_NUMBER: 4.0.2.1", []),
    ("Login from 10.0.0.1", [("10.0.0.1", "IP")]),
    ("build server at 10.0.0.5", [("10.0.0.5", "IP")]),
    ("DNS 1.1.1.1 and 8.8.8.8", [("1.1.1.1", "IP"), ("8.8.8.8", "IP")]),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_detects_exactly_the_addresses(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Failed password for root from 203.0.113.9 port 22", "203.0.113.9"),
        ('{"ip": "2a01:4f8:49fd::a15f:2c89:6170"}', "2a01:4f8:49fd::a15f:2c89:6170"),
        ("ip=１９２.１６８.１.２", "１９２.１６８.１.２"),
    ],
)
def test_scrub_replaces_the_address_and_rehydrates_exactly(text: str, address: str) -> None:
    scrubbed, token_map, _ = redaction.scrub(text)
    assert scrubbed == text.replace(address, "[IP_1]"), "the address, and only it, must be replaced"
    assert redaction.rehydrate(scrubbed, token_map) == text


def test_loopback_is_left_readable() -> None:
    text = "bind 127.0.0.1:8080 and 0.0.0.0:443"
    assert redaction.scrub(text)[0] == text


@pytest.mark.parametrize(
    "unit", [":", "::", "1:", "a:", "ffff:", "1.", "1.1.1.1.", "1.2.3.4 ", "2001:db8::1 ", "a.a.", "12."]
)
def test_linear_time_on_adversarial_input(unit: str) -> None:
    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    started = time.perf_counter()
    list(DETECTOR.detect(text))
    assert time.perf_counter() - started < 2.0, f"{unit!r}: catastrophic backtracking or quadratic scan"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tracking; 3.16.5.2-rc3; x", "tracking; 3.16.5.2-rc3; x"),
        ("build 1.2.3.4+build7 done", "build 1.2.3.4+build7 done"),
        ("host 10.0.0.1-prod is up", "host [IP_1]-prod is up"),
        ("10.1.2.3-10.1.2.9", "[IP_1]-[IP_2]"),
    ],
)
def test_versions_with_prerelease_tags_are_not_addresses(text: str, expected: str) -> None:
    assert redaction.scrub(text).text == expected, "a version string must not become an IP token"
