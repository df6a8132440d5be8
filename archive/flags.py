"""Yes/no values as forms, query strings and environment variables send them: one reading for all.

A checkbox sends its `value` ("1" in our templates, "y" from WTForms, "on" from a bare HTML
checkbox) or nothing; API clients and environment variables write true/false, yes/no, 1/0, on/off.
Anything else is refused rather than guessed: `public=maybe` must not quietly mean private.
"""

from __future__ import annotations

TRUE_WORDS = frozenset({"1", "true", "yes", "on", "y"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "off", "n"})


def parse_flag(value: str | None, *, default: bool = False) -> bool:
    """The value as a bool; `default` when it was not sent (None). Raises ValueError for other words."""
    if value is None:
        return default
    word = value.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"not a yes/no value: {value!r}")
