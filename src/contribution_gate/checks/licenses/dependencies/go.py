"""Go: go.mod's `require` directives (a line or a block); `// indirect` marks a module the build
needs only through another, and `replace` swaps a module for another version, another module or a
local directory (the project's own code, not judged).
"""

from __future__ import annotations

from .model import GO, Dep, Parsed


def go_mod(text: str, path: str) -> Parsed:
    parsed = Parsed()
    block = ""
    requires: list[tuple[int, str, str, bool]] = []
    replaced: dict[
        str, tuple[str, str | None]
    ] = {}  # module (or module@version) -> (new module, version or None: a path)
    for index, raw in enumerate(text.splitlines()):
        code, _, comment = raw.partition("//")
        words = code.split()
        if not words:
            continue
        if block:
            if words[0] == ")":
                block = ""
                continue
            _directive(block, words, index + 1, "indirect" in comment, requires, replaced)
            continue
        if words[0] in ("require", "replace", "exclude", "retract", "tool", "ignore", "godebug") and words[1:2] == [
            "("
        ]:
            block = words[0]
            continue
        if words[0] in ("require", "replace"):
            _directive(words[0], words[1:], index + 1, "indirect" in comment, requires, replaced)
    for line, module, version, indirect in requires:
        target, new_version = replaced.get(f"{module}@{version}") or replaced.get(module) or (module, version)
        if new_version is None:
            continue  # replaced by a local directory
        parsed.deps.append(Dep(GO, target, new_version, line, direct=not indirect, entry=f"{module} {version}"))
    return parsed


def _directive(
    kind: str,
    words: list[str],
    line: int,
    indirect: bool,
    requires: list[tuple[int, str, str, bool]],
    replaced: dict[str, tuple[str, str | None]],
) -> None:
    words = [w.strip('"`') for w in words]
    if kind == "require" and len(words) >= 2:
        requires.append((line, words[0], words[1], indirect))
    elif kind == "replace" and "=>" in words:
        arrow = words.index("=>")
        old, new = words[:arrow], words[arrow + 1 :]
        if not old or not new:
            return
        key = f"{old[0]}@{old[1]}" if len(old) > 1 else old[0]
        local = new[0].startswith((".", "/")) or len(new) == 1
        replaced[key] = (new[0], None if local else new[1])
