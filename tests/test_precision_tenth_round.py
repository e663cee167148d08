"""A tenth round: eight more public projects (sentry-python, Langfuse, Gradio, Ollama, AutoGen, Argo
CD, Loki, Streamlit) raised no error; their secrets warnings pointed at two classes that are errors
outside a test folder: a model's tensor and tokenizer names (`token_embd.weight`,
`tokenizer.ggml.tokens`, Hugging Face's `embed_tokens`, `special_tokens`) hold digests, ids and
vocabulary, not credentials; a capitalised name (`Wolfgang`) is a word. Each case sits next to the
true finding it must not hide, through the installed command on a real git repository.

Every credential-shaped value is built at run time from random characters."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from test_precision_fourth_round import ERROR, NONE, check
from tokens import rand

Gate = Callable[..., Any]


def _digest() -> str:
    return hashlib.sha256(rand(16).encode()).hexdigest()


def test_a_model_s_tensor_and_tokenizer_names_hold_no_credential(based_repo: Any, gate: Gate) -> None:
    """Ollama's conversion tests keep each GGUF field's and tensor's sha256 under its name; a
    tokenizer's config names its special tokens. An API token under a plain name, and an embedding
    service's API key, stay errors."""
    check(
        gate,
        based_repo,
        {
            "convert/llama.json": [
                ("{", NONE),
                (f'  "tokenizer.ggml.tokens": "{_digest()}",', NONE),
                (f'  "tokenizer.ggml.token_type": "{_digest()}",', NONE),
                (f'  "token_embd.weight": "{_digest()}",', NONE),
                (f'  "model.embed_tokens.weight": "{_digest()}",', NONE),
                ('  "pad_token": "<|finetune_right_pad_id|>",', NONE),
                (f'  "special_tokens": "{_digest()}",', NONE),
                (f'  "embedding_api_key": "{rand(40)}",', ERROR),
                (f'  "api_token": "{_digest()}"', ERROR),
                ("}", NONE),
            ],
        },
        "secrets",
    )


def test_a_capitalised_word_under_a_token_s_name_is_a_word(based_repo: Any, gate: Gate) -> None:
    """Gradio tags a sentence's tokens (`{"token": "Wolfgang", "class_or_confidence": "PER"}`); a
    name that no English bigram table knows is still a word, not a token. A random value there
    stays an error, and a password that is a name stays one (people choose their passwords so)."""
    check(
        gate,
        based_repo,
        {
            "app/ner_tags.json": [
                ("[", NONE),
                ('  {"token": "Wolfgang", "class_or_confidence": "PER"},', NONE),
                ('  {"token": "Xyzzyplugh", "class_or_confidence": "ORG"},', NONE),
                (f'  {{"token": "{rand(24)}", "class_or_confidence": null}}', ERROR),
                ("]", NONE),
            ],
            "deploy/settings.ini": [("[db]", NONE), ("password = Wolfgang", ERROR)],
        },
        "secrets",
    )
