"""`export flagged-sellers`: the format follows the file name; --lang vi reaches the signals (issue 14 item 12)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from listingwatch import app
from review.export import VI_LABELS
from tests.web.web_client import login

runner = CliRunner()


def test_xlsx_name_without_format_writes_excel(small_db: str, tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    result = runner.invoke(app, ["export", "flagged-sellers", "--out", str(out), "--db", small_db])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"  # a zip: an .xlsx workbook, not CSV text
    assert len(pd.read_excel(out)) > 0


@pytest.mark.parametrize(
    ("name", "args", "needle"),
    [
        ("x.txt", [], "cannot tell the format"),
        ("x.xlsx", ["--format", "csv"], "does not match"),
        ("x.csv", ["--format", "xlsx"], "does not match"),
    ],
)
def test_unknown_or_contradicting_format_is_refused(small_db: str, tmp_path: Path, name: str,
                                                    args: list[str], needle: str) -> None:
    out = tmp_path / name
    result = runner.invoke(app, ["export", "flagged-sellers", "--out", str(out), *args, "--db", small_db])
    assert result.exit_code == 2 and needle in result.output
    assert not out.exists()


def test_lang_vi_translates_the_signals_as_the_web_export_does(client: TestClient, small_db: str,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "vi.csv"
    assert runner.invoke(app, ["export", "flagged-sellers", "--out", str(out), "--lang", "vi",
                               "--db", small_db]).exit_code == 0
    english = tmp_path / "en.csv"
    assert runner.invoke(app, ["export", "flagged-sellers", "--out", str(english), "--db", small_db]).exit_code == 0
    column = VI_LABELS["top_signals"]
    cli_vi = pd.read_csv(out, encoding="utf-8-sig")[column].dropna().tolist()
    cli_en = pd.read_csv(english, encoding="utf-8-sig")["top_signals"].dropna().tolist()
    assert cli_vi and cli_vi != cli_en

    login(client, "ana")
    web = client.get("/export/flagged-sellers.csv?lang=vi&status=")
    web_vi = pd.read_csv(io.BytesIO(web.content), encoding="utf-8-sig")[column].dropna().tolist()
    assert web_vi and set(web_vi) <= set(cli_vi)
