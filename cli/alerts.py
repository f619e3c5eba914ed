"""`alerts test|list`: the alert channels of `$LISTINGWATCH_ALERT_URLS` (issue 17 item 1)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.app import DbOption, RulesOption, _db_url, _sessions, app, err, fail

alerts_app = typer.Typer(help="Alerts by e-mail, Telegram, webhook ($LISTINGWATCH_ALERT_URLS).", no_args_is_help=True)
app.add_typer(alerts_app, name="alerts")


@alerts_app.command("test")
def alerts_test(db: DbOption = None, rules_dir: RulesOption = None) -> None:
    """Send a test message to every configured channel and print each one's result (exit 1 if
    any failed). The message is stored like every alert; a failed test is not retried."""
    from review.alerts.channels import ENV_URLS, configured
    from review.alerts.dispatch import dispatch
    from review.alerts.hooks import test_message
    from rules.loader import RulesError, load_alerts
    from storage.db import upgrade

    channels = configured()
    if not channels:
        raise fail(f"no alert channel: set ${ENV_URLS} to Apprise URLs separated by spaces or commas "
                   "(e.g. mailto://user:pass@smtp.example.org?to=qltt@example.org json://hooks.example.org/lw)", 2)
    try:
        rules = load_alerts(rules_dir)
    except RulesError as exc:
        raise fail(f"rules: {exc}") from exc
    rules = rules.model_copy(update={"retry": rules.retry.model_copy(update={"max_attempts": 1})})
    upgrade(_db_url(db))
    result = dispatch(_db_url(db), test_message(), rules, channels=channels)
    failed = 0
    for delivery in result.deliveries:
        ok = delivery.status == "sent"
        failed += not ok
        typer.echo(f"{delivery.channel}\t{'sent' if ok else 'FAILED'}" + ("" if ok else f"\t{delivery.error}"))
    err.print(f"test alert #{result.alert_id}: {len(result.deliveries) - failed} of {len(result.deliveries)} "
              "channel(s) reached", markup=False)
    if failed:
        raise typer.Exit(1)


@alerts_app.command("list")
def alerts_list(
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many alerts, newest first.")] = 20,
    db: DbOption = None,
) -> None:
    """Recent alerts and their deliveries: id, time, kind, status, title; then one line per
    channel (result, attempts, error). Tab-separated."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from detectors.vntime import format_local
    from storage.models import Alert

    with _sessions(db)() as session:
        alerts = session.scalars(select(Alert).options(selectinload(Alert.deliveries))
                                 .order_by(Alert.id.desc()).limit(limit)).all()
        for alert in alerts:
            typer.echo(f"{alert.id}\t{format_local(alert.created_at)}\t{alert.kind}\t{alert.status}\t{alert.title}")
            for d in alert.deliveries:
                typer.echo(f"\t{d.channel}\t{d.status}\t{d.attempts}\t{d.error or ''}")
