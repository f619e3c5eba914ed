"""Offline check of a bundle: every file re-hashed against its manifest (no database)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from review import zip_hash
from review.evidence.bundle import MANIFEST, MANIFEST_HASH


@dataclass
class VerifyReport:
    path: Path
    ok: bool
    case_id: int | None = None
    checked: int = 0
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    manifest_sha256: str | None = None

    def lines(self) -> list[str]:
        out = [f"changed: {name}" for name in self.changed]
        out += [f"added: {name}" for name in self.added]
        out += [f"removed: {name}" for name in self.removed]
        out += [f"problem: {p}" for p in self.problems]
        return out


def verify_bundle(path: Path) -> VerifyReport:
    """Re-hash every file of a bundle against its manifest (offline, no database).

    Reports each file that changed (including one the zip itself can no longer read),
    was added or was removed. `manifest.json` is guarded by `manifest.sha256`; compare
    `manifest_sha256` with the export entry of the case's custody log to know the bundle
    is the one the system produced.
    """
    report = VerifyReport(path=path, ok=False)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        report.problems.append(f"{path}: not a readable zip file ({exc})")
        return report
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if len(infos) > zip_hash.MAX_ENTRIES:
            report.problems.append(f"{path}: more than {zip_hash.MAX_ENTRIES:,} entries")
            return report
        names = [info.filename for info in infos]
        # Entries are hashed in chunks under caps (a zip bomb is a problem, not an OOM);
        # only the manifest and its hash line are kept whole.
        budget = zip_hash.Budget()
        contents: dict[str, bytes | None] = {}
        digests: dict[str, str | None] = {}
        for info in infos:
            name = info.filename
            try:
                if name in (MANIFEST, MANIFEST_HASH):
                    contents[name] = zip_hash.entry_bytes(archive, info, budget)
                    digests[name] = hashlib.sha256(contents[name] or b"").hexdigest()
                else:
                    digests[name] = zip_hash.entry_sha256(archive, info, budget)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                # zip's own CRC caught the change before we could hash it, or it is too big
                contents[name] = None
                digests[name] = None
                report.problems.append(f"{name}: unreadable ({exc})")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    for name in duplicates:
        report.added.append(name)
    manifest_raw = contents.get(MANIFEST)
    if manifest_raw is None:
        if MANIFEST in contents:
            report.changed.append(MANIFEST)
        else:
            report.removed.append(MANIFEST)
        return report
    report.manifest_sha256 = hashlib.sha256(manifest_raw).hexdigest()
    hash_line = contents.get(MANIFEST_HASH)
    if hash_line is None:
        (report.changed if MANIFEST_HASH in contents else report.removed).append(MANIFEST_HASH)
    else:
        recorded = hash_line.decode("utf-8", errors="replace").split()
        if not recorded or recorded[0] != report.manifest_sha256:
            report.changed.append(MANIFEST)
    try:
        manifest = json.loads(manifest_raw.decode("utf-8"))
        entries = {str(f["path"]): str(f["sha256"]) for f in manifest["files"]}
        report.case_id = manifest.get("case_id")
    except (ValueError, KeyError, TypeError) as exc:
        if MANIFEST not in report.changed:
            report.changed.append(MANIFEST)
        report.problems.append(f"{MANIFEST}: not a valid manifest ({exc})")
        return report
    for name, expected in sorted(entries.items()):
        if name not in digests:
            report.removed.append(name)
            continue
        report.checked += 1
        if digests[name] != expected:
            report.changed.append(name)
    for name in sorted(digests):
        if name not in entries and name not in (MANIFEST, MANIFEST_HASH):
            report.added.append(name)
    report.ok = not (report.changed or report.added or report.removed or report.problems)
    return report
