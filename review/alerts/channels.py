"""Alert channels: Apprise URLs from `$LISTINGWATCH_ALERT_URLS`, each sent to on its own.

One `apprise.Apprise()` per URL: a channel that times out or refuses never holds up the others,
and each gets its own result. URLs carry secrets (SMTP passwords, bot tokens), so outside this
module a channel is known only by its redacted `label` (scheme and host; a hash for schemes
whose "host" is a token) and its `key` (a hash of the whole URL). Every message is sent as
plain text: crawled seller names must not become HTML in an e-mail or Markdown in a chat.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from dataclasses import dataclass
from typing import Final
from urllib.parse import parse_qsl, unquote, urlsplit

ENV_URLS: Final = "LISTINGWATCH_ALERT_URLS"
#: Schemes whose host part is a real network host (not a token): safe to show.
HOST_SCHEMES: Final = frozenset({"mailto", "mailtos", "json", "jsons", "xml", "xmls", "form", "forms",
                                 "ntfy", "ntfys", "gotify", "gotifys", "matrix", "matrixs"})
ERROR_CHARS: Final = 500


@dataclass(frozen=True, slots=True)
class Channel:
    url: str  # secret: never logged, never stored

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme.lower() or "unknown"

    @property
    def key(self) -> str:
        return hashlib.sha256(self.url.encode()).hexdigest()[:32]

    @property
    def label(self) -> str:
        """"mailto://smtp.example.org" or "tgram://#1a2b3c4d": what logs, the database and the
        CLI show."""
        parts = urlsplit(self.url)
        if self.scheme in HOST_SCHEMES and parts.hostname:
            return f"{self.scheme}://{parts.hostname}"
        return f"{self.scheme}://#{self.key[:8]}"

    def secrets(self) -> list[str]:
        """Pieces of the URL that may be secret, longest first, to scrub from error texts."""
        parts = urlsplit(self.url)
        found = [parts.username, parts.password, parts.netloc, *parts.path.split("/"),
                 *(v for _, v in parse_qsl(parts.query))]
        pieces = {unquote(p) for p in found if p and len(p) >= 4} | {p for p in found if p and len(p) >= 4}
        if self.scheme not in HOST_SCHEMES and parts.hostname:
            pieces.add(parts.hostname)
        return sorted(pieces, key=len, reverse=True)


def configured(value: str | None = None) -> list[Channel]:
    """The channels of `$LISTINGWATCH_ALERT_URLS` (or `value`): Apprise URLs separated by spaces
    or commas, each once, in order. Split by Apprise's own parser, which keeps a comma inside
    a URL ("?to=a@x.vn,b@x.vn": two recipients of one mail channel) and splits only before the
    next ``scheme://``."""
    from apprise.utils.parse import parse_urls

    raw = os.environ.get(ENV_URLS, "") if value is None else value
    seen: dict[str, Channel] = {}
    for url in parse_urls(raw.strip()):
        if url and url not in seen:
            seen[url] = Channel(url)
    return list(seen.values())


class _Warnings(logging.Handler):
    """Apprise's warnings during one send: the reason it failed. Apprise may log from its own
    worker threads, so sends are one at a time (`_SENDING`) rather than told apart by thread."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


_SENDING = threading.Lock()


def scrub(text: str, channel: Channel) -> str:
    for secret in channel.secrets():
        text = text.replace(secret, "***")
    return text.replace(channel.url, channel.label)


def send(channel: Channel, title: str, body: str) -> tuple[bool, str | None]:
    """Send one message through one channel: (delivered, error without secrets)."""
    import apprise
    from apprise.common import PersistentStoreMode

    # Memory only: Apprise must not write a cache of URLs (and their tokens) to disk.
    notifier = apprise.Apprise(asset=apprise.AppriseAsset(storage_mode=PersistentStoreMode.MEMORY))
    if not notifier.add(channel.url):
        return False, f"not an Apprise URL Apprise can use ({channel.label})"
    for plugin in notifier:
        plugin.notify_format = apprise.NotifyFormat.TEXT  # plain text on every channel
    handler = _Warnings()
    logger = logging.getLogger("apprise")
    with _SENDING:
        logger.addHandler(handler)
        try:
            ok = bool(notifier.notify(title=title, body=body, body_format=apprise.NotifyFormat.TEXT))
        except Exception as exc:  # a plugin bug must not end the other channels' turn
            ok, handler.lines = False, [*handler.lines, f"{type(exc).__name__}: {exc}"]
        finally:
            logger.removeHandler(handler)
    if ok:
        return True, None
    error = "; ".join(dict.fromkeys(handler.lines)) or "the channel refused or did not answer"
    return False, scrub(error, channel)[:ERROR_CHARS]
