"""`export flagged-sellers`: the flagged-seller table for analysts (DESIGN §3.3)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from cli.app import DbOption, _sessions, app, err, fail

export_app = typer.Typer(help="Exports for analysts.", no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("flagged-sellers")
def export_flagged_sellers(
    out_path: Annotated[Path, typer.Option("--out", "-o", help="Output file.")] = Path("flagged_sellers.csv"),
    fmt: Annotated[str | None, typer.Option("--format", help="csv or xlsx (default: from the --out extension).")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the headers and signal texts: en or vi.")] = "en",
    platform: Annotated[str | None, typer.Option("--platform", help="Only this platform.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="Only cases with this status.")] = None,
    min_risk: Annotated[float | None, typer.Option("--min-risk", help="Only sellers at or above this risk.")] = None,
    db: DbOption = None,
) -> None:
    """The flagged-seller table (DESIGN §3.3): CSV with BOM, or Excel."""
    from review.export import export_format, flagged_sellers_frame, write_flagged_sellers

    try:
        chosen = export_format(out_path, fmt)
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    if lang not in ("en", "vi"):
        raise fail("--lang must be en or vi", 2)
    language: Literal["en", "vi"] = "vi" if lang == "vi" else "en"
    with _sessions(db)() as session:
        # The language reaches the signal texts too, as in the web export.
        frame = flagged_sellers_frame(session, platform=platform, status=status, min_risk=min_risk, lang=language)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    write_flagged_sellers(frame, out_path, chosen, language)
    err.print(f"wrote {len(frame)} sellers to {out_path}", markup=False)
