"""Model code outside the weights: what makes loading a model run code from the repository.

- `auto_map` in a transformers config: `trust_remote_code` imports the named modules;
- a Jinja chat template reaching past plain control flow (`__class__`, `__globals__`, `|attr`, ...):
  the classic template-injection path out of a sandbox, or straight to code in an unsandboxed one;
- Keras configs (at any depth): `Lambda` layers carry marshalled Python, and a `module` outside
  keras is imported when the model is deserialised.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from .budget import Meter
from .problems import Problem

_TEMPLATE_ESCAPES = re.compile(
    r"\.\s*_\w*"  # attribute beginning with _ (__class__, __globals__, _TemplateReference__context)
    r"|\[\s*['\"]\s*_\w*"  # ['__class__']
    r"|\|\s*attr\b"  # |attr('__class__')
    r"|\b(?:lipsum|cycler|joiner|url_for|get_flashed_messages|self|request|config)\s*[.\[|]"  # objects that lead to globals
    r"|\b(?:__import__|__builtins__|__subclasses__|__globals__|__mro__|__base__|__code__|func_globals)\b"
)
_KERAS_MODULES = ("keras", "tf_keras", "tensorflow.keras")
_LAMBDA_BYTES = re.compile(rb'"class_name":\s*"Lambda"')
_MAX_FOUND = 100
_MODULE_BYTES = re.compile(rb'"module":\s*"([A-Za-z_][\w.]{0,200})"')


def tags(template: str) -> Iterator[str]:
    """The `{{ ... }}` and `{% ... %}` tags of a template, left to right, in linear time (a lazy
    regex would rescan to the end from every opener that has no closer)."""
    last = {"{": template.rfind("}}"), "%": template.rfind("%}")}
    pos = 0
    while (start := template.find("{", pos)) >= 0:
        kind = template[start + 1 : start + 2]
        if kind in last and last[kind] >= start + 2:
            end = template.find("}}" if kind == "{" else "%}", start + 2)
            yield template[start : end + 2]
            pos = end + 2
        else:
            pos = start + 1


def template_problems(template: str, where: str) -> list[Problem]:
    """A chat template's expressions that reach beyond plain control flow."""
    found: dict[str, Problem] = {}
    for tag in tags(template):
        for match in _TEMPLATE_ESCAPES.finditer(tag):
            text = " ".join(match.group(0).split())
            found.setdefault(
                text,
                Problem(
                    "chat-template-code",
                    f"the chat template reaches {text!r}: a template that reads object internals can run code",
                    "error",
                    where,
                    text,
                ),
            )
    return list(found.values())


def _templates(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and isinstance(item.get("template"), str):
                yield item["template"]


def json_problems(data: Any) -> list[tuple[Problem, str]]:
    """(problem, the JSON key it hangs on) for a config file's model code."""
    found: list[tuple[Problem, str]] = []
    if isinstance(data, dict):
        auto_map = data.get("auto_map")
        if isinstance(auto_map, dict) and auto_map:
            refs = sorted(
                {str(v) for value in auto_map.values() for v in (value if isinstance(value, list) else [value]) if v}
            )
            found.append(
                (
                    Problem(
                        "remote-code",
                        f"auto_map makes `trust_remote_code` import {', '.join(refs)} from the model repository: review that code",
                        "error",
                        "auto_map",
                        ",".join(refs),
                    ),
                    "auto_map",
                )
            )
        for template in _templates(data.get("chat_template")):
            found.extend((p, "chat_template") for p in template_problems(template, "chat_template"))
    for problem in _keras(data, "", 0):
        found.append((problem, "class_name" if problem.rule == "keras-lambda" else "module"))
    return found


def _keras(node: Any, where: str, depth: int) -> Iterator[Problem]:
    if depth > 200:
        return
    if isinstance(node, dict):
        name = node.get("class_name")
        if name in ("Lambda",) and "config" in node:
            yield Problem(
                "keras-lambda",
                "a Keras Lambda layer carries Python code that runs when the model is loaded",
                "error",
                where or "config",
                f"Lambda@{where}",
            )
        module = node.get("module")
        # Keras serialises every object with its `config` (`{"module", "class_name", "config",
        # "registered_name"}`): a document that merely names classes and modules (an API listing) is no model
        serialised = isinstance(node.get("config"), dict)
        if serialised and isinstance(name, str) and isinstance(module, str) and module and not _is_keras(module):
            yield Problem(
                "keras-module",
                f"a Keras object of class {name!r} comes from module {module!r}, outside keras: loading imports it",
                "error",
                where or "config",
                module,
            )
        for key, value in node.items():
            yield from _keras(value, f"{where}.{key}" if where else str(key), depth + 1)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _keras(value, f"{where}[{index}]", depth + 1)


def _is_keras(module: str) -> bool:
    return any(module == k or module.startswith(k + ".") for k in _KERAS_MODULES)


def keras_bytes_problems(stream: BinaryIO, meter: Meter | None = None) -> list[Problem]:
    """An HDF5 file is not parsed; a Keras model config stored in it is JSON text, found by a scan."""
    found: dict[str, Problem] = {}
    stream.seek(0)
    tail = b""
    while len(found) < _MAX_FOUND:
        if meter is not None:
            meter.check_time()
        block = stream.read(1 << 20)
        if not block:
            break
        window = tail + block
        if _LAMBDA_BYTES.search(window):
            found.setdefault(
                "lambda",
                Problem(
                    "keras-lambda",
                    "the HDF5 model's Keras config holds a Lambda layer (Python code run on load)",
                    "error",
                    "model_config",
                    "Lambda",
                ),
            )
        for match in _MODULE_BYTES.finditer(window):
            module = match.group(1).decode()
            if not _is_keras(module):
                found.setdefault(
                    module,
                    Problem(
                        "keras-module",
                        f"the HDF5 model's Keras config imports module {module!r}, outside keras",
                        "error",
                        "model_config",
                        module,
                    ),
                )
        tail = window[-256:]
    return list(found.values())
