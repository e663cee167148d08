"""A seventeenth round: the classes of false errors and warnings found on more public projects (Scrapy,
oauthlib, PyJWT, paramiko), each next to the true finding it must not hide, through the command on
real git repositories.

Every credential-shaped value is built at run time from parts and random characters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from licenses_cases import license_text
from test_precision_fifth_round import _whole_tree
from test_precision_fourth_round import ERROR, NONE, WARNING, check
from tokens import rand

Gate = Callable[..., Any]


def test_a_docstring_after_a_signature_over_several_lines_is_documentation(based_repo: Any, gate: Gate) -> None:
    """oauthlib's endpoints document their responses in doctests (`'oauth_token=lsdkfol23w54jlksdef&...'`)
    under methods whose parameters run onto a second line (`headers=None, credentials=None):`); only a
    signature closed by a line of its own (`):`) was read as one. Code after the docstring still counts."""
    made_up = rand(18, "abcdefghijklmnopqrstuvwxyz0123456789")
    check(
        gate,
        based_repo,
        {
            "oauthlib/endpoints/access_token.py": [
                ("class AccessTokenEndpoint:", NONE),
                ("    def create_access_token_response(self, uri, http_method='GET', body=None,", NONE),
                ("                                     headers=None, credentials=None):", NONE),
                ('        """Create an access token response.', NONE),
                ("", NONE),
                ("            >>> b", NONE),
                (f"            'oauth_token={made_up}&oauth_token_secret=qwe089234lkjsdf'", WARNING),
                ('        """', NONE),
                (f"        token = 'oauth_token={rand(10)}{rand(10, '0123456789')}'", ERROR),
            ],
        },
        "secrets",
    )


def test_type_names_with_an_algorithms_number_are_no_values(based_repo: Any, gate: Gate) -> None:
    """PyJWT's `key: Ed25519PrivateKey | Ed448PrivateKey` (a parameter's annotation), and the same name in
    quotes (a forward reference): `25519` names a curve, as `65537` RSA's exponent; words and such
    numbers are no token. A random value under the same name still is."""
    check(
        gate,
        based_repo,
        {
            "jwt/algorithms.py": [
                ("class OKPAlgorithm:", NONE),
                ("    def sign(", NONE),
                ("        self, msg: str | bytes, key: Ed25519PrivateKey | Ed448PrivateKey", NONE),
                ("    ) -> bytes:", NONE),
                ("        return b''", NONE),
                ('    def verify(self, msg, key: "Ed25519PublicKey") -> bool:', NONE),
                ("        return True", NONE),
                ("    exponent_key: RSAPublicNumbers65537 = None", NONE),
                (f'    key = "{rand(12)}{rand(6, "0123456789")}{rand(12)}"', ERROR),
            ],
        },
        "secrets",
    )


def test_the_example_key_of_amazon_s3s_guide_is_published(based_repo: Any, gate: Gate) -> None:
    """Scrapy's S3 tests sign requests with the example key pair of Amazon S3's developer guide (2006), as
    boto's and other S3 clients' tests do: a value published for everyone, like the emulators' keys. Another
    secret access key in the same settings is still an error."""
    published = "uV3F3YluFJax1ckn" + "vbcGwgjvx4QpvB+leU8dUj2o"
    other = rand(16) + "+" + rand(23)
    check(
        gate,
        based_repo,
        {
            "tests/test_downloader_handlers.py": [
                ("settings_dict = {", NONE),
                ('    "AWS_ACCESS_KEY_ID": "0PN5J17HBGZHT7JJ3X82",', NONE),
                (f'    "AWS_SECRET_ACCESS_KEY": "{published}",', NONE),
                ("}", NONE),
            ],
            "settings.py": [(f'AWS_SECRET_ACCESS_KEY = "{other}"', ERROR)],
        },
        "secrets",
    )


def test_a_file_under_an_or_later_license_fits_a_project_under_one_of_those_versions(
    based_repo: Any, gate: Gate
) -> None:
    """paramiko is `LGPL-2.1` (SPDX's old id of LGPL-2.1-only) and each of its files says "version 2.1 of the
    License, or (at your option) any later version": such a file may be taken under 2.1, so 65 files were 65
    false warnings. A version the project's does not reach, and another family, are still judged."""
    notice = "\n".join(
        "# " + line
        for line in (
            "This library is free software; you can redistribute it and/or modify it under the terms of the",
            "GNU Lesser General Public License as published by the Free Software Foundation; either",
            "version 2.1 of the License, or (at your option) any later version.",
        )
    )
    gpl3 = "\n".join(
        "# " + line
        for line in (
            "This program is free software: you can redistribute it and/or modify it under the terms of the",
            "GNU General Public License as published by the Free Software Foundation, either version 3 of",
            "the License, or (at your option) any later version.",
        )
    )
    based_repo.commit_files(
        "paramiko",
        {
            "LICENSE": license_text("lgpl-2.1"),
            "pyproject.toml": '[project]\nname = "paramiko"\nversion = "4.0"\nlicense = "LGPL-2.1"\n',
            "paramiko/client.py": notice + "\n\nclass SSHClient:\n    pass\n",
            "paramiko/gpl3.py": gpl3 + "\n\nclass Other:\n    pass\n",
        },
    )
    found = _whole_tree(gate, based_repo, "licenses")
    assert not {where for where in found if where[0] == "paramiko/client.py"}, found
    assert found.get(("paramiko/gpl3.py", 1)) == ERROR, found


def test_a_strong_phrase_describing_other_data_is_no_marking(based_repo: Any, gate: Gate) -> None:
    """Rails generates `config/initializers/session_store.rb` with the advice of its second line below
    (doorkeeper's test application keeps it): a sentence about other data, not a marking of this file. A
    phrase opening the comment, or said of this content ("is", "contains"), still marks it."""
    check(
        gate,
        based_repo,
        {
            "spec/dummy/config/initializers/session_store.rb": [
                ("# Use the database for sessions instead of the cookie-based default,", NONE),
                ("# which shouldn't be used to store highly confidential information", NONE),
                ("# Never log strictly confidential data here.", NONE),
                ("Rails.application.config.session_store :cookie_store", NONE),
            ],
            "lib/acme/pricing.rb": [("# HIGHLY CONFIDENTIAL - do not distribute", ERROR), ("X = 1", NONE)],
            "lib/acme/margins.rb": [("X = 1", NONE), ("# It contains strictly confidential information.", ERROR)],
        },
        "proprietary-markers",
    )


def test_a_password_option_joined_to_a_variable_is_code(based_repo: Any, gate: Gate) -> None:
    """Laravel's `DbCommand` builds `'--password='.$connection['password']`: the quote after `=` closes the
    string, and what follows is the code that joins the variable (`.` in PHP, `+` in Java or JavaScript),
    no password. A password written into the option is still one."""
    check(
        gate,
        based_repo,
        {
            "src/Illuminate/Database/Console/DbCommand.php": [
                ("<?php", NONE),
                ("$optional = ['password' => '--password='.$connection['password']];", NONE),
                ('String command = "pg_dump --passphrase=" + settings.passphrase();', NONE),
                (f"run('gpg --batch --passphrase={rand(8)}{rand(4, '0123456789')}{rand(4)} file.gpg');", ERROR),
            ],
        },
        "secrets",
    )


def test_a_patent_license_beside_a_copyright_license_is_for_review(based_repo: Any, gate: Gate) -> None:
    """IdentityServer4's samples bundle oidc-client.js, whose webpack bundle keeps regenerator's notice (BSD
    and "an additional grant of patent rights ... in the PATENTS file"), which ScanCode reads as Facebook's
    patent grant, a license of its category "Patent License": no license the gate could not identify (an
    error), but a grant beside the code's license whose terms (it ends on a patent suit) need a look."""
    notice = "\n".join(
        (
            "/**",
            " * Copyright (c) 2014, Facebook, Inc.",
            " * All rights reserved.",
            " *",
            " * This source code is licensed under the BSD-style license found in the",
            " * https://raw.github.com/facebook/regenerator/master/LICENSE file. An",
            " * additional grant of patent rights can be found in the PATENTS file in",
            " * the same directory.",
            " */",
        )
    )
    based_repo.commit_files(
        "sample client",
        {
            "LICENSE": license_text("apache-2.0"),
            "samples/JsOidc/wwwroot/libs/oidc-client.js": "var a = 1;\n" + notice + "\nvar b = 2;\n",
        },
    )
    found = _whole_tree(gate, based_repo, "licenses")
    assert {severity for (path, _), severity in found.items() if path.endswith("oidc-client.js")} == {WARNING}, found
