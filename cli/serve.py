"""`serve`: the review web app (issue #5)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from cli.app import (
    DbOption,
    RulesOption,
    _db_url,
    _load_rules,
    _recover_stale_runs,
    _redact,
    app,
    err,
    fail,
)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (0.0.0.0: every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    secure_cookies: Annotated[
        bool, typer.Option("--secure-cookies", help="Mark the session cookie Secure (serve behind HTTPS).")
    ] = False,
    secret_file: Annotated[
        Path, typer.Option("--secret-file", help="Session-signing key, created on first run ($LISTINGWATCH_SECRET_KEY wins).")
    ] = Path("var/web-secret.key"),
    db: DbOption = None,
    rules_dir: RulesOption = None,
    forwarded_allow_ips: Annotated[str | None, typer.Option(
        "--forwarded-allow-ips",
        help="Comma-separated addresses of the reverse proxies to trust for X-Forwarded-For "
             "(log-in limits then count each officer's address, not the proxy's). Default: none.")] = None,
) -> None:
    """The review web app for analysts and inspectors (log in with a user from `user add`)."""
    import uvicorn

    from crawler.logs import current_format
    from review.web.app import ENV_SECRET, create_app, secret_from_file
    from storage.db import upgrade

    if not 0 < port < 65536:
        raise fail(f"--port {port} is not a TCP port (1-65535)", 2)
    url = _db_url(db)
    upgrade(url)
    _recover_stale_runs(url)
    rules = _load_rules(rules_dir)
    key = os.environ.get(ENV_SECRET, "").strip()
    if key == "":
        try:
            key = secret_from_file(secret_file)
        except (OSError, ValueError) as exc:
            raise fail(f"secret key: {exc}") from exc
    web = create_app(url, secret_key=key, secure_cookies=secure_cookies, rules=rules, rules_dir=rules_dir)
    err.print(f"review web app on http://{host}:{port}/ ({_redact(url)})", markup=False)
    # Forwarded headers only from the proxies named: from anyone else they would let a
    # client pick the address its failed log-ins are counted under.
    trusted = forwarded_allow_ips is not None and forwarded_allow_ips.strip() != ""
    # JSON logs: uvicorn's own loggers (error and access) keep no handlers of their own and
    # propagate to the root's JSON handler (`crawler.logs`); text keeps uvicorn's lines as before.
    uvicorn.run(web, host=host, port=port, log_level="info", proxy_headers=trusted,
                forwarded_allow_ips=forwarded_allow_ips if trusted else None,
                log_config=None if current_format() == "json" else uvicorn.config.LOGGING_CONFIG)
