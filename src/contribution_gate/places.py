"""Where a file sits, and what its name says it is: tests and their fixtures, documentation and
example code, a local setup, vendored third-party code, a CI service's configuration, an API
description. The checks judge what such files hold as samples (`checks.secrets.context`,
`checks.internal_urls.context`, the licenses check's manifests); `checks.textkinds` says what a
file's text is."""

from __future__ import annotations

import re
from functools import lru_cache

# folders that hold a project's documentation pages
DOC_FOLDERS = frozenset(["docs", "doc", "documentation", "docs_src"])
# words of a repository's name that make it a repository of examples (`kubernetes/examples`)
_EXAMPLE_NAMES = frozenset(["examples", "example", "samples", "sample", "demo", "demos", "tutorial"]) | frozenset(
    ["tutorials", "cookbook", "cookbooks", "quickstart", "quickstarts"]
)
# folders of example code for readers to copy (`guide` names too many services to count in a name)
EXAMPLE_FOLDERS = _EXAMPLE_NAMES | frozenset(["guides", "guide", "howto"])


_TEST_DIRS = frozenset(
    ["test", "tests", "testing", "__tests__", "spec", "specs", "fixtures", "testdata", "test-data", "test_data"]
    + ["__snapshots__", ".snapshots"]  # what snapshot tests recorded: Jest's and Vitest's, Go's cupaloy (Hydra's)
)
# folders of a local or throwaway setup for trying a project out (oauth2-proxy's `local-environment/`,
# Aspire's `playground/`): what they configure runs on a developer's machine, its values made for it
LOCAL_SETUP_FOLDERS = frozenset(
    ["playground", "playgrounds", "sandbox", "local-environment", "local-dev", "localdev", "dev-environment", "devenv"]
)
_TEST_NAME = re.compile(
    r"(?:^test_|^conftest\.py$|_tests?\.\w+$|\.(?:test|spec)\.\w+$|Tests?\.(?:java|kt|cs|swift|scala)$"
    # a file named for tests whatever its kind: a C project's `test.c`, Django's `tests.py`, a
    # Prometheus mixin's `test.yaml` (promtool's rule tests); the settings a test run loads
    # (`.env.test`, `.env.testing`)
    r"|^tests?\.[A-Za-z0-9]{1,5}$|^\.env\.test(?:ing)?$"
    r"|\.t$)"  # Perl's tests (Test::More, Test::Nginx): `t/basic.t`
)
_CHART_TEST_VALUES = re.compile(r"values\.ya?ml$", re.IGNORECASE)
_TEST_FOLDER = re.compile(
    r"(?:^|[._-])(?:unit|integration|functional|acceptance|e2e)?tests?$|^e2e$|^__mocks__$|^integration(?:-cli)?$"
)


def is_examples_repository(name: str) -> bool:
    """A repository of examples for readers to copy, as a word of its name says (`kubernetes/examples`,
    `aws-samples`, `spring-tutorials`, `payments-demo`): every file of it is example code."""
    return not _EXAMPLE_NAMES.isdisjoint(re.split(r"[^a-z0-9]+", name.lower()))


def is_test_path(path: str) -> bool:
    """Tests and their fixtures: `tests/...`, `test_x.py`, `x_test.go`, `x.spec.ts`, `XTest.java`,
    and a Helm chart's test values (`charts/app/ci/tls-values.yaml`, chart-testing's inputs; any
    YAML file of a `ci/` folder in a chart under `charts/`)."""
    *folders, name = path.split("/")
    if any(f.lower() in _TEST_DIRS for f in folders) or _TEST_NAME.search(name) is not None:
        return True
    if not folders or folders[-1] != "ci" or not name.lower().endswith((".yaml", ".yml")):
        return False
    return _CHART_TEST_VALUES.search(name) is not None or (len(folders) >= 3 and folders[-3] == "charts")


@lru_cache(maxsize=1 << 13)  # folder names repeat from path to path (an archive's thousands of members)
def is_test_folder(name: str) -> bool:
    """A folder of tests beyond `is_test_path`'s: `integration_tests/`, `Foo.UnitTests/`, `e2e/`,
    `__mocks__/`, a Go project's `integration/` suite, a project's own (`caddytest/`), but not an
    English word that ends so (`latest/`, `contest/`)."""
    low = name.lower()
    if _TEST_FOLDER.search(low) is not None or low == "t":  # `t/`: Perl's tests
        return True
    if not _TEST_WORDS.isdisjoint(_FOLDER_WORD.split(low)):
        return True  # `test-integration/`, `__test-support__/`, `fixtures_v2/`
    if _TEST_KIT.fullmatch(low) is not None:
        return True  # `testserver/`, `testutil/`: what tests run on or with
    stem = low[:-1] if low.endswith("tests") else low
    named = stem.endswith("test") and _NAMED_PREFIX.fullmatch(stem[:-4]) is not None
    return named and low.rstrip("s") not in _TEST_LOOKALIKES


_FOLDER_WORD = re.compile(r"[-_.]+")
# ... and `stubs/`, `suites/` (a project's integration suites: Authelia's `internal/suites/`), `mock/`
_TEST_WORDS = frozenset(
    ["test", "tests", "testing", "fixture", "fixtures", "testdata", "spec", "specs", "e2e", "stub", "stubs", "suites"]
    + ["mock", "mocks", "fake", "fakes"]  # the stand-ins tests are given (Nomad's `nomad/mock/`)
    + ["conformance", "certification"]  # a conformance suite and its runs (Hydra's OpenID certification logs)
)
# `caddytest`, `apitests`, rclone's `fstest`: a name and "test(s)" run together
_NAMED_PREFIX = re.compile(r"[a-z][a-z0-9]{1,30}")  # before "test(s)"
# "test" and what tests run on or with, run together: rclone's `fstest/testserver/`, `testutil/`
_TEST_KIT = re.compile(
    r"test(?:servers?|utils?|helpers?|envs?|apps?|kits?|suites?|bed|libs?|harness|cases|files|support|infra|tools|common"
    r"|fixtures?)"  # Gradle's `src/testFixtures/` source set
)
_TEST_LOOKALIKES = frozenset(
    [
        *("latest", "greatest", "fastest", "shortest", "smartest", "softest", "hottest", "fattest", "wettest"),
        *("fittest", "sweetest", "strictest", "quietest", "tightest", "brightest", "lightest", "slightest"),
        *("politest", "contest", "protest", "attest", "detest"),
    ]
)


_FIXTURE_DIRS = frozenset(
    ["fixtures", "fixture", "__fixtures__", "testdata", "test-data", "test_data", "test-fixtures", "__snapshots__"]
)


def is_fixture_path(path: str) -> bool:
    """Inside a folder of test fixtures (`tests/fixtures/demo/pyproject.toml`, `testdata/`): a file
    there is an input of the tests, so a manifest there describes a sample project, not this one."""
    return any(f.lower() in _FIXTURE_DIRS for f in path.split("/")[:-1])


# folders of third-party code kept in the repository: Go modules, pip's and others' vendored
# packages, installed JavaScript packages, Yarn's own release and plugins, CocoaPods
_VENDOR_DIRS = frozenset(
    ["vendor", "vendors", "vendored", "_vendor", "third_party", "third-party", "thirdparty", "3rdparty"]
    + ["node_modules", "bower_components", "jspm_packages", ".yarn", "pods", "carthage"]
)


# a CI service's configuration: what it sets literally is for the test services its jobs start
_CI_FILES = frozenset(
    [".gitlab-ci.yml", ".travis.yml", "azure-pipelines.yml", "bitbucket-pipelines.yml", ".drone.yml"]
    + ["cloudbuild.yaml", "cloudbuild.yml", "jenkinsfile", "appveyor.yml", ".appveyor.yml", ".cirrus.yml"]
)
# `.github/` whole: its workflows, actions and the scripts they run (`.github/scripts/start-server.sh`);
# a bare `ci/` is not among them: it holds a project's deploy and release scripts as often
_CI_DIRS = (
    *(".github/", ".circleci/", ".buildkite/", ".woodpecker/", ".gitlab/ci/", ".gitea/", ".forgejo/"),
    *(".ci/", ".semaphore/", ".tekton/", ".teamcity/", ".azure-pipelines/", ".azuredevops/"),
)
# a file a CI job runs by its name: `compose.ci.yaml`, `docker-compose-ci.yml`, `values.ci.yaml`
_CI_NAME = re.compile(r"[._-]ci\.ya?ml$")


def is_ci_path(path: str) -> bool:
    """A CI service's configuration or the scripts its jobs run: the credentials it sets literally
    are its test services', the addresses its runners' own networks."""
    name = path.rsplit("/", 1)[-1].lower()
    return name in _CI_FILES or path.lower().startswith(_CI_DIRS) or _CI_NAME.search(name) is not None


def is_vendored_path(path: str) -> bool:
    """Third-party code the project keeps a copy of (`vendor/`, `third_party/`, `node_modules/`):
    its sample values and test keys are its upstream's, not this organisation's."""
    return any(f.lower() in _VENDOR_DIRS for f in path.split("/")[:-1])


# API descriptions: `swagger.yaml`, `openapi.json`, `api/openapi-v2.yml`, `petstore.openapi.yaml`
_API_SPEC = re.compile(r"(?:^|[._-])(?:swagger|openapi)(?:[._-][\w.-]*)?\.(?:ya?ml|json)$|^api-docs?\.json$")


def is_api_description(path: str) -> bool:
    """An OpenAPI or Swagger description: documentation whose `example:` values are samples."""
    return _API_SPEC.search(path.rsplit("/", 1)[-1].lower()) is not None
