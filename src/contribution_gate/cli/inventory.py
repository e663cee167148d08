"""`aibom` and `licenses`: what a tree holds (models, datasets, licenses), as documents."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..wording import plural
from .group import EXIT_FAIL, EXIT_PASS, cli, write_report


@cli.command()
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write it (default: aibom.cdx.json at the top of the repository; - for stdout).",
)
@click.option(
    "-C",
    "--repo",
    "repo_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Repository (default: the current directory).",
)
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def aibom(output: Path | None, repo_dir: Path, verbose: bool) -> None:
    """Write the AI bill of materials: every model, dataset and model-code file, as CycloneDX 1.6.

    \b
    Files are recognised by content; each component has its path, sha256, format, size,
    license (from the model card or license file), base_model lineage and a modelCard.
    With [models] require-aibom = true, a change to a model file must update it.

    \b
    Examples:
      contribution-gate aibom                          # writes aibom.cdx.json
      contribution-gate aibom --output - | jq .components
    """
    from .. import aibom as bom
    from ..git import Repository

    repo = Repository(repo_dir)
    items = bom.inventory(repo.root, repo.tracked(), repo.lfs_object)
    document = bom.build(items, repo.root.name)
    if output is not None and str(output) == "-":
        click.echo(document, nl=False)
        sys.exit(EXIT_PASS)
    target = output or repo.root / bom.DEFAULT_PATH
    write_report(target, document)
    counts = {role: sum(1 for i in items if i.role == role) for role in ("model", "data", "code")}
    click.echo(
        f"aibom: {plural(counts['model'], 'model')}, {plural(counts['data'], 'dataset file')}, "
        f"{plural(counts['code'], 'model-code file')} in {target}"
    )
    sys.exit(EXIT_PASS)


@cli.command("licenses")
@click.option("--staged", is_flag=True, help="The index against HEAD.")
@click.option(
    "--range", "range_spec", metavar="BASE..HEAD", help="Every commit of a range (BASE...HEAD: from the merge base)."
)
@click.option("--all-files", is_flag=True, help="Every tracked file at HEAD.")
@click.option(
    "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True, help="Output format."
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the inventory here; the terminal gets a one-line summary.",
)
@click.option(
    "--config", "config_path", type=click.Path(path_type=Path), help="Policy file to use instead of the repository's."
)
@click.option(
    "-C",
    "--repo",
    "repo_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Repository (default: the current directory).",
)
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def licenses_inventory(
    staged: bool,
    range_spec: str | None,
    all_files: bool,
    fmt: str,
    output: Path | None,
    config_path: Path | None,
    repo_dir: Path,
    verbose: bool,
) -> None:
    """List every license a change adds: file, expression, class, where it came from, verdict.

    \b
    The same detection and judgement as the review's licenses check (SPDX lines,
    manifests, model cards, license texts and notices), with passes listed too.
    Exits 1 when a license the project cannot take is found, else 0.

    \b
    Examples:
      contribution-gate licenses --all-files              # the whole tree, for an audit
      contribution-gate licenses --range origin/main..HEAD --format json --output licenses.json
    """
    from ..license_inventory import build, render, summary
    from ..session import choose

    if sum((staged, bool(range_spec), all_files)) > 1:
        raise click.UsageError("choose one target: --staged, --range or --all-files")
    inventory = build(repo_dir, choose(staged, range_spec, all_files), config_path)
    rendered = render(inventory, fmt)
    if output is not None:
        write_report(output, rendered)
        click.echo(f"{summary(inventory)} (inventory: {output})")
    else:
        click.echo(rendered, nl=False)
    sys.exit(EXIT_FAIL if inventory.failed else EXIT_PASS)
