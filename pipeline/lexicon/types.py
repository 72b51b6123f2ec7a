"""Type words: the nouns that announce a place name (`xã Chiềng Sinh`, `đường Tô Hiệu`).

Shared by the data builders in `scripts/` and the matcher, so a name mined after a type
word is looked up after the same type word. Lowercase NFC, old tone style.
"""

from __future__ import annotations

# Administrative units (the 2025 merger keeps tỉnh/thành phố over phường/xã/đặc khu).
ADMIN_TYPES: frozenset[str] = frozenset(
    {
        "tỉnh",
        "thành phố",
        "huyện",
        "quận",
        "thị xã",
        "thị trấn",
        "phường",
        "xã",
        "đặc khu",
    }
)

# Places below the commune and natural features; `bản`/`mường` are the Thai and Lao
# villages and districts of the north-west. Not `cầu` (bridge): `yêu cầu Sở ...`.
PLACE_TYPES: frozenset[str] = frozenset(
    {
        "đường",
        "phố",
        "ngõ",
        "hẻm",
        "bản",
        "thôn",
        "xóm",
        "ấp",
        "làng",
        "buôn",
        "mường",
        "hồ",
        "suối",
        "sông",
        "núi",
        "đèo",
        "chợ",
        "đảo",
        "vịnh",
        "bến",
        "đồi",
        "thác",
        "cửa khẩu",
        "quảng trường",
        "khu đô thị",
    }
)

TYPE_WORDS: frozenset[str] = ADMIN_TYPES | PLACE_TYPES

# Not a word of the text: what stands for a type word before the place an administrative
# document is issued at, which opens its date line (`Sơn La, ngày 15 tháng 3 năm 2024`;
# `vnocr.lexicon.spans.place_of_issue`). A unit of any type fits it.
PLACE_OF_ISSUE = "<nơi ban hành>"

# Type words that are also the first syllable of common names (Hồ Chí Minh, Bến Tre):
# inside a capitalised run they are kept as part of the name as well as stripped.
AMBIGUOUS_TYPES: frozenset[str] = frozenset({"hồ", "bến", "chợ", "đồi", "làng", "sông"})

MAX_TYPE_TOKENS = max(len(t.split()) for t in TYPE_WORDS)
