"""`eval`: precision, recall and F1 of `flagged` on labelled listings (pipeline/evaluate.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cli.app import RulesOption, _load_rules, app, fail, out


@app.command("eval")
def eval_labels(
    labels: Annotated[list[Path], typer.Argument(
        help="Label files (JSONL): records or real-data references; a folder means its *.jsonl files.")],
    by: Annotated[str, typer.Option("--by", help="Confusion per: group, category, split, source or platform.")] = "group",
    leave_out: Annotated[str | None, typer.Option(
        "--leave-out", help="'category': fit on the other categories, measure on each in turn.")] = None,
    fit_threshold: Annotated[bool, typer.Option(
        "--fit-threshold", help="With --leave-out: also refit the flag threshold without each category.")] = False,
    split: Annotated[str | None, typer.Option("--split", help="Only cases of this split (dev, holdout).")] = None,
    realdata: Annotated[Path | None, typer.Option("--realdata", help="../shared/realdata folder.")] = None,
    errors: Annotated[int, typer.Option("--errors", help="List up to N misses and false alarms.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    rules_dir: RulesOption = None,
) -> None:
    """Precision, recall and F1 of `flagged` on labelled listings, per group and per signal."""
    from pipeline import evaluate as ev

    if by not in ev.BY_KEYS:
        raise fail(f"--by must be one of {', '.join(ev.BY_KEYS)}", 2)
    if leave_out not in (None, "category"):
        raise fail("--leave-out must be 'category'", 2)
    for p in labels:
        if not p.exists():
            raise fail(f"label file {p} not found", 2)
    rules = _load_rules(rules_dir)
    try:
        cases = ev.iter_label_files(labels)
        if split is not None:
            cases = [c for c in cases if c.label.split == split]
        ev.resolve(cases, realdata)
    except ev.LabelError as exc:
        raise fail(str(exc)) from exc
    except ev.RealdataMissing as exc:
        raise fail(f"skipped: {exc}") from exc
    if not cases:
        raise fail("no labelled cases to evaluate")
    results = list(ev.score_cases(cases, rules))
    if leave_out is not None:
        from pipeline.generalization import leave_one_out, render_leave_one_out

        loco = leave_one_out(results, rules.scoring.flag_threshold, fit=fit_threshold)
        if as_json:
            out.print(json.dumps(loco.to_dict(), ensure_ascii=False, indent=2), markup=False)
        else:
            out.print(render_leave_one_out(loco), markup=False)
        return
    report = ev.evaluate(cases, rules, by=by, results=results)
    if as_json:
        out.print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), markup=False)
    else:
        out.print(ev.render(report, by=by, show_errors=errors), markup=False)
