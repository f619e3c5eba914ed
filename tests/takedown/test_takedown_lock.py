"""Two daemons (or a daemon and `takedown verify`) on one database must not check the same
takedowns at once: each would re-fetch every listing and write every verdict twice. The
check holds `storage.runs.job_lock`; whoever comes second is told and does nothing."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from listingwatch import app
from review.takedown import VerifyBusy, run_verify
from review.takedown.verify import VERIFY_LOCK
from storage.runs import job_lock


def test_the_lock_is_exclusive_and_released(db_url: str) -> None:
    with job_lock(db_url, "x") as first:
        assert first
        with job_lock(db_url, "x") as second, job_lock(db_url, "y") as other:
            assert not second and other  # the same job is held; another job is not
    with job_lock(db_url, "x") as again:
        assert again  # released when the first holder ended


def test_a_second_takedown_check_is_refused_while_one_runs(db_url: str) -> None:
    with job_lock(db_url, VERIFY_LOCK):
        with pytest.raises(VerifyBusy, match="another takedown check is running"):
            run_verify(db_url, actor="system")
        result = CliRunner().invoke(app, ["takedown", "verify", "--due", "--db", db_url])
        assert result.exit_code == 1 and "another takedown check is running" in result.output
    assert run_verify(db_url, actor="system") == []  # nothing due, and no longer busy
