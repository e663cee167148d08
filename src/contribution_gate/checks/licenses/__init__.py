"""The `licenses` check: what license every added file, notice, manifest and model card carries,
and whether the project may take it.

Detection is cheapest first (`licenses_detect`): SPDX tags, manifests and model cards are read
without ScanCode; license files and the comments and prose around a license word go to the fast
matcher (`licenses_fast`), and to ScanCode (`licenses_scancode`, the `scancode` extra) only what it
cannot identify; without ScanCode that is a note (`license-needs-scancode`). The judgement (`licenses_judge`) compares each
license with the project's own (`licenses_project`), from data in `config/licenses.toml`.
A strong match the table rejects is an `error`; a conditional combination or a doubtful match is
a `warning`; without a project license nothing is judged and findings are `note`s. The packages a
change adds to a manifest or lockfile are judged by the same table (`dependencies`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ...errors import PolicyValueError
from ...model import NO_SETUP, FileChange, Finding, Setup, Severity, file_finding
from ...places import EXAMPLE_FOLDERS, is_ci_path, is_fixture_path, is_test_path, is_vendored_path
from ..textkinds import kind_of
from . import dependencies
from .project import HOW_TO_DECLARE, Project

if TYPE_CHECKING:  # the detectors and the judgement load on the first file, not with the registry
    from ...content import Content
    from .detection import Detection
    from .judge import Judgement

ID = "licenses"
PASS, WARN, FAIL = "pass", "warn", "fail"
UNJUDGED, UNREADABLE = "unjudged", "unreadable"
MAX_READ = 4 << 20  # a "license file" larger than this is not one


@dataclass(frozen=True)
class Options:
    """`project`: the policy's SPDX expression of the project's license (else found in the tree the
    policy comes from); `allow`/`deny`: ids, globs or expressions that override the table."""

    project: str | None = None
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    read_blob: Callable[[str], bytes | None] | None = field(default=None, compare=False, repr=False)
    outbound: Project = field(default_factory=Project, compare=False, repr=False)
    dependencies: dependencies.Deferred | None = field(default=None, compare=False, repr=False)
    whole_tree: bool = False  # a tree as it stands: its own license files declare, they do not contribute


def options(table: Mapping[str, Any], setup: Setup = NO_SETUP) -> Options:
    """`setup.content`: the reviewed tree's files (whole post-images); `setup.loaded`: the reader and
    name of the tree the policy comes from (the base commit of a range), where the project's
    license is found."""
    project = table.get("project") or None
    read, where = setup.loaded if setup.loaded is not None else (None, "")
    reader = _blob_reader(setup.content) if setup.content is not None else None
    try:
        dependencies.validate(table)
    except ValueError as exc:
        raise PolicyValueError(str(exc)) from None
    deps = dependencies.Deferred(
        table, setup.content.open if setup.content is not None else None, read if where == "working tree" else None
    )
    return Options(
        project,
        tuple(table.get("allow", ())),
        tuple(table.get("deny", ())),
        reader,
        Project(project, read, where),
        deps,
        setup.whole_tree,
    )


def _blob_reader(content: Content) -> Callable[[str], bytes | None]:
    def read(blob: str) -> bytes | None:
        with content.open(blob) as stream:
            if stream is None:
                return None
            data = stream.read(MAX_READ + 1)
            return data if len(data) <= MAX_READ else None

    return read


@dataclass(frozen=True, slots=True)
class Assessed:
    """A detection with its verdict: pass, warn, fail, unjudged (no project license) or unreadable."""

    detection: Detection
    verdict: str
    judgement: Judgement | None
    project: str
    klass: str


def assess(detection: Detection, opts: Options) -> Assessed:
    from .ids import catalog, licenses_of
    from .judge import Rules, class_label, judge

    if detection.expr is None:
        return Assessed(detection, UNREADABLE, None, "", "")
    project, _ = opts.outbound.get()
    found = catalog()
    classes = ", ".join(dict.fromkeys(class_label(found.class_of(lic)) for lic in licenses_of(detection.expr)))
    if project is None:
        return Assessed(detection, UNJUDGED, None, "", classes)
    judgement = judge(detection.expr, project, Rules(opts.allow, opts.deny))
    return Assessed(detection, judgement.outcome, judgement, str(project), classes)


def assessed(change: FileChange, opts: Options) -> Iterator[Assessed]:
    from .detect import detect

    for detection in detect(change, opts.read_blob):
        yield assess(detection, opts)


def scan_file(change: FileChange, opts: Options) -> Iterator[Finding]:
    for item in assessed(change, opts):
        if not _fixture_manifest(change, item.detection):
            yield from _findings(change, item, opts)
    if opts.dependencies is not None and _judges_dependencies(change.path):
        yield from _dependency_findings(change, opts)


def _judges_dependencies(path: str) -> bool:
    """A manifest or lockfile of this project: one among test fixtures names a sample project's
    packages (a packaging tool's tests hold hundreds), which this project never installs."""
    return dependencies.handles(path) and not is_fixture_path(path)


def _fixture_manifest(change: FileChange, d: Detection) -> bool:
    """A license a manifest among test fixtures declares: the sample project's, not this one's."""
    from .detection import MANIFEST

    return d.source == MANIFEST and is_fixture_path(change.path)


def _dependency_findings(change: FileChange, opts: Options) -> Iterator[Finding]:
    """What the packages the change adds to a manifest or lockfile may be (`dependencies`)."""
    from .judge import Rules

    assert opts.dependencies is not None
    project, source = opts.outbound.get()
    found = dependencies.scan(change, opts.dependencies, project, source, Rules(opts.allow, opts.deny))
    if not _in_example_folder(change.path):
        yield from found
        return
    from .dependencies.findings import UNKNOWN_RULE

    for finding in found:  # a sample program's manifest (`example/autopipeline/go.mod`): not what ships
        if finding.rule == UNKNOWN_RULE:
            continue  # its unknowns are the sample's, not this project's
        if finding.severity is Severity.ERROR:
            finding = replace(
                finding,
                severity=Severity.WARNING,
                message=finding.message + ". It is an example's manifest: check what readers who copy it take on",
            )
        yield finding


def _in_example_folder(path: str) -> bool:
    """A manifest inside a folder of examples or samples for readers (`example/`, `samples/`, `demo/`)."""
    return not EXAMPLE_FOLDERS.isdisjoint(folder.lower() for folder in path.split("/")[:-1])


def dependency_items(change: FileChange, opts: Options) -> list[Any]:
    """The packages `change` adds, each judged (`dependencies.findings.Judged`), for the inventory."""
    from .judge import Rules

    if opts.dependencies is None or not _judges_dependencies(change.path):
        return []
    project, _ = opts.outbound.get()
    return dependencies.assess(change, opts.dependencies, project, Rules(opts.allow, opts.deny))


def _findings(change: FileChange, item: Assessed, opts: Options) -> Iterator[Finding]:
    from .detect import NEEDS_SCANCODE
    from .matching import INSTALL

    d = item.detection
    where = _where(d)
    if item.verdict == UNREADABLE and d.source == NEEDS_SCANCODE:
        message = f"{change.path} has a license text that was not identified: {d.problem}"
        fix = f"Install ScanCode (`{INSTALL}`; the GitHub Action has it) and review again, or declare the license with an `SPDX-License-Identifier:` line."
        yield _finding(change, d, "license-needs-scancode", Severity.NOTE, message, fix)
    elif item.verdict == UNREADABLE:
        message = f"{change.path} has the license {d.text!r}, {where}, which cannot be read: {d.problem}"
        fix = "Write a valid SPDX expression, e.g. `MIT`, `Apache-2.0 OR MIT`, `GPL-2.0-or-later WITH Classpath-exception-2.0` (https://spdx.org/licenses/)."
        yield _finding(change, d, "unparsable-license-expression", Severity.WARNING, message, fix)
    elif item.verdict == UNJUDGED:
        message = f"{change.path} adds {_named(d)} ({item.klass}), {where}; the project declares no license, so compatibility is not judged"
        yield _finding(
            change, d, "license-detected", Severity.NOTE, message, HOW_TO_DECLARE[0].upper() + HOW_TO_DECLARE[1:] + "."
        )
        yield _finding(
            change,
            None,
            "project-license-undeclared",
            Severity.NOTE,
            "The project's own license is not declared: the licenses check reports what it finds but judges nothing",
            HOW_TO_DECLARE[0].upper() + HOW_TO_DECLARE[1:] + ".",
        )
    elif item.verdict in (FAIL, WARN):
        yield _judged(change, item, opts)


def _judged(change: FileChange, item: Assessed, opts: Options) -> Finding:
    d, j = item.detection, item.judgement
    assert j is not None
    _, project_source = opts.outbound.get()
    culprit = j.culprit
    message = f"{change.path} adds {_named(d)}, {_where(d)}, to a project licensed {item.project}"
    message += f" ({project_source})" if project_source and project_source != "[licenses] project" else ""
    if culprit is not None and str(culprit) != d.expression and j.reason:
        message += f": {culprit} decides it, {j.reason}"
    elif j.reason:
        message += f": {j.reason}"
    if j.obligations:
        message += f". It comes with obligations: {j.obligations}"
    if not d.strong:
        message += f". This is a partial or doubtful match ({d.detail}): check it by hand"
    rule = "incompatible-license" if j.outcome == FAIL else "license-needs-review"
    severity = Severity.ERROR if j.outcome == FAIL and d.strong else Severity.WARNING
    if severity is Severity.ERROR and is_test_path(change.path):
        severity = Severity.WARNING  # test data quotes licenses far more often than it copies code
        message += ". It is in a test or its fixtures: test data? It still ships with the source"
    elif severity is Severity.ERROR and _in_documentation(change.path, d):
        severity = Severity.WARNING  # a page quoting a license (a sample label, a FAQ) licenses no code
        message += ". It is in a documentation page: the license of an example? Check the page's own terms"
    elif severity is Severity.ERROR and _generated_header(change, d):
        severity = Severity.WARNING  # a notice a generator copied from its input (a C library's headers)
        message += (
            ". The file says it is generated: the notice is its input's (headers a generator read), and "
            "the generator's package and its license file decide; check the generated code's terms"
        )
    elif severity is Severity.ERROR and opts.whole_tree and _declares_the_project(change.path, d):
        severity = Severity.WARNING  # the project's own declaration: the outbound license, not code coming in
        message += (
            ". It is one of the project's own license declarations, and they disagree: a license file that "
            "gives parts of the project other terms, or a manifest left behind by a relicensing?"
        )
    elif severity is Severity.ERROR and _granted_by_the_project(d, opts):
        severity = Severity.WARNING  # a part of a project under two licenses, as its root license files say
        message += (
            ". The repository's own license files grant this license too (a project whose parts are under "
            "different licenses): check that the file belongs to the part under it"
        )
    elif severity is Severity.ERROR and (carved := opts.outbound.carved_out(change.path)) is not None:
        severity = Severity.WARNING  # an open-core project's `ee/`: its root LICENSE gives it other terms
        message += (
            f". The repository's license file gives `{carved}/` directories their own license (an open-core "
            "project's enterprise code): check that this file belongs there"
        )
    elif severity is Severity.ERROR and (part := _licensed_part(change.path, d, opts)) is not None:
        severity = Severity.WARNING  # a directory with its own license file: a part under its own license
        message += (
            f". `{part}/` has a license file of its own that grants this license (a part of the repository "
            "under its own terms): check that the file belongs to that part and is distributed as such"
        )
    elif severity is Severity.ERROR and _third_party_notices(change.path):
        severity = Severity.WARNING  # an attribution: the terms of a bundled component, often a choice
        message += ". It is in a file of third-party notices: check the bundled component's own terms"
    return _finding(change, d, rule, severity, message, _remedy(j, item.project, d))


def _granted_by_the_project(d: Detection, opts: Options) -> bool:
    """Whether every license of the detection is one the repository's root license files grant."""
    from .ids import licenses_of

    keys = {lic.key for lic in licenses_of(d.expr)} if d.expr is not None else set()
    return bool(keys) and keys <= opts.outbound.granted()


def _licensed_part(path: str, d: Detection, opts: Options) -> str | None:
    """The directory above `path` with a license file of its own whose license the detection fits, as
    it would fit a project under that license (`GPL-3.0-or-later` headers under a GPL-3.0 `COPYING`).
    Not a vendored package's (`vendor/`, `third_party/`): its license file is what the project bundles."""
    from .judge import PASS, Rules, judge

    part = None if is_vendored_path(path) else opts.outbound.licensed_part(path)
    if part is None or d.expr is None:
        return None
    return part[0] if judge(d.expr, part[1], Rules(opts.allow, opts.deny)).outcome == PASS else None


# files that attribute bundled third-party components (streamlit's NOTICES: "MIT or GPLv3" for JSZip)
def _third_party_notices(path: str) -> bool:
    """A file of third-party notices, or any file in a folder of them (Pillow's
    `wheels/dependency_licenses/LIBLZMA.txt`: the terms of what its wheels bundle) or of license texts."""
    *folders, name = path.split("/")
    return bool(_THIRD_PARTY_NOTICES.match(name) or any(_NOTICE_FOLDER.match(f) for f in folders))


# a folder of license texts: of what the project bundles or depends on (AWX's `licenses/`, Spark's
# `licenses-binary/`), or REUSE's `LICENSES/`, whose texts license nothing until a file's header names one
_NOTICE_FOLDER = re.compile(
    r"(?i)(?:(?:dependenc(?:y|ies)|third[-_]?party|3rd[-_]party|bundled)[-_])?licen[cs]es(?:[-_]binary)?$"
)
_THIRD_PARTY_NOTICES = re.compile(
    r"(?i)(?:notices|third[-_ ]?party[-_ ]?(?:notices?|licen[cs]es?)|thirdpartynotices|attributions?"
    r"|licen[cs]es?[-_ ]3rd[-_ ]party|3rd[-_ ]party[-_ ]licen[cs]es?)(?:\.(?:txt|md))?$"
)


def _generated_header(change: FileChange, d: Detection) -> bool:
    """A license notice or SPDX line in a file that says it is generated (`// Code generated by
    'ccgo limits/gen.c' ... DO NOT EDIT.`: Go's `modernc.org/libc`, made from system headers that
    carry CDDL and Linux notices), not a license file or a manifest."""
    from .detection import LICENSE_NOTICE, SPDX_LINE

    if d.source not in (LICENSE_NOTICE, SPDX_LINE) or _is_license_file(change.path):
        return False
    head = [line.text[:2000] for line in itertools.islice(change.added, 5) if line.lineno <= 5]
    return any(_GENERATED.search(text) for text in head)


_GENERATED = re.compile(r"(?i)\bcode generated\b|@generated\b|\bdo not edit\b|\bauto-?generated\b")


def _declares_the_project(path: str, d: Detection) -> bool:
    """A license file at the top of the repository, or the license field of a top-level manifest:
    where the project says how it is licensed (the place `project.py` reads it from)."""
    from .detection import MANIFEST

    if "/" in path:
        return False
    return _is_license_file(path) or (
        d.source == MANIFEST and (path in _PROJECT_MANIFESTS or path.endswith(".gemspec"))
    )


_PROJECT_MANIFESTS = frozenset(
    ["pyproject.toml", "package.json", "Cargo.toml", "pom.xml", "composer.json", "setup.cfg", "setup.py"]
)


def _is_license_file(path: str) -> bool:
    from .text import is_license_file

    return is_license_file(path)


def _in_documentation(path: str, d: Detection) -> bool:
    """A page of documentation (`docs/`, `api/docs/v1.18.md`, Pillow's `winbuild/build.rst` naming
    the copyleft license of an optional dependency, a sub-folder's README: a Helm chart's
    `bitnami/kibana/README.md` telling the terms of the image it deploys), or a CI service's
    configuration (a comment on a tool's license), that is not a license file and whose license is
    found in its prose, not declared by a tag or manifest. The root README is left out: it is where
    a project says its terms."""
    from .detection import LICENSE_NOTICE

    root_readme = "/" not in path and path.lower().startswith("readme")
    page = (kind_of(path).is_document and not root_readme) or is_ci_path(path) or _license_tool_settings(path)
    return page and d.source == LICENSE_NOTICE and not _is_license_file(path)


# the settings of license-compliance tools, whose comments explain the project's choices of licenses
# (Jaeger's `.fossa.yml`: "Using GPL-licensed development tools to build Apache 2.0 licensed software ...")
_LICENSE_TOOL_SETTINGS = frozenset(
    (".fossa.yml", ".fossa.yaml", ".licensed.yml", ".licensed.yaml", ".licenserc.yaml", ".licenserc.yml")
    + ("deny.toml", "about.toml", "liccheck.ini", ".liccheck.ini", "reuse.toml", "dependency-review-config.yml")
)


def _license_tool_settings(path: str) -> bool:
    return path.rsplit("/", 1)[-1].lower() in _LICENSE_TOOL_SETTINGS


def _where(d: Detection) -> str:
    """How the license was found, as a phrase: "declared by ...", "found in ..."."""
    from .detection import MANIFEST, MODEL_CARD, SPDX_LINE

    if d.source == SPDX_LINE:
        return "declared by an SPDX-License-Identifier line"
    if d.source == MANIFEST:
        return f"declared by the manifest's {d.detail}" if d.detail else "declared by the manifest"
    if d.source == MODEL_CARD:
        return f"declared by the model card's `{d.detail}`"
    return f"found in a {d.source} ({d.detail})" if d.detail else f"found in a {d.source}"


def _named(d: Detection) -> str:
    """The license as found, with its name where the id does not say it."""
    from .ids import Lic, catalog, licenses_of

    if d.expr is None:
        return repr(d.text)
    labels: dict[Lic, str] = {}
    for lic in licenses_of(d.expr):
        name = catalog().name_of(lic)
        if not lic.known and lic.key != "unknown":
            labels[lic] = f"{lic} (no license id the gate knows)"
        elif name and name.lower() != str(lic).lower():
            labels[lic] = f"the {name} ({lic})" if isinstance(d.expr, Lic) else f"{lic}: {name}"
    if isinstance(d.expr, Lic):
        return labels.get(d.expr, str(d.expr))
    return f"{d.expr} ({'; '.join(labels.values())})" if labels else str(d.expr)


def _remedy(j: Judgement, project: str, d: Detection) -> str:
    allow = "if the maintainers accept it, they can list it in `[licenses] allow` of the base branch's policy"
    if j.outcome == WARN:
        return f"Check the terms before merging: keep these files under their own license and notice; {allow} (or in `deny` to refuse it)."
    from .detection import MODEL_CARD

    if d.source == MODEL_CARD:
        return f"Do not add a model or dataset under this license to a project under {project}: choose one whose license it can take; {allow}."
    return (
        f"Remove it, or replace it with code under a license a project under {project} can take (e.g. MIT, BSD-3-Clause, Apache-2.0), "
        f"or get the copyright holders' permission to use it under {project}; {allow}."
    )


def _finding(change: FileChange, d: Detection | None, rule: str, severity: Severity, message: str, fix: str) -> Finding:
    if d is None:
        return file_finding(ID, rule, severity, change, None, message, fix, "", key_path="")
    return file_finding(ID, rule, severity, change, d.line, message, fix, d.expression, d.excerpt, d.end_line)


__all__ = [
    "FAIL",
    "ID",
    "PASS",
    "WARN",
    "Assessed",
    "Options",
    "assess",
    "assessed",
    "dependency_items",
    "options",
    "scan_file",
]
