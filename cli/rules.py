"""`rules check`: validate the analyst-editable rules."""

from __future__ import annotations

import typer

from cli.app import RulesOption, _load_rules, app, fail, out

rules_app = typer.Typer(help="Analyst-editable rules.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


@rules_app.command("check")
def rules_check(rules_dir: RulesOption = None) -> None:
    """Validate the rules YAML, evidence.yaml, networks.yaml, monitors.yaml and alerts.yaml; errors
    name the file, line and field."""
    from rules.loader import RulesError, load_alerts, load_evidence, load_monitors, load_networks

    rules = _load_rules(rules_dir)
    try:
        load_evidence(rules_dir)
        load_networks(rules_dir)
        load_monitors(rules_dir)
        load_alerts(rules_dir)
    except RulesError as exc:
        raise fail(f"rules: {exc}") from exc
    out.print(f"rules ok: {len(rules.brands.brands)} brands, version {rules.version}")
