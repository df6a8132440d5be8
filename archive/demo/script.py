"""Traditional script for the texts that came from Hong Kong, Taiwan or families overseas.

OpenCC (already a dependency of the search) converts whole phrases, so 里/裏, 后/後 and 发/發 come out
right; Hong Kong and Taiwan variants differ (裏 / 裡), as they do in what families send us. It does not
know people's names, and would turn the surname 余 into 餘 (as in 其余 → 其餘), so the surname is
shielded first.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import opencc

from archive.demo import people

_SHIELD = "\ue000"  # a private-use character OpenCC passes through untouched
_GIVEN = sorted(
    {g for names in people.GIVEN_NAMES.values() for g, _ in names} | {g for g, *_ in people.GIVEN_FOR_HEIRS}
)
_SURNAME_YU = re.compile("余(?=[氏家门某伯]|" + "|".join(_GIVEN) + ")")


@functools.cache
def _converter(config: str) -> Any:
    return opencc.OpenCC(config)


def to_traditional(text: str, variant: str = "hk") -> str:
    """Simplified to traditional Chinese, Hong Kong (`hk`) or Taiwan (`tw`) standard."""
    shielded = _SURNAME_YU.sub(_SHIELD, text)
    return str(_converter(f"s2{variant}").convert(shielded)).replace(_SHIELD, "余")
