"""Interface strings, Vietnamese first (the officers' language), English available.

The labels live in `labels.yaml` beside this module (one entry per key, both languages
together, so a translator sees each pair at once).

Crawled text is never translated or looked up here: only our own labels are. A missing
key falls back to English, then to the key itself, so a forgotten label shows up as a
visible key instead of an exception in front of an inspector.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final, Literal

import yaml

from detectors.codes import labels as signal_labels

Lang = Literal["vi", "en"]
LANGS: Final[tuple[Lang, ...]] = ("vi", "en")
DEFAULT_LANG: Final[Lang] = "vi"

LABELS_FILE: Final = Path(__file__).with_name("labels.yaml")


def _load(path: Path) -> dict[Lang, dict[str, str]]:
    """The label file as one table per language; a malformed entry fails at import, naming it."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping of label keys")
    tables: dict[Lang, dict[str, str]] = {"vi": {}, "en": {}}
    for key, entry in raw.items():
        if not isinstance(entry, dict) or not set(entry) <= set(LANGS):
            raise ValueError(f"{path}: label {key!r}: expected {{vi: ..., en: ...}}")
        for lang in LANGS:
            text = entry.get(lang)
            if text is not None:
                if not isinstance(text, str):
                    raise ValueError(f"{path}: label {key!r}: {lang} is not text")
                tables[lang][str(key)] = text
    return tables


_OWN: Final = _load(LABELS_FILE)
# Signal labels ("signal.brand.lookalike") come from the one table of signal codes.
_TABLES: Final[dict[str, dict[str, str]]] = {
    "vi": {**_OWN["vi"], **signal_labels("vi")},
    "en": {**_OWN["en"], **signal_labels("en")},
}


def translate(lang: str, key: str, **values: object) -> str:
    """The label for `key` in `lang`, with `{name}` placeholders filled from `values`."""
    text = _TABLES.get(lang, _TABLES["vi"]).get(key) or _TABLES["en"].get(key) or key
    return text.format(**values) if values else text


def pick_lang(value: str | None) -> Lang | None:
    """A supported language code, or None for anything else (never trusted as given)."""
    if value == "vi":
        return "vi"
    if value == "en":
        return "en"
    return None


def missing_keys() -> set[str]:
    """Keys present in one table but not the other (a test keeps this empty)."""
    return set(_OWN["vi"]) ^ set(_OWN["en"])
