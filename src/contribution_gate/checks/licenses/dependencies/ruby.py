"""Ruby: Gemfile.lock. Gems are listed under `specs:` of each source (GEM, GIT, PATH) with their
own needs indented below them; DEPENDENCIES names the Gemfile's direct gems. Gems from PATH are
the project's own code; gems from GIT have no registry version to look up.
"""

from __future__ import annotations

from .model import RUBYGEMS, RUNTIME, Dep, Parsed


def gemfile_lock(text: str, path: str) -> Parsed:
    parsed = Parsed(lockfile=True)
    section = ""
    remote = ""
    in_specs = False
    current: str | None = None
    by_name: dict[str, str] = {}
    needs: dict[str, list[str]] = {}
    direct: list[str] = []
    for index, raw in enumerate(text.splitlines()):
        if not raw.strip():
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        line = raw.strip()
        if indent == 0:
            section, remote, in_specs, current = line, "", False, None
            continue
        if section in ("GEM", "GIT", "PATH"):
            if indent == 2:
                in_specs = line == "specs:"
                if line.startswith("remote:"):
                    remote = line[7:].strip()
            elif indent == 4 and in_specs:
                name, version = _spec(line)
                current = f"{name} {version}"
                by_name.setdefault(name, current)
                needs[current] = []
                if section == "PATH":
                    continue
                note = f"installed from {remote[:80]}" if section == "GIT" else ""
                parsed.deps.append(
                    Dep(
                        RUBYGEMS,
                        name,
                        version or None,
                        index + 1,
                        direct=False,
                        entry=line,
                        source_note=note,
                        node=current,
                    )
                )
            elif indent == 6 and in_specs and current is not None:
                needs[current].append(_spec(line)[0])
        elif section == "DEPENDENCIES" and indent == 2:
            direct.append(line.split(" ", 1)[0].rstrip("!"))
    for node, wanted in needs.items():
        parsed.graph[node] = [by_name[w] for w in wanted if w in by_name]
    for name in direct:
        if name in by_name:
            parsed.roots[by_name[name]] = RUNTIME
    return parsed


def _spec(line: str) -> tuple[str, str]:
    """`nokogiri (1.15.4-x86_64-linux)` -> ("nokogiri", "1.15.4"); `rake` -> ("rake", "")."""
    name, _, rest = line.partition(" ")
    version = rest.strip().strip("()")
    if version and version[0].isdigit():
        version = version.split("-", 1)[0]
    else:
        version = ""
    return name, version
