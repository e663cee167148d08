"""The AI bill of materials: every model, dataset and model-code file of the tree as CycloneDX 1.6.

Files are recognised by content (`artefacts.scan.sniff`), model code by the names loaders use
(`modeling_*.py`, chat templates) and by `auto_map` in configs. Each component carries its path,
sha256, format and size, the license its card or license file names (`cards.license_of`), its
`base_model` lineage as pedigree ancestors, and a `modelCard` where the card or config provide data.
cyclonedx-python-lib builds the document; it has no model for `modelCard` yet, so that section is
added to its JSON. A Git LFS pointer whose object is not fetched is listed by its pointer's oid.
"""

from __future__ import annotations

import json
import posixpath
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .checks.licenses import cards
from .checks.models import manifests, onnx
from .checks.models.manifests import PATH_PROPERTY
from .checks.models.scan import DATA_FORMATS, HEAD, sniff
from .content import sha256_of, size_of

DEFAULT_PATH = "aibom.cdx.json"
_ARCHIVES = frozenset(("zip", "gzip", "bzip2", "xz", "tar"))
_CODE_NAMES = (
    "modeling_",
    "configuration_",
    "tokenization_",
    "processing_",
    "image_processing_",
    "feature_extraction_",
)


@dataclass
class Item:
    path: str
    role: str  # model | data | code
    format: str
    sha256: str
    size: int
    license: str | None = None
    base_models: list[str] = field(default_factory=list)
    card: dict[str, Any] = field(default_factory=dict)


def _role_and_format(path: Path, name: str) -> tuple[str, str] | None:
    with open(path, "rb") as stream:
        head = stream.read(HEAD)
        kind = sniff(head, size_of(stream))
        kind = "pickle" if kind == "pickle?" else kind
        if kind == "onnx" and not onnx.is_model(stream, size_of(stream)):
            kind = None
    if kind in DATA_FORMATS:
        return "data", kind
    if kind is not None and kind not in _ARCHIVES and kind not in ("json", "lfs-pointer"):
        return "model", kind
    if kind == "zip":
        import zipfile

        names = zipfile.ZipFile(path).namelist()
        if any(n.endswith("data.pkl") for n in names):
            return "model", "pytorch"
        if "config.json" in names and any(n.endswith(".weights.h5") for n in names):
            return "model", "keras"
        if names and all(n.endswith(".npy") for n in names):
            return "model", "npz"
    if (
        name.endswith(".py")
        and name.startswith(_CODE_NAMES)
        or name.startswith("chat_template")
        and name.endswith(".jinja")
    ):
        return "code", "python" if name.endswith(".py") else "jinja"
    if kind == "json" and name.endswith(".json") and '"auto_map"' in path.read_text("utf-8", "replace"):
        return "code", "json"
    return None


def inventory(root: Path, paths: Iterable[str], lfs_object: Any = None) -> list[Item]:
    """The model, data and model-code files among `paths` (as the work tree has them)."""
    items = []
    for rel in sorted(paths):
        path = root / rel
        if rel == DEFAULT_PATH or path.is_symlink() or not path.is_file():
            continue
        with open(path, "rb") as stream:
            pointer = manifests.parse_lfs_pointer(stream.read(1025))
        if pointer is not None:
            local = lfs_object(pointer.oid) if lfs_object else None
            found = _role_and_format(local, posixpath.basename(rel)) if local else ("model", "git-lfs")
            if found:
                items.append(Item(rel, found[0], found[1], pointer.oid, pointer.size))
            continue
        found = _role_and_format(path, posixpath.basename(rel))
        if found is None:
            continue
        with open(path, "rb") as stream:
            items.append(Item(rel, found[0], found[1], sha256_of(stream), size_of(stream)))
    for item in items:
        _describe(root, item)
    return items


def _nearest(root: Path, rel: str, names: Iterable[str]) -> str | None:
    directory = posixpath.dirname(rel)
    while True:
        for name in names:
            candidate = root / directory / name
            if candidate.is_file():
                return candidate.read_text("utf-8", "replace")
        if not directory:
            return None
        directory = posixpath.dirname(directory)


def _describe(root: Path, item: Item) -> None:
    """License, lineage and model-card data from the card, license file and config near the file."""
    card = cards.Card(cards.front_matter(_nearest(root, item.path, cards.CARD_NAMES) or ""))
    item.license = cards.license_of(card, _nearest(root, item.path, cards.LICENSE_NAMES))
    item.base_models = card.items("base_model")
    if item.role != "model":
        return
    parameters: dict[str, Any] = {}
    if card.text("pipeline_tag"):
        parameters["task"] = card.text("pipeline_tag")
    config_path = root / posixpath.dirname(item.path) / "config.json"
    if config_path.is_file():
        try:
            config = json.loads(config_path.read_text("utf-8"))
        except ValueError:
            config = {}
        if isinstance(config, dict) and isinstance(config.get("model_type"), str):
            parameters["architectureFamily"] = config["model_type"]
        if isinstance(config, dict) and isinstance(config.get("architectures"), list) and config["architectures"]:
            parameters["modelArchitecture"] = str(config["architectures"][0])
    datasets = card.items("datasets")
    if datasets:
        parameters["datasets"] = [{"type": "dataset", "name": name} for name in datasets]
    if parameters:
        item.card["modelParameters"] = parameters
    uses = card.items("tags")
    if uses:
        item.card["considerations"] = {"useCases": uses}


def build(items: list[Item], project: str) -> str:
    """The CycloneDX 1.6 JSON document of an inventory."""
    from cyclonedx import spdx
    from cyclonedx.model import HashAlgorithm, HashType, Property
    from cyclonedx.model.bom import Bom, BomMetaData
    from cyclonedx.model.component import Component, ComponentType, Pedigree
    from cyclonedx.model.license import DisjunctiveLicense
    from cyclonedx.model.tool import ToolRepository
    from cyclonedx.output.json import JsonV1Dot6

    kinds = {"model": ComponentType.MACHINE_LEARNING_MODEL, "data": ComponentType.DATA, "code": ComponentType.FILE}
    components = []
    for item in items:
        license_ = None
        if item.license:
            fixed = spdx.fixup_id(item.license)
            license_ = DisjunctiveLicense(id=fixed) if fixed else DisjunctiveLicense(name=item.license)
        ancestors = [
            Component(name=base, type=ComponentType.MACHINE_LEARNING_MODEL, bom_ref=f"base:{base}")
            for base in item.base_models
        ]
        components.append(
            Component(
                name=item.path,
                type=kinds[item.role],
                bom_ref=item.path,
                hashes=[HashType(alg=HashAlgorithm.SHA_256, content=item.sha256)],
                licenses=[license_] if license_ else None,
                pedigree=Pedigree(ancestors=ancestors) if ancestors else None,
                properties=[
                    Property(name=PATH_PROPERTY, value=item.path),
                    Property(name="contribution-gate:format", value=item.format),
                    Property(name="contribution-gate:size", value=str(item.size)),
                    Property(name="contribution-gate:role", value=item.role),
                ],
            )
        )
    serial = uuid.uuid5(uuid.NAMESPACE_URL, "contribution-gate:" + "".join(f"{i.path}\0{i.sha256}\0" for i in items))
    tool = Component(
        name="contribution-gate", version=__version__, type=ComponentType.APPLICATION, bom_ref="tool:contribution-gate"
    )
    root = Component(name=project, type=ComponentType.APPLICATION, bom_ref="project")
    metadata = BomMetaData(tools=ToolRepository(components=[tool]), component=root)
    bom = Bom(components=components, metadata=metadata, serial_number=serial)
    bom.register_dependency(root, components)
    data = json.loads(JsonV1Dot6(bom).output_as_string())
    data["metadata"].pop("timestamp", None)  # the same tree gives the same document
    cards_by_path = {i.path: i.card for i in items if i.card}
    for component in data.get("components", []):
        if component.get("bom-ref") in cards_by_path:
            component["modelCard"] = cards_by_path[component["bom-ref"]]
    return json.dumps(data, indent=2, sort_keys=False) + "\n"
