"""`learn` and `model list|show|activate|deactivate` (issue 13): the learned combiner.

A model is written and recorded by `learn`; it scores only once active, and `learn`
activates it only when it beats the hand weights on cross-validation. `model activate
VERSION` (or `learn --rollback VERSION`) is the rollback; `model deactivate` returns to
the hand weights.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.app import DbOption, RulesOption, _load_rules, _sessions, app, err, fail, out

model_app = typer.Typer(help="Learned scoring models: list, show, activate (rollback), deactivate.",
                        no_args_is_help=True)
app.add_typer(model_app, name="model")

DEFAULT_DIR = Path("var/models")


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def _row(name: str, m: dict[str, Any]) -> str:
    return (f"  {name:13} precision {_fmt(m['precision'])}  recall {_fmt(m['recall'])}  F1 {_fmt(m['f1'])}"
            f"   (tp {m['tp']} fp {m['fp']} fn {m['fn']} tn {m['tn']})")


def _activate(db: str | None, version: str | None, force: bool = False) -> None:
    from storage import repo

    with _sessions(db)() as session, session.begin():
        if version is not None:
            row = repo.model_by_version(session, version)
            if row is None:
                raise fail(f"no model version {version!r} (see `listingwatch model list`)")
            if not row.card.get("gate", {}).get("passed", False) and not force:
                raise fail(f"model {version} did worse than the hand weights on cross-validation "
                           f"({row.card.get('gate', {}).get('reason', '?')}); --force to activate it anyway")
        repo.activate_model(session, version)
    err.print("hand weights active (no model)" if version is None else f"model {version} active", markup=False)


@app.command("learn")
def learn(
    labels: Annotated[list[Path] | None, typer.Option(
        "--labels", help="Label files in the eval format (a folder = its *.jsonl); repeatable.")] = None,
    realdata: Annotated[Path | None, typer.Option("--realdata", help="../shared/realdata folder.")] = None,
    from_decisions: Annotated[bool, typer.Option(
        "--from-decisions", help="Also learn from closed review cases (confirmed / dismissed).")] = False,
    min_per_class: Annotated[int | None, typer.Option(
        "--min-per-class", help="Labels of each class needed (default: rules/scoring.yaml learning).")] = None,
    out_path: Annotated[Path | None, typer.Option("--out", help="Model file (default var/models/<version>.joblib).")]
    = None,
    rollback: Annotated[str | None, typer.Option("--rollback", help="Activate this earlier model version and stop.")]
    = None,
    db: DbOption = None,
    rules_dir: RulesOption = None,
) -> None:
    """Fit the learned combiner, compare it with the hand weights on the same folds, record it,
    and activate it only if it does better."""
    if rollback is not None:
        _activate(db, rollback)
        return
    from pipeline import evaluate as ev
    from pipeline import learn as lr
    from pipeline.model_store import write_model
    from storage import repo

    if not labels and not from_decisions:
        raise fail("nothing to learn from: give --labels FILE and/or --from-decisions", 2)
    rules = _load_rules(rules_dir)
    needed = rules.scoring.learning.min_per_class if min_per_class is None else min_per_class
    if needed < 1:
        raise fail("--min-per-class must be at least 1", 2)
    sessions = _sessions(db)
    with sessions() as session:
        # The registry first: training on the whole corpus takes minutes, and a database
        # without the schema would only say so at the end.
        repo.list_models(session)
    ts = lr.new_training_set(rules)
    if labels:
        for p in labels:
            if not p.exists():
                raise fail(f"label file {p} not found", 2)
        try:
            cases = ev.iter_label_files(labels)
            ev.resolve(cases, realdata)
        except ev.LabelError as exc:
            raise fail(str(exc)) from exc
        except ev.RealdataMissing as exc:
            raise fail(f"skipped: {exc}") from exc
        lr.add_cases(ts, cases, rules)
    if from_decisions:
        with sessions() as session:
            used = lr.add_decisions(ts, session, rules)
        err.print(f"decisions: {used} closed cases", markup=False)
    try:
        lr.check_counts(ts, needed)
        cv = lr.cross_validate(ts, rules)
    except lr.TooFewLabels as exc:
        raise fail(f"refused: {exc}") from exc
    passed, reason = lr.gate(cv)
    estimator, operating = lr.fit_final(ts, rules, cv)
    now = datetime.now(UTC)
    version = now.strftime("m%Y%m%d-%H%M%S")
    path = out_path if out_path is not None else DEFAULT_DIR / f"{version}.joblib"
    card: dict[str, Any] = {
        "version": version, "created_at": now.isoformat(), "rules_version": rules.version,
        "estimator": type(estimator).__name__ + (" (HistGradientBoostingClassifier)"
                                                 if type(estimator).__name__ != "HistGradientBoostingClassifier"
                                                 else ""),
        "training": ts.counts, "operating_point": operating, "features": ts.spec.names,
        "metrics": cv.to_dict(), "gate": {"passed": passed, "reason": reason},
    }
    sha = write_model(path, estimator, ts.spec, operating, version, card)
    card["sha256"] = sha
    with sessions() as session, session.begin():
        repo.register_model(session, version, str(path.resolve()), sha, card)
        if passed:
            repo.activate_model(session, version)
    c = ts.counts
    out.print(f"trained on {c['counterfeit']} counterfeit and {c['genuine']} genuine listings "
              f"({', '.join(f'{k} {v}' for k, v in c.items() if k.startswith('from_'))})", markup=False)
    out.print(f"cross-validation: {cv.n_folds} folds by {cv.folds_by}, same folds for both", markup=False)
    out.print(_row("model", cv.model.to_dict()), markup=False)
    out.print(_row("hand weights", cv.hand.to_dict()), markup=False)
    out.print(f"wrote {path} (sha256 {sha}) as version {version}", markup=False)
    if passed:
        out.print(f"activated {version}: {reason}", markup=False)
    else:
        out.print(f"NOT activated: {reason}; the hand weights stay in use", markup=False)


@model_app.command("list")
def model_list(db: DbOption = None) -> None:
    """Every recorded model, the active one marked."""
    from storage import repo

    with _sessions(db)() as session:
        rows = repo.list_models(session)
        if not rows:
            out.print("no models; the hand weights score", markup=False)
            return
        for r in rows:
            m = r.card.get("metrics", {}).get("model", {})
            out.print(f"{'*' if r.active else ' '} {r.version}  {r.created_at:%Y-%m-%d %H:%M}  "
                      f"F1 {_fmt(m.get('f1'))}  gate {'passed' if r.card.get('gate', {}).get('passed') else 'failed'}"
                      f"  {r.path}", markup=False)


@model_app.command("show")
def model_show(version: str, db: DbOption = None) -> None:
    """A model's card (JSON)."""
    from storage import repo

    with _sessions(db)() as session:
        row = repo.model_by_version(session, version)
        if row is None:
            raise fail(f"no model version {version!r}")
        out.print(json.dumps({**row.card, "active": row.active, "path": row.path, "sha256": row.sha256},
                             ensure_ascii=False, indent=2), markup=False)


@model_app.command("activate")
def model_activate(
    version: str,
    force: Annotated[bool, typer.Option("--force", help="Even one that failed the gate.")] = False,
    db: DbOption = None,
) -> None:
    """Score with this model from now on (rollback: activate an earlier one); then `rescore`."""
    _activate(db, version, force)


@model_app.command("deactivate")
def model_deactivate(db: DbOption = None) -> None:
    """Back to the hand weights."""
    _activate(db, None)
