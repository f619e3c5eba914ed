"""Password policy (issue 14 item 9): long enough, and not one of the commonest or a trivial pattern.

Length alone let "1234567890", "qwertyuiop" and "aaaaaaaaaa" through. zxcvbn rates a
password against lists of common passwords, words and names, keyboard walks, repeats,
sequences and dates; we refuse anything it scores below `MIN_SCORE` (of 0..4), with its
own one-line reason. The user's name counts as a known word, so "lan2024lan2024" is weak
for user "lan".
"""

from __future__ import annotations

from typing import Final

from zxcvbn import zxcvbn

MIN_PASSWORD_LENGTH: Final = 10
#: Argon2 takes any length, but the form and stdin should not carry megabytes.
MAX_PASSWORD_LENGTH: Final = 256
#: zxcvbn score 3 = "safely unguessable: moderate protection from offline slow-hash attack".
MIN_SCORE: Final = 3
#: zxcvbn's matching is quadratic in the length; its authors check a prefix of long inputs.
_CHECKED_PREFIX: Final = 100
#: Words anyone would try first against this system.
_CONTEXT_WORDS: Final = ("listingwatch", "qltt", "quanlythitruong", "matkhau")


def password_problem(password: str, user_name: str = "") -> str | None:
    """Why `password` is refused, in one line, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"password must be at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"password must be at most {MAX_PASSWORD_LENGTH} characters"
    inputs = [word for word in (user_name.strip(), *_CONTEXT_WORDS) if word != ""]
    result = zxcvbn(password[:_CHECKED_PREFIX], user_inputs=inputs)
    if result["score"] >= MIN_SCORE:
        return None
    warning = str(result["feedback"].get("warning") or "").strip()
    reason = warning if warning != "" else "it is too easy to guess"
    return f"password refused: {reason.rstrip('.')}; use a longer phrase of uncommon words"
