"""API keys and access tokens that name themselves: a vendor prefix followed by key material.

Every regex starts with a literal (`sk`, `A`, `g`, `xox`, `ya29.`, ...), which sre finds at the
speed of `in`, so no separate prefilter is needed and text without a prefix costs one C-level
scan per regex. Bodies are matched loosely (bounded runs of the key alphabet) and judged in
`validate` on the joined value, which lets a key wrapped over a line break be caught whole.
`name=value` assignments whose value has no recognizable format (`aws_secret_access_key = ...`)
are the password detector's; Bearer headers are the bearer detector's.

A key in a vendor's format is a key even when it reads like a documentation sample
(`AKIAIOSFODNN7EXAMPLE`, `sk-proj-...EXAMPLE...`): the engine cannot tell a published sample
from a live key, and a leak costs more than a redaction. Only masks are not keys: a body that is
all one or two characters (`ghp_xxxx...`, `AKIAXXXXXXXXXXXXXXXX`) or mostly `xxxx`/`****`/`...`.
"""

from __future__ import annotations

import base64
import re
from typing import ClassVar

from ._base import Pattern
from ._secrets import SecretDetector, SecretPattern, char_classes, entropy_at_least, is_mask, looks_random

__all__ = ["ApiKeyDetector"]


def _p(
    literal: str,
    rest: str,
    group: int | str = 0,
    score: float = 1.0,
    edge: str = "A-Za-z0-9_-",
    hints: tuple[str, ...] = (),
) -> SecretPattern:
    """``literal`` + ``rest``, not preceded by a character of ``edge``.

    The edge is checked by a fixed-width lookbehind *after* the literal: a leading lookbehind
    would cost sre its literal-prefix search. In ``rest``, the named group that matches names
    the vendor and holds the key material after the vendor prefix. ``hints``: substrings every
    match holds (`SecretPattern.hints`); a literal of its own is one (``hints=(literal,)``).
    """
    lit = re.escape(literal)
    regex = lit + f"(?<![{edge}]{lit})" + rest
    return SecretPattern(literal, re.compile(regex), score, group, hints=hints, wraps=True)


# Minimum joined body length (after the prefix) per vendor: shorter is prose or a stub.
_MIN_BODY: dict[str, int] = {
    "anthropic": 32, "openai": 20, "stripe": 16, "aws_access_key": 16, "aws_secret_key": 40,
    "google_api": 30, "google_oauth": 20, "google_client_secret": 20, "github": 30,
    "github_pat": 40, "slack": 20, "slack_app": 20, "slack_webhook": 20, "stripe_webhook": 20,
    "gitlab": 20, "npm": 30, "pypi": 50, "huggingface": 30, "sendgrid": 40, "vault": 24,
    "shopify": 32, "digitalocean": 64, "telegram": 32, "twilio": 32, "linear": 40, "figma": 40,
    "newrelic": 27, "sentry": 40, "doppler": 40, "pulumi": 40, "atlassian": 100, "notion": 40, "mailgun": 32,
    "azure_client_secret": 38, "discord": 59, "groq": 40, "grafana": 41, "grafana_cloud": 32, "xai": 60,
    "bip32": 100, "replicate": 30, "supabase": 40, "docker": 20, "alibaba": 12, "square": 20, "postman": 59,
    "perplexity": 40, "contentful": 40, "gitlab_runner": 20, "databricks": 32, "easypost": 54,
    "terraform": 80, "age": 58, "private_key_body": 60, "mailchimp": 36, "tailscale": 20, "mapbox": 60,
    "braintree": 49, "brevo": 81, "onepassword": 100, "sonarqube": 40, "resend": 33, "circleci": 40,
    "heroku": 40, "netlify": 30, "flyio": 40, "fcm": 140, "wallet_key": 64, "discord_webhook": 60,
    "pem_b64": 40, "docker_config": 40,
}  # fmt: skip


# Body lengths of fixed-size formats: a key that is already whole never continues on the
# next line (which then is another line, not the rest of the key).
_WHOLE_BODY: dict[str, int] = {
    "anthropic": 95, "aws_access_key": 16, "google_api": 35, "github": 36, "github_pat": 82,
}  # fmt: skip


class ApiKeyDetector(SecretDetector):
    """Vendor API keys and tokens, kind ``API_KEY``; the label names the vendor."""

    name = "api_keys"
    KIND = "API_KEY"

    # fmt: off
    PATTERNS: ClassVar[tuple[SecretPattern, ...]] = (
        _p("sk", r"(?:"
           # sk-ant-api03-<93>AA; admin and OAuth keys share the shape.
           r"-ant-[a-z]{2,8}[0-9]{0,3}-(?P<anthropic>[A-Za-z0-9_-]{1,300})"
           # sk-<48>, sk-proj-/sk-svcacct-/sk-admin-<~150>; `sk-learn` and friends fail validate.
           r"|-(?!ant-)(?:(?:proj|svcacct|admin|None)-)?(?P<openai>[A-Za-z0-9_-]{1,300})"
           # Stripe secret keys; publishable `pk_` keys are public by design.
           r"|_(?:live|test)_(?P<stripe>[A-Za-z0-9]{1,255}+)(?![A-Za-z0-9])"
           r")", score=0.95),
        # Stripe restricted keys.
        _p("rk", r"_(?:live|test)_(?P<stripe>[A-Za-z0-9]{1,255}+)(?![A-Za-z0-9])", hints=("rk_",)),
        # AWS access key ids (long-term AKIA, temporary ASIA, bearer ABIA, context ACCA) + 16 of
        # [A-Z0-9]; user/role unique ids (AIDA, AROA, ...) are identifiers, not credentials.
        _p("A", r"(?:(?:KIA|SIA|BIA|CCA)(?P<aws_access_key>[A-Z0-9]{1,16}+)(?![A-Za-z0-9])"
                r"|Iza(?P<google_api>[A-Za-z0-9_-]{1,40}+)(?![A-Za-z0-9_-]))", edge="A-Za-z0-9"),
        # A secret access key right after its key id (credentials.csv, `id:secret` pairs); under
        # its usual names (`aws_secret_access_key = ...`) the password detector finds it.
        _p("A", r"(?:KIA|SIA)[A-Z0-9]{16}[\s,;:|\"']{1,6}(?P<aws_secret_key>[A-Za-z0-9/+]{40})"
                r"(?![A-Za-z0-9/+=])", "aws_secret_key", edge="A-Za-z0-9"),
        _p("g", r"(?:h[pousr]_(?P<github>[A-Za-z0-9]{1,255}+)(?![A-Za-z0-9])"
                r"|ithub_pat_(?P<github_pat>[A-Za-z0-9_]{1,255}+)(?![A-Za-z0-9_])"
                r"|l(?:pat|dt|rt|ptt|cbt|oas)-(?P<gitlab>[A-Za-z0-9_-]{1,128})"
                # Groq; Grafana service-account and Cloud tokens.
                r"|sk_(?P<groq>[A-Za-z0-9]{1,128}+)(?![A-Za-z0-9])"
                r"|lsa_(?P<grafana>[A-Za-z0-9]{32}_[a-f0-9]{8})(?![A-Za-z0-9])"
                r"|lc_(?P<grafana_cloud>[A-Za-z0-9+/]{32,400}+={0,2})(?![A-Za-z0-9+/=]))"),
        _p("x", r"(?:ox[abposre]-(?P<slack>[A-Za-z0-9-]{1,250})|app-[0-9]-(?P<slack_app>[A-Za-z0-9-]{1,250})"
                # xAI; a BIP32 extended private key (base58).
                r"|ai-(?P<xai>[A-Za-z0-9]{1,128}+)|prv(?P<bip32>[1-9A-HJ-NP-Za-km-z]{100,112}+))"
                r"(?![A-Za-z0-9])"),
        _p("h", r"(?:f_(?P<huggingface>[A-Za-z0-9]{1,64}+)(?![A-Za-z0-9])"
                # Incoming-webhook URLs are bearer secrets: the path is the key.
                r"|ooks\.slack\.com/(?:services|workflows|triggers)/(?P<slack_webhook>[A-Za-z0-9_/-]{1,200})"
                # HashiCorp Vault service/batch/recovery tokens.
                r"|v[sbr]\.(?P<vault>[A-Za-z0-9_-]{1,512}+)(?![A-Za-z0-9_-]))"),
        _p("ya29.", r"(?P<google_oauth>[A-Za-z0-9_-]{1,2048})", hints=("ya29.",)),
        _p("GOCSPX-", r"(?P<google_client_secret>[A-Za-z0-9_-]{1,64})", hints=("GOCSPX-",)),
        _p("whsec_", r"(?P<stripe_webhook>[A-Za-z0-9+/=]{1,128})", hints=("whsec_",)),
        _p("npm_", r"(?P<npm>[A-Za-z0-9]{1,64}+)(?![A-Za-z0-9])", hints=("npm_",)),
        _p("pypi-", r"(?P<pypi>AgE[A-Za-z0-9_-]{1,512})", hints=("pypi-",)),
        # SendGrid keys; Twilio API key SIDs (SK + 32 hex).
        _p("S", r"(?:G\.(?P<sendgrid>[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{1,64})"
                r"|K(?P<twilio>[0-9a-f]{32})(?![A-Za-z0-9]))"),
        # Shopify access/custom-app/private-app/shared-secret tokens: 32 hex.
        _p("shp", r"(?:at|ca|pa|ss)_(?P<shopify>[a-fA-F0-9]{1,64}+)(?![A-Za-z0-9])"),
        # DigitalOcean personal/OAuth/refresh tokens: 64 hex.
        SecretPattern("do", re.compile(r"(?<![A-Za-z0-9_-])do[opr]_v1_(?P<digitalocean>[a-f0-9]{1,128}+)"
                                       r"(?![A-Za-z0-9])"), hints=("_v1_",)),
        # Linear, Figma, New Relic, Sentry, Doppler, Pulumi, Atlassian, Notion, Mailgun: each has a
        # prefix of its own, gated by a C-speed `in` test (about 1 ms per MB each).
        _p("lin_api_", r"(?P<linear>[A-Za-z0-9]{1,64}+)(?![A-Za-z0-9])", hints=("lin_api_",)),
        _p("figd_", r"(?P<figma>[A-Za-z0-9_-]{1,128}+)(?![A-Za-z0-9_-])", hints=("figd_",)),
        _p("NRAK-", r"(?P<newrelic>[A-Z0-9]{1,64}+)(?![A-Za-z0-9])", hints=("NRAK-",)),
        _p("sntry", r"[su]_(?P<sentry>[A-Za-z0-9+/=_]{1,256}+)(?![A-Za-z0-9+/=_])", hints=("sntry",)),
        _p("dp.", r"(?:st|pt|ct|sa|scim|audit)\.(?:[a-z0-9_-]{1,64}\.)?(?P<doppler>[A-Za-z0-9]{1,128}+)"
                  r"(?![A-Za-z0-9])", hints=("dp.",)),
        _p("pul-", r"(?P<pulumi>[a-f0-9]{1,64}+)(?![A-Za-z0-9])", hints=("pul-",)),
        _p("ATATT3", r"(?P<atlassian>[A-Za-z0-9_=-]{1,512}+)(?![A-Za-z0-9_=-])", hints=("ATATT3",)),
        _p("secret_", r"(?P<notion>[A-Za-z0-9]{43})(?![A-Za-z0-9])", hints=("secret_",)),
        _p("ntn_", r"(?P<notion>[A-Za-z0-9]{40,60}+)(?![A-Za-z0-9])", hints=("ntn_",)),
        _p("key-", r"(?P<mailgun>[a-f0-9]{32})(?![A-Za-z0-9])", hints=("key-",)),
        # Replicate, Supabase, Docker Hub, Alibaba Cloud, Square, Postman, Perplexity, Contentful,
        # GitLab runner registration, Databricks, EasyPost, Terraform Cloud, age.
        _p("r8_", r"(?P<replicate>[A-Za-z0-9]{1,64}+)(?![A-Za-z0-9])", hints=("r8_",)),
        _p("sbp_", r"(?P<supabase>[a-f0-9]{40})(?![A-Za-z0-9])", hints=("sbp_",)),
        _p("dckr_pat_", r"(?P<docker>[A-Za-z0-9_-]{1,64}+)(?![A-Za-z0-9_-])", hints=("dckr_pat_",)),
        _p("LTAI", r"(?P<alibaba>[A-Za-z0-9]{12,24}+)(?![A-Za-z0-9])", hints=("LTAI",)),
        _p("sq0", r"(?:atp|csp|idp)-(?P<square>[A-Za-z0-9_-]{1,64}+)(?![A-Za-z0-9_-])", hints=("sq0",)),
        _p("PMAK-", r"(?P<postman>[a-f0-9]{24}-[a-f0-9]{34})(?![A-Za-z0-9])", hints=("PMAK-",)),
        _p("pplx-", r"(?P<perplexity>[A-Za-z0-9]{1,64}+)(?![A-Za-z0-9])", hints=("pplx-",)),
        _p("CFPAT-", r"(?P<contentful>[A-Za-z0-9_-]{1,64}+)(?![A-Za-z0-9_-])", hints=("CFPAT-",)),
        _p("GR1348941", r"(?P<gitlab_runner>[A-Za-z0-9_-]{1,64}+)(?![A-Za-z0-9_-])", hints=("GR1348941",)),
        _p("dapi", r"(?P<databricks>[a-f0-9]{32})(?:-[0-9])?(?![A-Za-z0-9])", hints=("dapi",)),
        _p("EZ", r"[AT]K(?P<easypost>[a-zA-Z0-9]{54})(?![A-Za-z0-9])", hints=("EZAK", "EZTK")),
        SecretPattern("atlasv1", re.compile(r"(?<![A-Za-z0-9])(?P<terraform>[A-Za-z0-9]{14}\.atlasv1\."
                                            r"[A-Za-z0-9_-]{60,90})(?![A-Za-z0-9_-])"), hints=(".atlasv1.",)),
        SecretPattern("age", re.compile(r"(?i:AGE-SECRET-KEY-1)(?P<age>[0-9A-Za-z]{58})(?![A-Za-z0-9])"),
                      hints=("AGE-SECRET-KEY-1", "age-secret-key-1")),
        # Mailchimp (`<32 hex>-us21`) where Mailchimp is named: alone it is an MD5 with a suffix
        # as often (an etag).
        SecretPattern("mailchimp", re.compile(r"(?<![A-Za-z0-9])(?P<mailchimp>[a-f0-9]{32}-us[0-9]{1,2})"
                                              r"(?![A-Za-z0-9])"),
                      hints=("ailchimp", "AILCHIMP", "mc_api", "MC_API")),
        # A private key's DER body in base64 without its PEM armour (PKCS#8, PKCS#1, SEC1,
        # OpenSSH): its first bytes are fixed by the format.
        SecretPattern("der", re.compile(r"(?<![A-Za-z0-9+/])(?P<private_key_body>"
                                        r"(?:MII[A-Za-z0-9+/]{3}(?:IBADAN|IBAAKC)"
                                        r"|MHcCAQEE|MC4CAQAw|b3BlbnNzaC1rZXktdjE)(?:[A-Za-z0-9+/]|\r?\n){40,8000}+"
                                        r"={0,2})"), kind="PRIVATE_KEY",
                      hints=("IBADAN", "IBAAKC", "MHcCAQEE", "MC4CAQAw", "b3BlbnNzaC1rZXkt")),
        # Base64 twice over, as a Kubernetes Secret's `data:` holds files: a PEM private key
        # (`LS0tLS1CRUdJTi…` is `-----BEGIN`; checked to be a private key's in `validate`) and a
        # registry login's `.dockerconfigjson` (`eyJhdXRocyI6` is `{"auths":`).
        SecretPattern("pem_b64", re.compile(r"(?<![A-Za-z0-9+/])(?P<pem_b64>LS0tLS1CRUdJTi"
                                            r"[A-Za-z0-9+/]{20,20000}+={0,2})"),
                      kind="PRIVATE_KEY", hints=("LS0tLS1CRUdJTi",)),
        SecretPattern("docker_config", re.compile(r"(?<![A-Za-z0-9+/])(?P<docker_config>eyJhdXRocyI6"
                                                  r"[A-Za-z0-9+/]{20,20000}+={0,2})"),
                      hints=("eyJhdXRocyI6",)),
        # Azure AD client secrets: 3 characters, a digit, `Q~`, then 31-34 (`abc8Q~...`).
        SecretPattern("azure", re.compile(r"(?<![A-Za-z0-9_~.-])(?P<azure_client_secret>[A-Za-z0-9_~.-]{3}"
                                          r"[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])"),
                      hints=("Q~",)),
        # Discord bot tokens (the bot's id in base64, a timestamp, an HMAC), where Discord is
        # named: the shape alone has no literal to search for.
        SecretPattern("discord", re.compile(r"(?P<discord>[MNO](?<![A-Za-z0-9_.-][MNO])[A-Za-z0-9]{23,27}\."
                                            r"[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38})(?![A-Za-z0-9_.-])"),
                      hints=("iscord", "ISCORD")),
        # Telegram bot tokens, `<bot id>:AA<33>`: searched only where `:AA` occurs.
        SecretPattern("telegram", re.compile(r"(?<![0-9])[0-9]{6,12}:(?P<telegram>AA[A-Za-z0-9_-]{30,40})"
                                             r"(?![A-Za-z0-9_-])"), hints=(":AA",)),
        # After the code-and-configs tester: vendor prefixes that leaked where no name stood
        # before the key (a positional argument, a comment). Tailscale, Mapbox secret tokens,
        # Braintree, Brevo, 1Password service accounts, SonarQube, Resend, CircleCI, Heroku,
        # Netlify, Fly.io, Firebase Cloud Messaging server keys.
        _p("tskey-", r"(?:auth|api|client|scim|webhook)-(?P<tailscale>[A-Za-z0-9-]{1,128}+)(?![A-Za-z0-9-])",
           hints=("tskey-",)),
        _p("sk.eyJ", r"(?P<mapbox>[A-Za-z0-9_.-]{1,512}+)(?![A-Za-z0-9_.-])", hints=("sk.eyJ",)),
        _p("access_token$", r"(?:production|sandbox)\$(?P<braintree>[a-z0-9]{16}\$[a-f0-9]{32})"
           r"(?![A-Za-z0-9])", hints=("access_token$",)),
        _p("x", r"(?:keysib|smtpsib)-(?P<brevo>[a-f0-9]{64}-[A-Za-z0-9]{16})(?![A-Za-z0-9])",
           hints=("xkeysib-", "xsmtpsib-")),
        _p("ops_", r"(?P<onepassword>eyJ[A-Za-z0-9+/=_-]{1,2048}+)(?![A-Za-z0-9+/=_-])", hints=("ops_eyJ",)),
        _p("sq", r"[upa]_(?P<sonarqube>[a-f0-9]{40})(?![A-Za-z0-9])", hints=("squ_", "sqp_", "sqa_")),
        _p("re_", r"(?P<resend>[A-Za-z0-9]{8}_[A-Za-z0-9]{20,32})(?![A-Za-z0-9])", hints=("re_",)),
        _p("CCIPAT_", r"(?P<circleci>[A-Za-z0-9_]{1,128}+)(?![A-Za-z0-9_])", hints=("CCIPAT_",)),
        _p("HRKU-", r"(?P<heroku>[A-Za-z0-9_-]{1,128}+)(?![A-Za-z0-9_-])", hints=("HRKU-",)),
        _p("nfp_", r"(?P<netlify>[A-Za-z0-9]{1,64}+)(?![A-Za-z0-9])", hints=("nfp_",)),
        _p("FlyV1 ", r"(?P<flyio>fm[12][ar]?_[A-Za-z0-9+/=_,-]{1,2048}+)(?![A-Za-z0-9+/=_,-])",
           hints=("FlyV1 ",)),
        # A wallet's private key (64 hex) passed to the call that opens the wallet: ethers'
        # `new Wallet("0x…")`, viem's `privateKeyToAccount("0x…")`, web3's `fromPrivateKey`, eth-account's
        # `Account.from_key("0x…")`. A bare
        # 0x-prefixed 64-hex string is a transaction or block hash as often: public.
        # Hardhat's and Foundry's network config: `accounts: ["<64 hex>"]` holds private keys.
        SecretPattern("hardhat", re.compile(r"accounts[ \t]*:[ \t]*\[[ \t\r\n]*[\"'`]"
                                            r"(?P<wallet_key>(?:0x)?[0-9a-fA-F]{64})[\"'`]"),
                      1.0, "wallet_key", kind="PRIVATE_KEY", hints=("accounts",)),
        SecretPattern("wallet", re.compile(r"(?:Wallet|privateKeyToAccount|fromPrivateKey|privateKeyTo"
                                           r"Address|from_key)[ \t]*\([ \t]*[\"'`]"
                                           r"(?P<wallet_key>(?:0x)?[0-9a-fA-F]{64})[\"'`]"),
                      1.0, "wallet_key", kind="PRIVATE_KEY",
                      hints=("Wallet(", "Wallet (", "privateKeyTo", "fromPrivateKey", "from_key(")),
        # Discord (and Guilded-style) webhook URLs: the token after the webhook's id is the secret.
        SecretPattern("discord_webhook", re.compile(r"/api/webhooks/[0-9]{17,20}/"
                                                    r"(?P<discord_webhook>[A-Za-z0-9_-]{60,80})(?![A-Za-z0-9_-])"),
                      1.0, "discord_webhook", hints=("/api/webhooks/",)),
        SecretPattern("fcm", re.compile(r"(?<![A-Za-z0-9_-])(?P<fcm>AAAA[A-Za-z0-9_-]{7}:APA91b"
                                        r"[A-Za-z0-9_-]{100,200})(?![A-Za-z0-9_-])"), hints=(":APA91b",)),
    )
    # fmt: on

    def value_span(self, text: str, match: re.Match[str], pattern: SecretPattern) -> tuple[int, int]:
        vendor = match.lastgroup or ""
        body = match.group(vendor) or ""
        # OpenAI keys are symmetric around their `T3BlbkFJ` marker (20+8+20, 74+8+74).
        marker = body.find("T3BlbkFJ") if vendor == "openai" else -1
        if len(body) >= _WHOLE_BODY.get(vendor, 1 << 30) or (marker > 0 and len(body) >= 2 * marker + 8):
            return match.span(pattern.group)
        return super().value_span(text, match, pattern)

    def validate(self, value: str, match: re.Match[str], pattern: Pattern) -> bool:
        vendor = match.lastgroup or ""
        # The key material after the vendor prefix; the prefix never holds a line break.
        body = value[match.start(vendor) - match.start(pattern.group) :]
        min_body = _MIN_BODY.get(vendor, 16)
        # A mask (`xxxx`, `****`) is no key; `EXAMPLE` in a key-shaped body is: it may be live.
        if len(body) < min_body or is_mask(body):
            return False
        if vendor == "aws_access_key":
            # Exactly 16 after the type prefix (base32: a random id may hold no digit at all).
            return len(body) == 16 and len(set(body)) >= 8
        if vendor == "aws_secret_key":
            return char_classes(body) >= 3
        if vendor == "pem_b64":  # only a private key's armour: a certificate's is public
            head = body[:64]
            return b"PRIVATE KEY" in base64.b64decode(head[: len(head) // 4 * 4], validate=False)
        if vendor == "slack_webhook":
            return any(ch.isdigit() for ch in body)
        if vendor == "openai":
            # `sk-learn-compatible-transformers`, `sk-2024-q3-rollout-plan`: slugs, not keys. A
            # bare `sk-` is weak evidence, so the body must be random base62 (all three classes).
            compact = body.replace("-", "").replace("_", "")
            return "T3BlbkFJ" in body or (
                char_classes(compact) >= 3 and looks_random(compact, min_len=min_body, shaped=True)
            )
        # `looks_random(body, min_len=min_body, min_entropy=2.5, shaped=True)`, less the tests
        # already passed above (length, `is_mask`).
        return char_classes(body) >= 2 and entropy_at_least(body, 2.5)

    def label(self, value: str, match: re.Match[str], pattern: Pattern) -> str:
        vendor = match.lastgroup or pattern.name
        return "openai_proj" if vendor == "openai" and value.startswith("sk-proj-") else vendor
