"""What a file's path says about the credentials in it, worked out once per file.

- **Lock files and secret-scanner baselines** hold hashes next to words like `key` and `secret`
  (`"integrity": "sha512-..."`, detect-secrets' `"hashed_secret": "..."`), and **translations**
  (`config/locales/da.yml`, `locales/fi.json`, `*.po`) hold the words of a user interface under
  keys like `password` and `invite_token`: only token formats are looked for there, never a
  name-based rule.
- **Samples**: tests, fixtures, recorded HTTP cassettes, documentation, examples and templates
  (`.env.example`). A value that only a name says is a secret (the generic rule, a password in a
  URL) is there a test input or a documented example far more often than a leak, and nothing
  offline can tell: it is reported as a `warning`, not an `error`. Tokens of a provider's format
  are judged the same everywhere (see README, "The secrets check").
- **CI configuration** (`.github/workflows/`, `.gitlab-ci.yml`, `.circleci/`): a literal value
  there is for the test services the job starts (a database's password, a KMS test key); a real
  secret comes from the CI's secret store (`${{ secrets.X }}`). Judged like a sample.
- **A repository of examples** (its name says so: `kubernetes/examples`): every file is a sample.
- **Vendored code**: third-party code kept in the repository (`vendor/`, `third_party/`,
  `node_modules/`) is judged like a sample: its name-based values are its upstream's test inputs
  and examples, not this organisation's secrets.
- **Code**: source files by extension, where a name-based rule takes an unquoted value only when
  it looks like a token (an unquoted `token = self.token` is code).
"""

from __future__ import annotations

import locale
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ...places import (
    DOC_FOLDERS,
    EXAMPLE_FOLDERS,
    LOCAL_SETUP_FOLDERS,
    is_api_description,
    is_ci_path,
    is_test_folder,
    is_test_path,
    is_vendored_path,
)


def _words(text: str) -> frozenset[str]:
    """A set of names written as one string, split on white space."""
    return frozenset(text.split())


# hashes and integrity strings sit next to words like "key" here: only token formats are looked for
_LOCK_FILES = _words(
    """
    package-lock.json npm-shrinkwrap.json yarn.lock pnpm-lock.yaml bun.lock deno.lock
    poetry.lock pipfile.lock uv.lock pdm.lock pylock.toml conda-lock.yml cargo.lock go.sum
    go.work.sum composer.lock gemfile.lock podfile.lock packages.lock.json paket.lock mix.lock
    pubspec.lock flake.lock package.resolved gradle.lockfile .terraform.lock.hcl renv.lock
    """
)
# what secret scanners write down about the secrets they accepted: hashes, fingerprints, line numbers
_SCANNER_FILES = frozenset(
    [
        ".secrets.baseline",
        ".gitleaksignore",
        ".gitleaks-baseline.json",
        "gitleaks-baseline.json",
        ".trufflehogignore",
        ".contribution-gate-baseline.json",
        ".talismanrc",
        ".credsweeper-baseline.json",
    ]
)
# a user interface's words in other languages: folders of translations, and translation formats
_LOCALE_DIRS = _words(
    "locale locales i18n l10n lang langs languages translations translation intl localization localizations localisation"
)
_LOCALE_NAME = re.compile(r"[a-z]{2,3}(?:[-_][a-z0-9]{2,4}){0,2}")  # da, pt-br, zh_hans_cn (lower-cased)
_LOCALE_EXTENSIONS = _words("po pot xliff xlf strings stringsdict arb ftl")
_CODE_EXTENSIONS = _words(
    """
    py pyi pyx js jsx mjs cjs ts tsx mts cts java kt kts scala groovy go rb php cs c h cc cpp
    hpp rs swift m mm dart lua pl pm r jl ex exs erl hs clj vue svelte
    """
)
_SAMPLE_DIRS = (
    _words(
        """
        test tests __tests__ testing testdata test_data test-data tests_data spec specs fixtures
        fixture __fixtures__ __mocks__ mocks mock cassettes cassette vcr_cassettes recordings e2e
        unit_tests integration_tests unittests testutil testutils conformance tap __snapshots__ enos
        """
    )
    | LOCAL_SETUP_FOLDERS
    | DOC_FOLDERS
    | EXAMPLE_FOLDERS
)
# documents, HTTP archives and manual pages (`rclone.1`: troff, sections 1 to 9; `.ronn`, their Markdown)
_DOC_EXTENSIONS = frozenset(["md", "markdown", "mdx", "rst", "adoc", "asciidoc", "har", "man", "ronn", *"123456789"])
# a template's defaults (`.env.example`, a generator's `config.yml.ejs`, an Ansible role's `.j2`)
_TEMPLATE_SUFFIXES = (
    ".example", ".sample", ".template", ".tmpl", ".dist", ".tpl", ".ejs", ".j2", ".jinja", ".jinja2", ".hbs",
    ".mustache", ".njk", ".liquid", ".gotmpl",
)  # fmt: skip
_TEMPLATE_STEMS = ("example", "sample", "template")
_TEST_SUFFIXES = ("_test.go", "_test.py", "_tests.py", "_test.rb", "_spec.rb", "_test.exs", "_test.dart", "_test.rs")
# by case: `ClientTest.java`, not `latest.java`
_CASED_TEST_SUFFIXES = tuple(
    f"{word}.{ext}"
    for word in ("Test", "Tests", "Spec", "IT")
    for ext in ("java", "kt", "cs", "scala", "php", "swift", "groovy")
)
_TEST_INFIXES = (".test.", ".spec.", ".tests.", "_test.", ".e2e.")


@dataclass(frozen=True, slots=True)
class Context:
    path: str
    generic: bool  # name-based rules run (not in lock files and scanner baselines)
    code: bool  # source code: an unquoted value must look like a token
    sample: bool  # tests, fixtures, docs, examples, vendored code: name-based findings are warnings
    vendored: bool = False  # third-party code kept in the repository (`places.is_vendored_path`)
    ci: bool = False  # a CI service's configuration


def of(path: str, examples: bool = False) -> Context:
    """The context of the file at `path` (a repository-relative path, `/`-separated); `examples`:
    the repository is one of examples (`places.is_examples_repository`), every file a sample."""
    parts = path.lower().split("/")
    name = parts[-1]
    extension = name.rpartition(".")[2] if "." in name else ""
    code = extension in _CODE_EXTENSIONS
    in_locale_dir = not _LOCALE_DIRS.isdisjoint(parts[:-1])
    # a locale dir's documents, or its code named for a language (`languages/da.ts`, `i18n/pt-br.js`)
    translation = (
        extension in _LOCALE_EXTENSIONS
        or (in_locale_dir and (not code or _LOCALE_NAME.fullmatch(name.rpartition(".")[0]) is not None))
        or _language_bundle(name, extension)
    )
    # any `*.lock` is a tool's generated record (yarn's, Bundler's, lingo.dev's `i18n.lock` of checksums)
    generic = name not in _LOCK_FILES and extension != "lock" and name not in _SCANNER_FILES and not translation
    vendored = is_vendored_path(path)
    ci = is_ci_path(path)
    sample = (
        examples
        or vendored
        or ci
        or _is_sample(parts, name, extension)
        or path.endswith(_CASED_TEST_SUFFIXES)
        or is_test_path(path)  # what every check counts as tests (a Helm chart's `ci/*values.yaml`)
    )
    return Context(path, generic, code, sample, vendored, ci)


def _language_bundle(name: str, extension: str) -> bool:
    """A resource bundle of one language, named for it: Java's `login_da.properties` and
    `Messages_pt_BR.properties`, .NET's `Strings.de.resx` (Jenkins keeps `Password=Adgangskode` in
    hundreds of them). The suffix must be a language Python's locale table knows (`locale_alias`):
    a profile (`application_dev.properties`) is none."""
    stem = name.rpartition(".")[0]
    if extension == "properties":  # `base_lang` or `base_lang_COUNTRY`
        pieces = stem.split("_")
    elif extension == "resx" and "." in stem:  # `Base.lang` or `Base.lang-COUNTRY`
        base, _, language = stem.rpartition(".")
        pieces = [base, *language.replace("-", "_").split("_")]
    else:
        return False
    return any(
        len(pieces) > size and 2 <= len(pieces[-size]) <= 3 and "_".join(pieces[-size:]) in locale.locale_alias
        for size in (1, 2)
    )


_FOLDER_WORD = re.compile(r"[-_.]+")
# words of a folder's name that make what it holds made up (`generate-sample/`, `fake-apisix/`)
_SAMPLE_WORDS = frozenset(
    ["sample", "samples", "example", "examples", "demo", "demos", "fake", "fakes", "mock", "mocks", "dummy"]
)


@lru_cache(maxsize=1 << 13)  # folder names repeat from path to path
def _sample_folder(name: str) -> bool:
    """A folder named for made-up things: a word of its name (`generate-sample`, `fake-apisix`), or
    a stand-in run together with what it stands in for (urllib3's `dummyserver`, `mockserver`)."""
    return not _SAMPLE_WORDS.isdisjoint(_FOLDER_WORD.split(name)) or (
        name.startswith(_STAND_IN_PREFIXES) and len(name) > 5 and name.isalpha()
    )


_STAND_IN_PREFIXES = ("dummy", "fake", "mock")


def _placeholder_name(name: str) -> bool:
    """A file named as a stand-in: `ssl_PLACE_HOLDER.key`, `dummy.pem`, `fake-credentials.json`."""
    words = _FOLDER_WORD.split(name.replace("place_holder", "placeholder"))
    return not _PLACEHOLDER_WORDS.isdisjoint(words)


_PLACEHOLDER_WORDS = frozenset(["placeholder", "dummy", "fake", "example", "sample", "mock"])


def within(outer: Context, inner: Context) -> Context:
    """The context of a member of an archive: a sample or vendored archive (a test's fixture
    package, a vendored wheel) makes its members samples too."""
    if inner.sample or not outer.sample:
        return inner
    return replace(inner, sample=True, vendored=outer.vendored)


def _is_sample(parts: list[str], name: str, extension: str) -> bool:
    if any(part in _SAMPLE_DIRS or is_test_folder(part) or _sample_folder(part) for part in parts[:-1]):
        return True
    if extension in _DOC_EXTENSIONS or name.startswith(("readme", "manual.")) or is_api_description(name):
        return True
    if name.endswith(_TEMPLATE_SUFFIXES) or name.split(".")[0] in _TEMPLATE_STEMS or _placeholder_name(name):
        return True  # .env.example, config.yaml.template, example.env, ssl_PLACE_HOLDER.key
    if (
        name.startswith(("test_", "tests_", "test-", "tests-"))
        or name == "conftest.py"
        or name.endswith(_TEST_SUFFIXES)
    ):
        return True
    return any(infix in name for infix in _TEST_INFIXES)
