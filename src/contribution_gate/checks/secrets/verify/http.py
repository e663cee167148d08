"""One request to a provider, bounded and unable to leak the credential it carries.

- A per-request `timeout` (socket connect and every read) and a bounded body (`MAX_BODY` bytes:
  a status and a small JSON answer are all a verifier reads).
- Redirects are never followed: a 3xx is an answer like any other (`unknown`), so an
  `Authorization` header never travels to a host the redirect names.
- Errors become one line naming the request by method and path and the reason, with the
  credential (and anything shaped like one) masked: a reason can quote what was sent.
"""

from __future__ import annotations

from ....redaction import scrub
from .answers import Request, Response

MAX_BODY = 64 << 10


class Failed(Exception):
    """The request got no HTTP answer (refused, timed out, TLS, DNS): its message is safe to show."""


def send(request: Request, timeout: float, secrets: tuple[str, ...] = ()) -> Response:
    """`request` sent once, its answer (any status) returned; no answer raises `Failed`."""
    import urllib.error  # only here: http.client and ssl cost a review that verifies nothing
    import urllib.request

    opener = urllib.request.build_opener(_no_redirects())  # type: ignore[arg-type]
    prepared = urllib.request.Request(
        request.url, data=request.body, headers=dict(request.headers), method=request.method
    )
    try:
        with opener.open(prepared, timeout=timeout) as answer:
            return Response(answer.status, _headers(answer.headers), answer.read(MAX_BODY))
    except urllib.error.HTTPError as exc:
        try:
            body = exc.read(MAX_BODY) if exc.fp is not None else b""
        except OSError:
            body = b""
        return Response(exc.code, _headers(exc.headers), body)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise Failed(f"{request.shown}: {safe(str(reason) or type(exc).__name__, secrets)}") from None


def safe(text: str, secrets: tuple[str, ...] = ()) -> str:
    """`text` with the given values and anything token-shaped masked to four characters."""
    for value in secrets:
        if value:
            text = text.replace(value, value[:4] + "****")
    return scrub(text, limit=200, opaque_tokens=False)


def _headers(headers: object) -> dict[str, str]:
    items = getattr(headers, "items", None)
    return {str(k).lower(): str(v) for k, v in items()} if items is not None else {}


def _no_redirects() -> object:
    """A urllib redirect handler that follows nothing: the 3xx itself becomes the answer."""
    import urllib.request

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    return NoRedirects()
