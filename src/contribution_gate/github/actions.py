"""Publishing a review to GitHub Actions: the job summary and the step's outputs.

The only side effects the Action needs beyond the printed report: a Markdown review appended to
$GITHUB_STEP_SUMMARY (kept under GitHub's 1 MiB limit) and `verdict`/`findings` in $GITHUB_OUTPUT.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..errors import GateError
from ..policy import Outcome
from ..review import Review

SUMMARY_LIMIT = 1024 * 1024 - 1024


def publish(review: Review, environ: Mapping[str, str]) -> None:
    """Write the summary and outputs where the runner says; a variable that is unset is skipped."""
    summary_path, output_path = environ.get("GITHUB_STEP_SUMMARY"), environ.get("GITHUB_OUTPUT")
    if summary_path:
        from ..reporters import REPORTERS  # redacted like every report

        text = REPORTERS["markdown"](review)
        if len(text.encode("utf-8")) > SUMMARY_LIMIT:
            text = (
                text.encode("utf-8")[:SUMMARY_LIMIT].decode("utf-8", "ignore")
                + "\n\n*(truncated to fit the job summary)*\n"
            )
        _append(Path(summary_path), text)
    if output_path:
        counted = sum(1 for j in review.judged if j.outcome is not Outcome.SUPPRESSED)
        _append(Path(output_path), f"verdict={review.verdict}\nfindings={counted}\n")


def _append(path: Path, text: str) -> None:
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise GateError(f"cannot write {path} ({exc.strerror}): is this a GitHub Actions runner?") from None
