"""Org-wide audits: many repositories reviewed as units of work, results kept in one directory.

`plan` (targets -> units with resolved heads), `store` (the directory: one file per finished unit,
written atomically by the driver alone), `reviewer` (one unit in-process, the engine-neutral
worker), `engines` (local processes, Ray), `merge` and `reports` (audit.json, .sarif, .md from the
unit files), `driver` (the loop that ties them together). Nothing here is imported on the
pre-commit path.
"""
