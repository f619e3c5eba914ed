"""Issue 14, item 6: evidence capture checks every request against the address policy.

A listing URL from crawled data that points at a non-public address (here: a second
127.0.0.1 server, not among the allowed origins) must not be fetched, and becomes a result
with ``error`` and no stored body; an allowed page's redirect or sub-resources to that address
are never requested either.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler.browser import chromium_available
from review.evidence import capture_targets
from review.evidence.capture import CaptureTarget
from storage.db import session_factory
from storage.evidence_store import EvidenceStore
from storage.models import Evidence
from tests.loopback_sites import Site, html, loopback_pair

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not chromium_available(), reason="needs Chromium")]


@pytest.fixture
def sites() -> Iterator[tuple[Site, Site]]:
    with loopback_pair() as pair:
        yield pair


def test_capture_never_requests_a_refused_address(sites: tuple[Site, Site], db_url: str, tmp_path: Path) -> None:
    allowed, refused = sites
    a, b = allowed.root, refused.root
    allowed.routes.update({
        "/listing": html(f'<h1>listing</h1><img src="{b}/frame"><script>fetch("{b}/api").catch(() => 0)</script>'),
        "/moved": (302, {"Location": f"{b}/redirected"}, b""),
    })
    sessions = session_factory(db_url)
    store = EvidenceStore(tmp_path / "store")
    targets = [CaptureTarget(f"{b}/linked"), CaptureTarget(f"{a}/moved"), CaptureTarget(f"{a}/listing"),
               CaptureTarget("http://169.254.169.254/latest/meta-data/")]
    results = capture_targets(sessions, targets, store=store, allowed_origins=[a])
    assert refused.hits == []
    direct, moved, listing, metadata = results
    assert direct.error is not None and "refused" in direct.error and direct.warc_id is None
    assert metadata.error is not None and "link-local" in metadata.error
    assert moved.error is not None and moved.warc_id is None
    assert listing.error is None and listing.warc_id is not None
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Evidence)) == 2  # the listing's WARC + PNG


def test_capture_without_allowed_origins_refuses_loopback(sites: tuple[Site, Site], db_url: str,
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    allowed, _ = sites
    monkeypatch.delenv("LISTINGWATCH_DEMO_URL", raising=False)
    allowed.routes["/listing"] = html("<h1>listing</h1>")
    store = EvidenceStore(tmp_path / "store")
    [result] = capture_targets(session_factory(db_url), [CaptureTarget(f"{allowed.root}/listing")], store=store)
    assert result.error is not None and "loopback" in result.error
    assert allowed.hits == []
