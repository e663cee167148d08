"""`contribution-gate demo`: a throw-away repository holding a sample contribution to review.

The fake credentials are assembled here at run time from parts and random characters, so no file
of this project holds a literal token that a scanner would flag.
"""

from __future__ import annotations

import random
import string
import tempfile
from pathlib import Path

_ALPHABET = string.ascii_letters + string.digits


def _random(n: int, alphabet: str = _ALPHABET) -> str:
    return "".join(random.choice(alphabet) for _ in range(n))


def unsafe_pickle() -> bytes:
    """Model weights that would run a shell command when unpickled, written opcode by opcode
    (nothing here ever unpickles it): GLOBAL os.system, the argument, REDUCE."""
    command = b"echo pwned"
    return b"\x80\x02" + b"cos\nsystem\n" + b"X" + len(command).to_bytes(4, "little") + command + b"\x85R."


def sample_files() -> dict[str, str | bytes]:
    """The contribution: a leaked AI key, a password in a database URL, a placeholder, an allowed test
    value, and a model card under a license the project cannot take."""
    openai_key = "sk-" + "proj-" + _random(40) + "T3Blbk" + "FJ" + _random(40)
    groq_key = "gsk" + "_" + _random(20) + "WGdyb3" + "FY" + _random(24)
    db_password = _random(14)
    test_token = "gh" + "p_" + _random(36)
    return {
        "app/llm.py": (
            '"""Calls the model."""\n'
            "import os\n\n"
            f'OPENAI_API_KEY = "{openai_key}"\n'
            'GROQ_API_KEY = os.environ["GROQ_API_KEY"]\n'
        ),
        # a file marked for internal use (proprietary-markers) and a link to the internal Jenkins (internal-urls)
        "deploy/app.env": (
            "# CONFIDENTIAL - Internal Use Only\n"
            f"DATABASE_URL=postgres://app:{db_password}@db.acme-payments.io:5432/app\nLOG_LEVEL=info\n"
        ),
        "docs/setup.md": "# Setup\n\nDeploys run on https://jenkins.corp.acme-payments.io/job/deploy.\n\nexport GROQ_API_KEY=<your-key>\n",
        "tests/test_client.py": f'TOKEN = "{test_token}"  # pragma: allowlist secret\nGROQ = "{groq_key[:4]}"\n',
        # a fine-tuned model whose card declares the Llama 3.1 Community License: not for an Apache-2.0 project
        "models/support-bot/README.md": "---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B-Instruct\n---\n# support-bot\n\nAnswers support chats.\n",
        # and its weights: a pickle that runs a command when loaded
        "models/support-bot/pytorch_model.bin": unsafe_pickle(),
    }


def build_demo_repository() -> Path:
    """A new repository under the temp directory: one clean commit, then the sample staged."""
    import git  # GitPython: plain repository set-up, no hooks, no user config needed

    root = Path(tempfile.mkdtemp(prefix="contribution-gate-demo-"))
    repo = git.Repo.init(root)
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "Demo Contributor")
        cfg.set_value("user", "email", "contributor@example.com")
        cfg.set_value("commit", "gpgsign", "false")
    (root / "README.md").write_text("# demo project\n", encoding="utf-8")
    policy = '[licenses]\nproject = "Apache-2.0"\n\n[internal-urls]\ndomains = ["corp.acme-payments.io"]\n'
    (root / ".contribution-gate.toml").write_text(policy, encoding="utf-8")
    repo.index.add(["README.md", ".contribution-gate.toml"])
    repo.index.commit("Initial commit", skip_hooks=True)  # hooks a template directory copied in stay idle
    for name, content in sample_files().items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    repo.git.add("--all")
    return root
