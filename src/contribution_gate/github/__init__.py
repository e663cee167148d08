"""GitHub: the REST client (`api`), event payloads (`events`) and the Actions runner's files (`actions`).

Everything that talks to GitHub or reads what GitHub hands a workflow lives here, so the cla check,
the session and the pull-request conversation share one client and one reading of an event.
"""
