"""AWS Signature Version 4 with the standard library (hmac, hashlib), for one call: STS
`GetCallerIdentity`, which needs no permission, changes nothing and answers who the key belongs
to. The secret access key never leaves this machine: only a signature made with it is sent.

The algorithm is AWS's documented one ("Create a signed AWS API request"): a canonical request,
a string to sign over its hash, and a signing key derived from the secret by HMAC-SHA256 over the
date, region, service and `aws4_request`. tests check it against AWS's own SigV4 test vector.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime, timezone
from urllib.parse import quote, urlsplit

from .answers import Request

ALGORITHM = "AWS4-HMAC-SHA256"
STS_BODY = b"Action=GetCallerIdentity&Version=2011-06-15"
STS_REGION = "us-east-1"  # the global endpoint sts.amazonaws.com signs in us-east-1


def caller_identity(base_url: str, key_id: str, secret: str, now: datetime | None = None) -> Request:
    """The signed `POST /` of `Action=GetCallerIdentity` to STS at `base_url`."""
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    url = base_url.rstrip("/") + "/"
    signed = sign("POST", url, headers, STS_BODY, key_id, secret, STS_REGION, "sts", now)
    return Request("POST", url, {**signed, "Accept": "application/xml"}, STS_BODY)


def sign(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    key_id: str,
    secret: str,
    region: str,
    service: str,
    now: datetime | None = None,
) -> dict[str, str]:
    """`headers` plus `Host`, `X-Amz-Date` and the `Authorization` that signs them all."""
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    stamp, day = moment.strftime("%Y%m%dT%H%M%SZ"), moment.strftime("%Y%m%d")
    parts = urlsplit(url)
    every = {**headers, "Host": parts.netloc, "X-Amz-Date": stamp}
    names = sorted((name.lower(), " ".join(str(value).split())) for name, value in every.items())
    signed_headers = ";".join(name for name, _ in names)
    canonical = "\n".join(
        [
            method,
            quote(parts.path or "/", safe="/-_.~"),
            _canonical_query(parts.query),
            "".join(f"{name}:{value}\n" for name, value in names),
            signed_headers,
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join([ALGORITHM, stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(("AWS4" + secret).encode(), day)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    authorization = f"{ALGORITHM} Credential={key_id}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"
    return {**every, "Authorization": authorization}


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def _canonical_query(query: str) -> str:
    from urllib.parse import parse_qsl

    pairs = sorted((quote(k, safe="-_.~"), quote(v, safe="-_.~")) for k, v in parse_qsl(query, keep_blank_values=True))
    return "&".join(f"{k}={v}" for k, v in pairs)
