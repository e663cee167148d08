"""License texts, notices, manifests and model cards for the licenses check's tests and benchmark.

Full license texts come at run time from ScanCode's own bundled license data (the installed
`licensedcode` package ships them); notices and headers are assembled here from lines, so no
file of this repository carries a license header of its own: the gate reviews itself.

`CASES` is the labelled table: each case is a file a contribution adds, and what a reviewer would
say it carries (`expected`, an expression as the check prints it, or None) with the verdict for a
project under Apache-2.0.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from dataclasses import dataclass

SPDX = "SPDX-License-" + "Identifier"  # assembled: a literal tag line would declare this file's license


def license_text(key: str) -> str:
    """The text of a ScanCode license key, from the installed ScanCode's data (front matter cut)."""
    spec = importlib.util.find_spec("licensedcode")
    assert spec is not None and spec.submodule_search_locations, "ScanCode (licensedcode) is not installed"
    path = os.path.join(next(iter(spec.submodule_search_locations)), "data", "licenses", f"{key}.LICENSE")
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if text.startswith("---"):
        text = text.split("\n---\n", 1)[1]
    return text.lstrip("\n")


def commented(lines: Sequence[str], opener: str = "#", close: str = "") -> str:
    """Lines as a comment block: `#`/`//` line comments, or `/*` ... ` */` when `close` is given."""
    if close:
        return "\n".join([opener, *(f" * {line}".rstrip() for line in lines), f" {close}"]) + "\n"
    return "\n".join(f"{opener} {line}".rstrip() for line in lines) + "\n"


GPL3_PLUS = [
    "This program is free software: you can redistribute it and/or modify",
    "it under the terms of the GNU General Public License as published by",
    "the Free Software Foundation, either version 3 of the License, or",
    "(at your option) any later version.",
    "",
    "This program is distributed in the hope that it will be useful,",
    "but WITHOUT ANY WARRANTY; without even the implied warranty of",
    "MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the",
    "GNU General Public License for more details.",
    "",
    "You should have received a copy of the GNU General Public License",
    "along with this program.  If not, see <https://www.gnu.org/licenses/>.",
]
GPL2_ONLY = [
    "This program is free software; you can redistribute it and/or modify",
    "it under the terms of the GNU General Public License version 2 as",
    "published by the Free Software Foundation.",
]
GPL2_PLUS = [
    "This program is free software; you can redistribute it and/or modify",
    "it under the terms of the GNU General Public License as published by",
    "the Free Software Foundation; either version 2 of the License, or",
    "(at your option) any later version.",
]
LGPL21_PLUS = [
    "This library is free software; you can redistribute it and/or",
    "modify it under the terms of the GNU Lesser General Public",
    "License as published by the Free Software Foundation; either",
    "version 2.1 of the License, or (at your option) any later version.",
]
AGPL3_PLUS = [
    "This program is free software: you can redistribute it and/or modify",
    "it under the terms of the GNU Affero General Public License as published",
    "by the Free Software Foundation, either version 3 of the License, or",
    "(at your option) any later version.",
]
MPL2 = [
    "This Source Code Form is subject to the terms of the Mozilla Public",
    "License, v. 2.0. If a copy of the MPL was not distributed with this",
    "file, You can obtain one at http://mozilla.org/MPL/2.0/.",
]
APACHE2 = [
    'Licensed under the Apache License, Version 2.0 (the "License");',
    "you may not use this file except in compliance with the License.",
    "You may obtain a copy of the License at",
    "",
    "    http://www.apache.org/licenses/LICENSE-2.0",
    "",
    "Unless required by applicable law or agreed to in writing, software",
    'distributed under the License is distributed on an "AS IS" BASIS,',
    "WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.",
    "See the License for the specific language governing permissions and",
    "limitations under the License.",
]
BSD_STYLE = ["Use of this source code is governed by a BSD-style", "license that can be found in the LICENSE file."]
CC_BY_NC = ["This work is licensed under a Creative Commons Attribution-NonCommercial 4.0 International License."]
# An excerpt of the Llama 3.1 Community License's opening, written for the test.
LLAMA_31_EXCERPT = [
    "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT",
    "Llama 3.1 Version Release Date: July 23, 2024",
    "",
    "\u201cAgreement\u201d means the terms and conditions for use, reproduction, distribution and modification of the",
    "Llama Materials set forth herein.",
    "",
    "\u201cLlama 3.1\u201d means the foundational large language models and software and algorithms, including",
    "machine-learning model code, trained model weights, inference-enabling code, training-enabling code,",
    "fine-tuning enabling code and other elements of the foregoing distributed by Meta at",
    "https://llama.meta.com/llama-downloads.",
    "",
    "2. Additional Commercial Terms. If, on the Llama 3.1 version release date, the monthly active users",
    "of the products or services made available by or for Licensee, or Licensee\u2019s affiliates, is greater",
    "than 700 million monthly active users in the preceding calendar month, you must request a license",
    "from Meta, which Meta may grant to you in its sole discretion.",
]


def card(
    license_: str | list[str] | None,
    *,
    name: str = "",
    link: str = "",
    body: str = "# A model\n\nFine-tuned for support chats.\n",
) -> str:
    """A model card: YAML front matter with `license:` (and license_name/link), then a body."""
    lines = ["---"]
    if isinstance(license_, list):
        lines.append("license:")
        lines += [f"- {item}" for item in license_]
    elif license_ is not None:
        lines.append(f"license: {license_}")
    if name:
        lines.append(f"license_name: {name}")
    if link:
        lines.append(f"license_link: {link}")
    lines += ["language:", "- en", "pipeline_tag: text-generation", "---", ""]
    return "\n".join(lines) + body


@dataclass(frozen=True)
class Case:
    """A file a contribution adds; `expected`: the license it carries (None: none); `verdict`: the
    verdict for an Apache-2.0 project; `strong`: False when the check may only warn."""

    id: str
    path: str
    text: str
    expected: str | None
    verdict: str | None = None
    strong: bool = True


def _py(lines: Sequence[str]) -> str:
    return (
        "#!/usr/bin/env python3\n# Copyright (C) 2024 Jane Hacker <jane@example.org>\n#\n"
        + commented(lines)
        + "\nimport os\n"
    )


def _c(lines: Sequence[str]) -> str:
    return commented(["Copyright (c) 2023 The Widget Authors", "", *lines], "/*", "*/") + "\n#include <stdio.h>\n"


def cases() -> list[Case]:
    """The labelled table (built at run time: the texts come from the installed ScanCode)."""
    C = Case
    texts = [
        C("text-gpl-2.0", "LICENSE", license_text("gpl-2.0"), "GPL-2.0-only", "fail"),
        C("text-gpl-3.0", "COPYING", license_text("gpl-3.0"), "GPL-3.0-only", "fail"),
        C("text-agpl-3.0", "vendor/srv/LICENSE", license_text("agpl-3.0"), "AGPL-3.0-only", "fail"),
        C("text-lgpl-2.1", "third_party/lib/COPYING.LIB", license_text("lgpl-2.1"), "LGPL-2.1-only", "warn"),
        C("text-mpl-2.0", "third_party/moz/LICENSE.txt", license_text("mpl-2.0"), "MPL-2.0", "warn"),
        C(
            "text-mit",
            "vendor/left-pad/LICENSE",
            "MIT License\n\nCopyright (c) 2016 Jane Roe\n\n" + license_text("mit"),
            "MIT",
            "pass",
        ),
        C("text-bsd-3", "vendor/bsd/LICENSE.md", license_text("bsd-new"), "BSD-3-Clause", "pass"),
        C("text-apache-2.0", "vendor/asf/LICENSE-APACHE", license_text("apache-2.0"), "Apache-2.0", "pass"),
        C("text-cc-by-nc-4.0", "data/images/LICENSE", license_text("cc-by-nc-4.0"), "CC-BY-NC-4.0", "fail"),
        C(
            "text-llama-3.1",
            "models/llama/LICENSE",
            license_text("llama-3.1-license-2024"),
            "LicenseRef-scancode-llama-3.1-license-2024",
            "fail",
        ),
        C(
            "text-openrail-m",
            "models/sd/LICENSE",
            license_text("stable-diffusion-2022-08-22"),
            "LicenseRef-scancode-stable-diffusion-2022-08-22",
            "fail",
        ),
        C("text-sspl", "vendor/db/LICENSE", license_text("mongodb-sspl-1.0"), "SSPL-1.0", "fail"),
        C("text-busl", "vendor/busl/LICENSE", license_text("bsl-1.1"), "BUSL-1.1", "fail"),
        C("text-unlicense", "vendor/pd/UNLICENSE", license_text("unlicense"), "Unlicense", "pass"),
        C("text-isc", "vendor/isc/LICENSE", license_text("isc"), "ISC", "pass"),
        C("text-epl-2.0", "vendor/eclipse/LICENSE", license_text("epl-2.0"), "EPL-2.0", "warn"),
        C(
            "text-polyform-nc",
            "vendor/pf/LICENSE.md",
            license_text("polyform-noncommercial-1.0.0"),
            "PolyForm-Noncommercial-1.0.0",
            "fail",
        ),
        C(
            "excerpt-llama-3.1",
            "models/llama3/LICENSE",
            "\n".join(LLAMA_31_EXCERPT) + "\n",
            "LicenseRef-scancode-llama-3.1-license-2024",
            "fail",
        ),
    ]
    notices = [
        C("header-gpl-3.0+-py", "src/tool.py", _py(GPL3_PLUS), "GPL-3.0-or-later", "fail"),
        C("header-gpl-2.0-c", "src/driver.c", _c(GPL2_ONLY), "GPL-2.0-only", "fail"),
        C("header-gpl-2.0+-c", "src/util.c", _c(GPL2_PLUS), "GPL-2.0-or-later", "fail"),
        C("header-lgpl-2.1+-c", "lib/parse.h", _c(LGPL21_PLUS), "LGPL-2.1-or-later", "warn"),
        C(
            "header-agpl-3.0+-js",
            "web/server.js",
            commented(AGPL3_PLUS, "//") + "const x = 1;\n",
            "AGPL-3.0-or-later",
            "fail",
        ),
        C("header-mpl-2.0-js", "web/widget.js", commented(MPL2, "//") + "export default 1;\n", "MPL-2.0", "warn"),
        C("header-apache-java", "src/Main.java", _c(APACHE2), "Apache-2.0", "pass"),
        C(
            "header-bsd-style-go",
            "pkg/x.go",
            commented(["Copyright 2019 The Go Authors. All rights reserved.", *BSD_STYLE], "//") + "package x\n",
            "BSD-3-Clause",
            "pass",
        ),
        C(
            "notice-mit-vendored-js",
            "vendor/lib.js",
            "/*!\n * lib.js v1.0\n * (c) 2015 Jane Roe\n * Released under the MIT License.\n */\nvar x = 1;\n",
            "MIT",
            "pass",
        ),
        C(
            "notice-mit-py",
            "src/small.py",
            '"""Helpers."""\n# Licensed under the MIT license.\nimport os\n',
            "MIT",
            "pass",
        ),
        C("notice-cc-by-nc-md", "docs/photos.md", "# Photos\n\n" + " ".join(CC_BY_NC) + "\n", "CC-BY-NC-4.0", "fail"),
        C(
            "readme-mit-statement",
            "vendor/tool/README.md",
            "# tool\n\n## License\n\nThis project is licensed under the terms of the MIT license.\n",
            "MIT",
            "pass",
        ),
        C(
            "statement-llama-readme",
            "models/x/README.md",
            "# x\n\nThis model is released under the Llama 3.1 Community License.\n",
            "LicenseRef-scancode-llama-3.1-license-2024",
            "fail",
        ),
        C(
            "statement-gemma-notice",
            "models/gemma-ft/NOTICE",
            "Gemma is provided under and subject to the Gemma Terms of Use found at ai.google.dev/gemma/terms\n",
            "LicenseRef-scancode-gemma-tou-2025-03-24",
            "fail",
        ),
        C(
            "jsdoc-license-tag",
            "web/vendor/tiny.js",
            "/**\n * tiny.js 1.2.0\n * @license MIT\n */\nexport const tiny = 1;\n",
            "MIT",
            "pass",
        ),
        C(
            "docstring-license-field",
            "src/helpers.py",
            '"""Helpers.\n\n:copyright: (c) 2020 Jane Roe\n:license: BSD-3-Clause, see LICENSE for more details.\n"""\n',
            "BSD-3-Clause",
            "pass",
        ),
        C(
            "docstring-gpl-py",
            "src/legacy.py",
            '"""Legacy helpers.\n\n' + "\n".join(GPL2_PLUS) + '\n"""\n\nimport sys\n',
            "GPL-2.0-or-later",
            "fail",
        ),
    ]
    tags = [
        C("spdx-c-gpl-2.0", "src/a.c", f"// {SPDX}: GPL-2.0-only\nint a;\n", "GPL-2.0-only", "fail"),
        C("spdx-py-mit", "src/b.py", f"# {SPDX}: MIT\n", "MIT", "pass"),
        C("spdx-or", "src/c.rs", f"// {SPDX}: MIT OR Apache-2.0\n", "MIT OR Apache-2.0", "pass"),
        C("spdx-or-gpl", "src/d.rs", f"// {SPDX}: GPL-2.0-only OR MIT\n", "GPL-2.0-only OR MIT", "pass"),
        C("spdx-and-gpl", "src/e.c", f"/* {SPDX}: MIT AND GPL-3.0-or-later */\n", "MIT AND GPL-3.0-or-later", "fail"),
        C(
            "spdx-with",
            "src/f.java",
            f"// {SPDX}: GPL-2.0-only WITH Classpath-exception-2.0\n",
            "GPL-2.0-only WITH classpath-exception-2.0",
            "warn",
        ),
        C(
            "spdx-html",
            "web/index.html",
            f"<!-- {SPDX}: AGPL-3.0-or-later -->\n<p>hi</p>\n",
            "AGPL-3.0-or-later",
            "fail",
        ),
        C("spdx-deprecated-plus", "src/g.c", f"// {SPDX}: GPL-2.0+\n", "GPL-2.0-or-later", "fail"),
        C("spdx-unparsable", "src/h.py", f"# {SPDX}: MIT OR (\n", "MIT OR (", "unreadable"),
        C("spdx-unknown-id", "src/i.py", f"# {SPDX}: Acme-Internal-1.0\n", "Acme-Internal-1.0", "fail"),
        C(
            "spdx-licenseref-scancode",
            "src/j.py",
            f"# {SPDX}: LicenseRef-scancode-elastic-license-v2\n",
            "Elastic-2.0",
            "fail",
        ),
        C("spdx-cc0", "assets/k.css", f"/* {SPDX}: CC0-1.0 */\nbody {{}}\n", "CC0-1.0", "pass"),
    ]
    manifests = [
        C(
            "pyproject-pep639",
            "vendor/pkg/pyproject.toml",
            '[project]\nname = "pkg"\nlicense = "GPL-3.0-or-later"\n',
            "GPL-3.0-or-later",
            "fail",
        ),
        C(
            "pyproject-table",
            "vendor/pkg2/pyproject.toml",
            '[project]\nname = "pkg2"\nlicense = {text = "MIT"}\n',
            "MIT",
            "pass",
        ),
        C(
            "pyproject-classifier",
            "vendor/pkg3/pyproject.toml",
            '[project]\nname = "pkg3"\nclassifiers = [\n  "License :: OSI Approved :: GNU Affero General Public License v3",\n]\n',
            "AGPL-3.0-only",
            "fail",
        ),
        C(
            "package-json",
            "web/vendor/x/package.json",
            '{\n  "name": "x",\n  "license": "SSPL-1.0"\n}\n',
            "SSPL-1.0",
            "fail",
        ),
        C(
            "package-json-mit",
            "web/vendor/y/package.json",
            '{\n  "name": "y",\n  "version": "1.0.0",\n  "license": "MIT"\n}\n',
            "MIT",
            "pass",
        ),
        C(
            "package-json-legacy",
            "web/vendor/z/package.json",
            '{\n  "name": "z",\n  "licenses": [{"type": "MIT"}, {"type": "GPL-2.0"}]\n}\n',
            "MIT AND GPL-2.0-only",
            "fail",
        ),
        C(
            "package-json-unlicensed",
            "web/vendor/w/package.json",
            '{\n  "name": "w",\n  "license": "UNLICENSED"\n}\n',
            "LicenseRef-scancode-proprietary-license",
            "fail",
        ),
        C(
            "cargo-slash",
            "crates/a/Cargo.toml",
            '[package]\nname = "a"\nlicense = "MIT/Apache-2.0"\n',
            "MIT OR Apache-2.0",
            "pass",
        ),
        C("cargo-busl", "crates/b/Cargo.toml", '[package]\nname = "b"\nlicense = "BUSL-1.1"\n', "BUSL-1.1", "fail"),
        C("setup-cfg", "vendor/old/setup.cfg", "[metadata]\nname = old\nlicense = GPLv3\n", "GPL-3.0-only", "fail"),
        C(
            "gemspec",
            "gems/x/x.gemspec",
            'Gem::Specification.new do |s|\n  s.name = "x"\n  s.licenses = ["MIT"]\nend\n',
            "MIT",
            "pass",
        ),
        C(
            "composer-choice",
            "php/x/composer.json",
            '{\n  "name": "a/x",\n  "license": ["LGPL-2.1-only", "GPL-3.0-or-later"]\n}\n',
            "LGPL-2.1-only OR GPL-3.0-or-later",
            "warn",
        ),
        C(
            "pom-epl",
            "java/x/pom.xml",
            "<project>\n  <licenses>\n    <license>\n      <name>Eclipse Public License 1.0</name>\n    </license>\n  </licenses>\n</project>\n",
            "EPL-1.0",
            "warn",
        ),
    ]
    cards_ = [
        C("card-llama2", "models/a/README.md", card("llama2"), "LicenseRef-scancode-llama-2-license-2023", "fail"),
        C("card-llama3", "models/b/README.md", card("llama3"), "LicenseRef-Llama-3-Community", "fail"),
        C(
            "card-llama3.1",
            "models/c/README.md",
            card("llama3.1"),
            "LicenseRef-scancode-llama-3.1-license-2024",
            "fail",
        ),
        C(
            "card-llama3.2",
            "models/d/README.md",
            card("llama3.2"),
            "LicenseRef-scancode-llama-3.2-license-2024",
            "fail",
        ),
        C(
            "card-llama3.3",
            "models/e/README.md",
            card("llama3.3"),
            "LicenseRef-scancode-llama-3.3-license-2024",
            "fail",
        ),
        C("card-llama4", "models/f/README.md", card("llama4"), "LicenseRef-scancode-llama-4-license-2025", "fail"),
        C("card-gemma", "models/g/README.md", card("gemma"), "LicenseRef-scancode-gemma-tou-2025-03-24", "fail"),
        C(
            "card-creativeml",
            "models/h/README.md",
            card("creativeml-openrail-m"),
            "LicenseRef-scancode-stable-diffusion-2022-08-22",
            "fail",
        ),
        C("card-openrail", "models/i/README.md", card("openrail"), "LicenseRef-OpenRAIL", "fail"),
        C("card-openrail++", "models/j/README.md", card("openrail++"), "LicenseRef-OpenRAIL-plus-plus", "fail"),
        C(
            "card-bigscience-openrail-m",
            "models/k/README.md",
            card("bigscience-openrail-m"),
            "LicenseRef-scancode-bigscience-open-rail-m",
            "fail",
        ),
        C(
            "card-bloom-rail",
            "models/l/README.md",
            card("bigscience-bloom-rail-1.0"),
            "LicenseRef-scancode-bigscience-rail-1.0",
            "fail",
        ),
        C(
            "card-bigcode",
            "models/m/README.md",
            card("bigcode-openrail-m"),
            "LicenseRef-scancode-bigcode-open-rail-m-v1",
            "fail",
        ),
        C("card-deepfloyd", "models/n/README.md", card("deepfloyd-if-license"), "LicenseRef-DeepFloyd-IF", "fail"),
        C("card-cc-by-nc", "datasets/o/README.md", card("cc-by-nc-4.0"), "CC-BY-NC-4.0", "fail"),
        C("card-cc-by-nc-sa", "datasets/p/README.md", card("cc-by-nc-sa-4.0"), "CC-BY-NC-SA-4.0", "fail"),
        C("card-apache", "models/q/README.md", card("apache-2.0"), "Apache-2.0", "pass"),
        C("card-mit", "models/r/README.md", card("mit"), "MIT", "pass"),
        C("card-boost-not-busl", "models/s/README.md", card("bsl-1.0"), "BSL-1.0", "pass"),
        C(
            "card-other-named",
            "models/t/README.md",
            card("other", name="acme-model-license", link="LICENSE"),
            "acme-model-license",
            "fail",
        ),
        C("card-other-bare", "models/u/README.md", card("other"), "other (no license_name or license_link)", "fail"),
        C(
            "card-list",
            "datasets/v/README.md",
            card(["apache-2.0", "cc-by-nc-4.0"]),
            "Apache-2.0 AND CC-BY-NC-4.0",
            "fail",
        ),
    ]
    negatives = [
        C(
            "prose-why-not-gpl",
            "docs/faq.md",
            "# FAQ\n\n## Why not GPL?\n\nWe prefer a permissive license for a library.\n",
            None,
        ),
        C(
            "changelog-license-change",
            "CHANGELOG.md",
            "## 1.2.0\n\n- Changed the license from MIT to Apache-2.0 (#123)\n",
            None,
        ),
        C(
            "history-gpl-dependency",
            "HISTORY.md",
            "## 2.0\n\n- Dropped the GPL-licensed readline dependency; use the MIT-licensed `prompt` instead.\n",
            None,
        ),
        C(
            "policy-list-toml",
            "policy/licenses.toml",
            '[licenses]\ndeny = ["GPL-3.0-only", "AGPL-3.0-only", "SSPL-1.0"]\nallow = ["MIT"]\n',
            None,
        ),
        C(
            "identifiers",
            "src/paths.py",
            "gpl_path = os.path.join(root, 'gpl')\nlicense_key = get_license(path)\nif is_copyleft(license_key):\n    pass\n",
            None,
        ),
        C(
            "string-literal",
            "src/cli.py",
            'BANNER = "Licensed under the GNU General Public License v3"\nprint(BANNER)\n',
            None,
        ),
        C(
            "todo-comment",
            "src/deps.py",
            "# TODO: check the license of this dependency before release\nimport requests\n",
            None,
        ),
        C("spdx-in-string", "src/tags.py", f'TAG = "{SPDX}: GPL-3.0-only"\n', None),
        C(
            "spdx-in-fence",
            "docs/headers.md",
            f"# Headers\n\nStart each file with:\n\n```c\n// {SPDX}: GPL-2.0-only\n```\n",
            None,
        ),
        C("spdx-inline-code", "docs/tags.md", f"Write `{SPDX}: MIT` at the top of each file.\n", None),
        C("copyright-only", "src/core.py", "# Copyright (c) 2024 Example Corp.\n\ndef core():\n    return 1\n", None),
        C("readme-no-front-matter", "docs/README.md", "# Docs\n\nSee the license section of the main README.\n", None),
        C("card-without-license", "models/w/README.md", "---\nlanguage:\n- en\ntags:\n- chat\n---\n# Model\n", None),
        C(
            "manifest-without-license",
            "web/vendor/v/package.json",
            '{\n  "name": "v",\n  "version": "2.0.0"\n}\n',
            None,
        ),
        C(
            "license-words-in-code",
            "src/licensing.py",
            "def check_license(key):\n    return key in LICENSES\n\nLICENSES = {'mit', 'gpl-3.0'}\n",
            None,
        ),
        C(
            "test-table-of-ids",
            "tests/test_ids.py",
            'CASES = [("GPL-2.0-only", "strong"), ("LGPL-2.1", "weak"), ("MIT", "permissive")]\n',
            None,
        ),
        C(
            "prose-names-ai-licenses",
            "docs/policy.md",
            "# Models we accept\n\nWe do not accept models under the Gemma Terms of Use or the Llama 3.1 Community License.\n",
            None,
        ),
        C(
            "quoted-labels-in-docs",
            "docs/markers.md",
            '| marker | example |\n|---|---|\n| a label | such as "Proprietary and Confidential", "Internal Use Only" |\n',
            None,
        ),
        C(
            "quoted-statement-in-docs",
            "docs/notices.md",
            'Meta asks for the notice "Llama 3.1 is licensed under the Llama 3.1 Community License" in every copy.\n',
            None,
        ),
        C(
            "inline-code-in-comment",
            "src/tags.py",
            "# a tag is a `License: MIT`-like field, not `--license --json`\nTAGS = 1\n",
            None,
        ),
        C(
            "script-string-not-docstring",
            "tests/test_script.py",
            'SCRIPT = """\nprint({"name": "x", "license": "MIT"})\n"""\n',
            None,
        ),
        C(
            "module-named-license",
            "src/license_inventory.py",
            '"""Every license a change adds, where it was found, and the verdict."""\nimport json\n',
            None,
        ),
        C(
            "commit-style-prose",
            "docs/contributing.md",
            "# Contributing\n\nBy contributing you agree that your work is licensed under the project's license.\n",
            None,
        ),
    ]
    return texts + notices + tags + manifests + cards_ + negatives
