"""Learned model files (issue 13): written by `listingwatch learn`, loaded for scoring.

A joblib file is a pickle, and unpickling runs code. So a model file is loaded only when
its SHA-256 equals one recorded in the database's `scoring_models` table, which only
`listingwatch learn` writes (the card next to the file is a copy for people and is not
trusted: whoever can replace the file can replace the card). That holds for the active
model and for a file named by `LISTINGWATCH_MODEL`. Anything else is refused with one line.

Which model scores (`model_for`): `LISTINGWATCH_MODEL=PATH` when set, else the database's
active model, else none (the hand weights; nothing changes until a model is activated).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from detectors.learned import FeatureSpec, LearnedModel
from storage import repo

ENV = "LISTINGWATCH_MODEL"
FORMAT = 1  # the payload's layout; a file of another format is refused, never guessed


class ModelRefused(RuntimeError):
    """A model file that must not be loaded; the message is the one line users see."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def card_path(model_path: Path) -> Path:
    return model_path.with_suffix(".json")


def write_model(path: Path, estimator: Any, spec: FeatureSpec, operating: float, version: str,
                card: dict[str, Any]) -> str:
    """Write the joblib file and its JSON card; returns the file's SHA-256 (also in the card)."""
    import joblib

    path.parent.mkdir(parents=True, exist_ok=True)
    # Plain objects only (no class of ours is pickled), so a refactor here never breaks old files.
    joblib.dump({"format": FORMAT, "estimator": estimator, "spec": spec.to_dict(), "operating": operating,
                 "version": version}, path)
    sha = sha256_file(path)
    card_path(path).write_text(json.dumps({**card, "sha256": sha, "path": str(path)}, ensure_ascii=False, indent=2)
                               + "\n", encoding="utf-8")
    return sha


def load_verified(path: Path, expected_sha256: str) -> LearnedModel:
    """Unpickle `path` only if its bytes hash to `expected_sha256`."""
    if not path.is_file():
        raise ModelRefused(f"model file {path} not found")
    actual = sha256_file(path)
    if actual != expected_sha256:
        raise ModelRefused(f"model file {path} refused: SHA-256 {actual[:16]}… is not the recorded "
                           f"{expected_sha256[:16]}… (changed since `listingwatch learn` wrote it)")
    import joblib

    payload = joblib.load(path)
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ModelRefused(f"model file {path} refused: not a listingwatch model of format {FORMAT}")
    return LearnedModel(payload["estimator"], FeatureSpec.from_dict(payload["spec"]), float(payload["operating"]),
                        str(payload["version"]))


@dataclass
class _Cached:
    sha256: str
    model: LearnedModel


_cache: dict[str, _Cached] = {}


def _load_cached(path: Path, sha256: str) -> LearnedModel:
    key = str(path.resolve())
    hit = _cache.get(key)
    # The file is hashed again every time: a cached model is reused only for the same bytes.
    if hit is not None and hit.sha256 == sha256 and sha256_file(path) == sha256:
        return hit.model
    model = load_verified(path, sha256)
    _cache[key] = _Cached(sha256, model)
    return model


def model_for(session: Session | None, env: dict[str, str] | None = None,
              no_model: bool = False) -> LearnedModel | None:
    """The model that scores now (see the module's docstring); raises `ModelRefused`."""
    if no_model:
        return None
    named = (os.environ if env is None else env).get(ENV, "").strip()
    if named != "":
        path = Path(named)
        if not path.is_file():
            raise ModelRefused(f"{ENV}={named}: no such file")
        if session is None:
            raise ModelRefused(f"{ENV}={named} refused: no database to check its SHA-256 against")
        sha = sha256_file(path)
        row = repo.model_by_sha256(session, sha)
        if row is None:
            raise ModelRefused(f"{ENV}={named} refused: its SHA-256 {sha[:16]}… is not recorded by "
                               "`listingwatch learn` in this database")
        return _load_cached(path, sha)
    if session is None:
        return None
    row = repo.active_model(session)
    if row is None:
        return None
    return _load_cached(Path(row.path), row.sha256)


def model_for_url(db_url: str, no_model: bool = False) -> LearnedModel | None:
    """`model_for` for a command that has no session of its own (`score`). A SQLite file that
    does not exist, or a schema without the registry, has no active model (and is not
    created): `score` keeps working without a database, with the hand weights."""
    if no_model:
        return None
    from sqlalchemy import inspect
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    missing = url.get_backend_name() == "sqlite" and (url.database in (None, "", ":memory:")
                                                      or not Path(url.database).is_file())
    if missing:
        return model_for(None)
    from storage.db import make_engine

    engine = make_engine(db_url)
    try:
        if not inspect(engine).has_table("scoring_models"):
            return model_for(None)
        with Session(engine) as session:
            return model_for(session)
    finally:
        engine.dispose()


__all__ = ["ENV", "ModelRefused", "card_path", "load_verified", "model_for", "model_for_url", "sha256_file", "write_model"]
