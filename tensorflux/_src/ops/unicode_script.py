"""ICU script codes (UScriptCode) of code points, worked out from Unicode character names.

Python ships no Script property, so a character's script is read from its name ("GREEK SMALL
LETTER ALPHA" is Greek); names that name no known script are Common, combining marks Inherited.
Characters of scripts outside the table raise NotImplementedError rather than guess.
"""

from __future__ import annotations

import functools
import unicodedata

COMMON, INHERITED, UNKNOWN = 0, 1, 103

# Name prefix -> ICU UScriptCode, for the scripts of ICU's first 63 codes.
_SCRIPTS = {
    "ARABIC": 2, "ARMENIAN": 3, "BENGALI": 4, "BOPOMOFO": 5, "CHEROKEE": 6, "COPTIC": 7,
    "CYRILLIC": 8, "DESERET": 9, "DEVANAGARI": 10, "ETHIOPIC": 11, "GEORGIAN": 12, "GOTHIC": 13,
    "GREEK": 14, "GUJARATI": 15, "GURMUKHI": 16, "CJK UNIFIED IDEOGRAPH": 17,
    "CJK COMPATIBILITY IDEOGRAPH": 17, "CJK RADICAL": 17, "KANGXI RADICAL": 17, "HANGUL": 18,
    "HEBREW": 19, "HIRAGANA": 20, "KANNADA": 21, "KATAKANA": 22, "KHMER": 23, "LAO": 24,
    "LATIN": 25, "MALAYALAM": 26, "MONGOLIAN": 27, "MYANMAR": 28, "OGHAM": 29, "OLD ITALIC": 30,
    "ORIYA": 31, "RUNIC": 32, "SINHALA": 33, "SYRIAC": 34, "TAMIL": 35, "TELUGU": 36,
    "THAANA": 37, "THAI": 38, "TIBETAN": 39, "CANADIAN SYLLABICS": 40, "YI SYLLABLE": 41,
    "YI RADICAL": 41, "TAGALOG": 42, "HANUNOO": 43, "BUHID": 44, "TAGBANWA": 45,
    "BRAILLE PATTERN": 46, "CYPRIOT": 47, "LIMBU": 48, "LINEAR B": 49, "OSMANYA": 50,
    "SHAVIAN": 51, "TAI LE": 52, "UGARITIC": 53, "BUGINESE": 55, "GLAGOLITIC": 56,
    "KHAROSHTHI": 57, "SYLOTI NAGRI": 58, "NEW TAI LUE": 59, "TIFINAGH": 60, "OLD PERSIAN": 61,
    "BALINESE": 62,
}  # fmt: skip
_WIDTH = ("FULLWIDTH ", "HALFWIDTH ")
# Blocks whose non-letters are all Common (punctuation, symbols, digits, arrows, emoji...).
_COMMON_BLOCKS = (
    (0x0000, 0x02FF), (0x2000, 0x2E7F), (0x3000, 0x303F), (0xFE10, 0xFE6F), (0xFF00, 0xFFEF),
    (0x1F000, 0x1FBFF),
)  # fmt: skip
# Characters whose script their name does not tell (shared punctuation, marks, numerals).
_OVERRIDES = (
    (0x2EA, 0x2EB, 5), (0x342, 0x345, 1), (0x374, 0x374, 0), (0x37E, 0x37E, 0),
    (0x385, 0x385, 0), (0x387, 0x387, 0), (0x485, 0x486, 1), (0x605, 0x605, 0),
    (0x60C, 0x60C, 0), (0x61B, 0x61B, 0), (0x61F, 0x61F, 0), (0x640, 0x640, 0),
    (0x6DD, 0x6DD, 0), (0x8E2, 0x8E2, 0), (0x964, 0x965, 0), (0xE3F, 0xE3F, 0),
    (0x10FB, 0x10FB, 0), (0x16EB, 0x16ED, 0), (0x1802, 0x1803, 0), (0x1805, 0x1805, 0),
    (0x200C, 0x200D, 1), (0x2160, 0x2188, 25), (0x271D, 0x271D, 0), (0x3007, 0x3007, 17),
    (0x3021, 0x3029, 17), (0x3038, 0x303A, 17), (0x30FB, 0x30FB, 0), (0xFF65, 0xFF65, 0),
    (0xFF9E, 0xFF9F, 0), (0x102E1, 0x102FB, 0), (0x1F200, 0x1F200, 20), (0x64B, 0x655, 1),
    (0x670, 0x670, 1),
    (0x951, 0x954, 1), (0x102E0, 0x102E0, 1), (0x3099, 0x309A, 1), (0x309B, 0x309C, 0),
    (0x30A0, 0x30A0, 0), (0x30FC, 0x30FC, 0), (0xFF70, 0xFF70, 0),
)  # fmt: skip


def _by_name(name: str):
    for w in _WIDTH:
        if name.startswith(w):
            name = name[len(w) :]
    for prefix, code in _SCRIPTS.items():
        if name.startswith(prefix) and name[len(prefix) : len(prefix) + 1] in ("", " ", "-"):
            return code
    return None


@functools.lru_cache(maxsize=4096)
def script_code(c: int) -> int:
    """The script code of code point `c`: -1 when out of range, 103 (Unknown) if unassigned."""
    if not 0 <= c <= 0x10FFFF:
        return -1
    ch = chr(c)
    cat = unicodedata.category(ch)
    if cat in ("Cn", "Co", "Cs"):
        return UNKNOWN
    name = unicodedata.name(ch, "")
    for lo, hi, code in _OVERRIDES:
        if lo <= c <= hi:
            return code
    code = _by_name(name)
    if code is not None:
        return code
    if cat in ("Mn", "Me") and name.startswith("COMBINING ") and c < 0x10000:
        inner = _by_name(name[len("COMBINING ") :])
        return INHERITED if inner in (None, 14, 25) else inner
    if cat[0] not in "LM" and name and any(a <= c <= b for a, b in _COMMON_BLOCKS):
        return COMMON
    if True:
        raise NotImplementedError(
            f"tf.strings.unicode_script: the script of U+{c:04X} ({name or 'unnamed'}) is not "
            "known to tensorflux yet"
        )
    return COMMON
