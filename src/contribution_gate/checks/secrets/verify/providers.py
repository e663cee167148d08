"""The providers a found credential can be checked with: one table entry each.

Every entry is one documented, read-only call that changes nothing (who am I, list models, a
balance), sent only to that provider's own API host, and how its answer reads: the statuses that
say the credential works (`live`), the ones that say it is unknown, revoked or expired
(`revoked`), and anything else (429, 5xx, a redirect) `unknown`. A provider that answers 200 for
everything (Slack) is read by its body.

A base URL comes from the provider's environment variable (`CONTRIBUTION_GATE_VERIFY_<KEY>_URL`;
GitHub's from `GITHUB_API_URL`, as Actions and GitHub Enterprise set it), never from the policy of
the reviewed change: a pull request cannot name the server its tokens are sent to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .answers import Answer, Request, Response, Validity
from .aws import caller_identity

Build = Callable[[str, str, str], Request]  # (base URL, credential, its partner) -> request
Read = Callable[[Response, Request], Answer]


@dataclass(frozen=True)
class Provider:
    """One provider's verifier: the rules whose values it takes, where and how it asks."""

    key: str  # names its environment variable
    name: str
    rules: tuple[str, ...]
    url: str  # the documented API host
    build: Build
    read: Read
    takes: Callable[[str], bool] = lambda secret: True  # which of the rules' values it can check
    env: str = ""
    pairs_with: tuple[str, ...] = ()  # rules of the second half of a pair (AWS: the secret key)

    @property
    def variable(self) -> str:
        return self.env or f"CONTRIBUTION_GATE_VERIFY_{self.key.upper()}_URL"


def by_status(live: tuple[int, ...] = (200,), revoked: tuple[int, ...] = (401,)) -> Read:
    """An answer read by its status alone."""

    def read(response: Response, request: Request) -> Answer:
        said = f"{request.shown} answered {response.status}"
        if response.status in live:
            return Answer(Validity.LIVE, said)
        if response.status in revoked:
            return Answer(Validity.REVOKED, said)
        return Answer(Validity.UNKNOWN, said + _why_unknown(response.status))

    return read


def _why_unknown(status: int) -> str:
    if status == 429:
        return " (rate limited)"
    if status >= 500:
        return " (the provider's error)"
    if 300 <= status < 400:
        return " (a redirect, not followed)"
    return ""


def bearer(path: str, **more: str) -> Build:
    """`GET base + path` with `Authorization: Bearer <credential>` (and `more` headers)."""
    return lambda base, secret, _: Request(
        "GET", base.rstrip("/") + path, {"Authorization": f"Bearer {secret}", "Accept": "application/json", **more}
    )


def with_header(path: str, header: str, **more: str) -> Build:
    """`GET base + path` with the credential in its own header (`x-api-key`, `PRIVATE-TOKEN`)."""
    return lambda base, secret, _: Request(
        "GET", base.rstrip("/") + path, {header: secret, "Accept": "application/json", **more}
    )


def _github(response: Response, request: Request) -> Answer:
    """401 is a bad or revoked token. 403 is a token GitHub knows that may not read the user (an
    app's installation token: "Resource not accessible by integration"), unless it is the rate
    limit (`x-ratelimit-remaining: 0`)."""
    if response.status == 403 and response.headers.get("x-ratelimit-remaining") == "0":
        return Answer(Validity.UNKNOWN, f"{request.shown} answered 403 (rate limited)")
    return by_status(live=(200, 403))(response, request)


def _gitlab(response: Response, request: Request) -> Answer:
    """200 with the token's own record (`active`, `revoked`); 401 for a revoked, expired or unknown
    token; 403 for a known token without the scope to read itself."""
    if response.status == 200:
        record = response.json()
        if isinstance(record, dict) and (record.get("revoked") is True or record.get("active") is False):
            return Answer(Validity.REVOKED, f"{request.shown} answered 200, the token inactive")
    return by_status(live=(200, 403))(response, request)


_SLACK_REVOKED = frozenset({"invalid_auth", "token_revoked", "account_inactive", "token_expired", "not_authed"})


def _slack(response: Response, request: Request) -> Answer:
    """Slack answers 200 with `{"ok": true}` or `{"ok": false, "error": "..."}`."""
    body = response.json()
    if response.status != 200 or not isinstance(body, dict):
        return by_status(live=(), revoked=())(response, request)
    if body.get("ok") is True:
        return Answer(Validity.LIVE, f"{request.shown} answered ok")
    error = str(body.get("error", ""))[:40]
    validity = Validity.REVOKED if error in _SLACK_REVOKED else Validity.UNKNOWN
    return Answer(validity, f"{request.shown} answered {error or 'not ok'}")


def _slack_build(base: str, secret: str, _: str) -> Request:
    return Request(
        "POST",
        base.rstrip("/") + "/api/auth.test",
        {"Authorization": f"Bearer {secret}", "Content-Type": "application/x-www-form-urlencoded"},
        b"",
    )


def _google(response: Response, request: Request) -> Answer:
    """200 lists the models. 400 `API_KEY_INVALID` is a deleted or unknown key. 403 with
    `SERVICE_DISABLED` or an `API_KEY_..._BLOCKED` reason is a key Google knows whose project
    does not use this API (or that is restricted to others): it still works where it is allowed."""
    text = response.text()
    if response.status == 400 and ("API_KEY_INVALID" in text or "API key not valid" in text):
        return Answer(Validity.REVOKED, f"{request.shown} answered 400 API_KEY_INVALID")
    if response.status == 403 and ("SERVICE_DISABLED" in text or "_BLOCKED" in text):
        return Answer(Validity.LIVE, f"{request.shown} answered 403: a valid key restricted from this API")
    return by_status(revoked=())(response, request)


def _aws(response: Response, request: Request) -> Answer:
    """STS answers 200 with the caller's ARN; 403 `InvalidClientTokenId` for a key id AWS does not
    know (deleted, deactivated); `SignatureDoesNotMatch` for a known key id whose secret is not the
    one found beside it (the key id is real: that says nothing of the pair being harmless)."""
    text = response.text()
    if response.status == 200:
        return Answer(Validity.LIVE, f"{request.shown} GetCallerIdentity answered 200")
    if response.status == 403 and "InvalidClientTokenId" in text:
        return Answer(Validity.REVOKED, f"{request.shown} GetCallerIdentity answered InvalidClientTokenId")
    if "SignatureDoesNotMatch" in text:
        return Answer(Validity.UNKNOWN, "the key id is known to AWS, but the secret found beside it is not its secret")
    return by_status(live=(), revoked=())(response, request)


def _cohere(response: Response, request: Request) -> Answer:
    """`POST /v1/check-api-key` answers 200 `{"valid": true|false}`, or 401."""
    body = response.json()
    if response.status == 200 and isinstance(body, dict) and body.get("valid") is False:
        return Answer(Validity.REVOKED, f"{request.shown} answered 200, not valid")
    return by_status()(response, request)


def _cohere_build(base: str, secret: str, _: str) -> Request:
    return Request(
        "POST",
        base.rstrip("/") + "/v1/check-api-key",
        {"Authorization": f"Bearer {secret}", "Accept": "application/json", "Content-Type": "application/json"},
        b"{}",
    )


def _aws_build(base: str, key_id: str, secret: str) -> Request:
    return caller_identity(base, key_id, secret)


def _xai(response: Response, request: Request) -> Answer:
    """`GET /v1/api-key` describes the key itself; a blocked or disabled key is as good as revoked."""
    body = response.json()
    blocked = isinstance(body, dict) and (body.get("api_key_blocked") is True or body.get("api_key_disabled") is True)
    if response.status == 200 and blocked:
        return Answer(Validity.REVOKED, f"{request.shown} answered 200, the key blocked or disabled")
    if response.status == 400 and "incorrect api key" in response.text().lower():
        return Answer(Validity.REVOKED, f"{request.shown} answered 400 (incorrect API key)")
    return by_status()(response, request)


PROVIDERS: tuple[Provider, ...] = (
    Provider(
        "github",
        "GitHub",
        ("github-token", "github-fine-grained-token"),
        "https://api.github.com",
        bearer("/user", **{"X-GitHub-Api-Version": "2022-11-28"}),
        _github,
        takes=lambda s: not s.startswith("ghr_"),  # a refresh token authenticates nothing by itself
        env="GITHUB_API_URL",
    ),
    Provider(
        "gitlab",
        "GitLab",
        ("gitlab-token",),
        "https://gitlab.com",
        with_header("/api/v4/personal_access_tokens/self", "PRIVATE-TOKEN"),
        _gitlab,
        takes=lambda s: s.startswith("glpat-"),  # the other kinds cannot read themselves
    ),
    Provider(
        "slack",
        "Slack",
        ("slack-token",),
        "https://slack.com",
        _slack_build,
        _slack,
        takes=lambda s: s.startswith("xox"),
    ),
    Provider("openai", "OpenAI", ("openai-api-key",), "https://api.openai.com", bearer("/v1/models"), by_status()),
    Provider(
        "anthropic",
        "Anthropic",
        ("anthropic-api-key",),
        "https://api.anthropic.com",
        with_header("/v1/models", "x-api-key", **{"anthropic-version": "2023-06-01"}),
        by_status(live=(200, 403)),  # 403 permission_error: a known key without access to this
        takes=lambda s: "-api03-" in s,  # an admin key reads only the admin API
    ),
    Provider(
        "huggingface",
        "Hugging Face",
        ("huggingface-token",),
        "https://huggingface.co",
        bearer("/api/whoami-v2"),
        by_status(),
    ),
    Provider("npm", "npm", ("npm-token",), "https://registry.npmjs.org", bearer("/-/whoami"), by_status()),
    Provider(
        "stripe",
        "Stripe",
        ("stripe-key",),
        "https://api.stripe.com",
        bearer("/v1/balance"),
        by_status(live=(200, 403)),  # 403: a restricted key without the balance permission
    ),
    Provider(
        "aws",
        "AWS STS",
        ("aws-access-key",),
        "https://sts.amazonaws.com",
        _aws_build,
        _aws,
        takes=lambda s: s.startswith("AKIA"),  # ASIA keys need their session token too
        pairs_with=("aws-secret-key", "aws-cli-secret-key"),
    ),
    Provider(
        "google",
        "Google",
        ("google-api-key",),
        "https://generativelanguage.googleapis.com",
        with_header("/v1beta/models", "X-goog-api-key"),
        _google,
    ),
    Provider("groq", "Groq", ("groq-api-key",), "https://api.groq.com", bearer("/openai/v1/models"), by_status()),
    Provider(
        "mistral", "Mistral AI", ("mistral-api-key",), "https://api.mistral.ai", bearer("/v1/models"), by_status()
    ),
    Provider("xai", "xAI", ("xai-api-key",), "https://api.x.ai", bearer("/v1/api-key"), _xai),
    Provider(
        "openrouter", "OpenRouter", ("openrouter-api-key",), "https://openrouter.ai", bearer("/api/v1/key"), by_status()
    ),
    Provider(
        "replicate",
        "Replicate",
        ("replicate-api-token",),
        "https://api.replicate.com",
        bearer("/v1/account"),
        by_status(),
    ),
    Provider("cohere", "Cohere", ("cohere-api-key",), "https://api.cohere.com", _cohere_build, _cohere),
    Provider(
        "discord",
        "Discord",
        ("discord-bot-token",),
        "https://discord.com",
        lambda base, secret, _: Request(
            "GET",
            base.rstrip("/") + "/api/v10/users/@me",
            {"Authorization": f"Bot {secret}", "Accept": "application/json"},
        ),
        by_status(),
    ),
    Provider(
        "airtable", "Airtable", ("airtable-pat",), "https://api.airtable.com", bearer("/v0/meta/whoami"), by_status()
    ),
    Provider(
        "terraform",
        "HCP Terraform",
        ("terraform-cloud-token",),
        "https://app.terraform.io",
        bearer("/api/v2/account/details", Accept="application/vnd.api+json"),
        by_status(),
    ),
    Provider("sendgrid", "SendGrid", ("sendgrid-key",), "https://api.sendgrid.com", bearer("/v3/scopes"), by_status()),
)

BY_RULE: Mapping[str, Provider] = {rule: p for p in PROVIDERS for rule in p.rules}
PARTNER_RULES: frozenset[str] = frozenset(rule for p in PROVIDERS for rule in p.pairs_with)
