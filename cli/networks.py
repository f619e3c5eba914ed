"""`networks rebuild | list`: sellers run by the same people across platforms (issue 16)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from cli.app import DbOption, RulesOption, _db_url, _load_rules, _sessions, app, fail, out

networks_app = typer.Typer(help="Seller networks: sellers linked by shared identifiers.", no_args_is_help=True)
app.add_typer(networks_app, name="networks")


@networks_app.command("rebuild")
def networks_rebuild(db: DbOption = None, rules_dir: RulesOption = None) -> None:
    """Recompute every seller network from the stored sellers (each scan does this too)."""
    from review.networks.store import rebuild_networks
    from rules.loader import RulesError, load_networks
    from storage.db import upgrade

    rules = _load_rules(rules_dir)
    try:
        settings = load_networks(rules_dir)
    except RulesError as exc:
        raise fail(f"rules: {exc}") from exc
    upgrade(_db_url(db))
    with _sessions(db)() as session, session.begin():
        result = rebuild_networks(session, settings, rules)
    out.print(
        f"{result.networks} networks of {result.networked_sellers} sellers "
        f"({result.links} links) among {result.sellers} sellers",
        markup=False,
    )


@networks_app.command("list")
def networks_list(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")] = False,
    db: DbOption = None,
) -> None:
    """The stored networks, largest first, each seller with the reasons that link it."""
    from review.networks.store import network_views

    with _sessions(db)() as session:
        views = network_views(session)
    if as_json:
        doc = [
            {
                "network_id": v.id,
                "size": v.size,
                "built_at": v.built_at.isoformat(),
                "sellers": [
                    {"seller_pk": m.seller_id, "platform": m.platform, "seller_id": m.seller_key,
                     "name": m.name, "url": m.url, "flagged": m.flagged}
                    for m in v.members
                ],
                "links": [
                    {"a": x.a, "b": x.b, "reason": x.reason, "strong": x.strong, "evidence": x.evidence}
                    for x in v.links
                ],
            }
            for v in views
        ]
        # Plain print: rich would wrap long lines and break the JSON.
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    if not views:
        out.print("no seller networks (run `listingwatch networks rebuild` after a scan)", markup=False)
        return
    for v in views:
        out.print(f"network {v.id}: {v.size} sellers", markup=False)
        names = {m.seller_id: f"{m.platform}/{m.seller_key} {m.name or ''}".strip() for m in v.members}
        for m in v.members:
            out.print(f"  {names[m.seller_id]}", markup=False)
        for x in v.links:
            kind = "strong" if x.strong else "weak"
            out.print(f"    {x.reason} ({kind}): {names[x.a]} = {names[x.b]}: {x.evidence}", markup=False)
