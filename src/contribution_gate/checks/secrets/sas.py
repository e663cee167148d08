"""An Azure shared access signature's own expiry: the `se` field of the query it signs.

Azure Storage refuses a SAS after its signed expiry, and the signature does not reveal the account
key it was made with; so a SAS whose `se` has passed grants nothing any more (an HTTP recording of
a test run keeps hundreds of them: promptflow's `recordings/azure/`). It is the format's offline
validity check, as a JWT's `exp` is: a warning, not an error. A SAS without `se` (one bound to a
stored access policy) or with one still ahead stays an error.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone
from urllib.parse import unquote

# `se=` after the query's `?`/`&`, a JSON-escaped `&` (`\u0026`) or an HTML one (`&amp;`)
_EXPIRY = re.compile(r"(?:^|[?&;]|\\u0026)se=(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?Z?)?)", re.I)
_ENDS = " \t\"'<>`|"


def expired_on(line: str, start: int, now: float | None = None) -> str | None:
    """The day (YYYY-MM-DD) the SAS whose signature starts at `start` of `line` expired, when its
    `se` lies in the past; None when it has none, or one still ahead."""
    low = max(line.rfind(end, 0, start) for end in _ENDS) + 1
    high = min((at for at in (line.find(end, start) for end in _ENDS) if at >= 0), default=len(line))
    query = unquote(unquote(line[low:high]))
    found = _EXPIRY.search(query)
    if found is None:
        return None
    try:
        expiry = datetime.fromisoformat(found.group(1).upper().rstrip("Z"))
    except ValueError:
        return None
    moment = expiry.replace(tzinfo=timezone.utc).timestamp()
    return found.group(1)[:10] if moment < (time.time() if now is None else now) else None
