"""`tf.strings.regex_full_match` and `regex_replace`: RE2 patterns and rewrites run with Python's
`re`, translating the syntax differences.

Strings are matched as text (UTF-8 decoded, undecodable bytes kept as surrogates) so that `.`
matches one character as in RE2; `\\d`, `\\w`, `\\s`, `\\b` are ASCII-only, as in RE2.
"""

from __future__ import annotations

import functools
import re

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.ops.string_ops import (
    _all_strings,
    _string_rule,
    as_bytes,
    map_strings,
    strings,
)

_POSIX = {
    "alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
    "space": r" \t\n\v\f\r", "blank": r" \t", "xdigit": "0-9A-Fa-f", "word": r"\w",
    "punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"), "cntrl": r"\x00-\x1f\x7f",
    "print": r" -~", "graph": r"!-~", "ascii": r"\x00-\x7f",
}  # fmt: skip


def to_text(s: bytes) -> str:
    return s.decode("utf-8", "surrogateescape")


def to_bytes(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def _translate(pattern: str) -> str:
    out = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt == "z":
                out.append(r"\Z")
            elif nxt in "pP":
                raise NotImplementedError(
                    f"Unicode classes (\\{nxt}) in RE2 patterns are not supported yet: {pattern}"
                )
            elif nxt == "C":
                out.append(".")
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if c == "[" and pattern.startswith("[:", i):
            end = pattern.find(":]", i + 2)
            name = pattern[i + 2 : end] if end > 0 else ""
            neg = name.startswith("^")
            cls = _POSIX.get(name.lstrip("^"))
            if cls is not None and not neg:
                out.append(cls)
                i = end + 2
                continue
        out.append(c)
        i += 1
    return "".join(out)


@functools.lru_cache(maxsize=256)
def compile_re2(pattern: bytes) -> re.Pattern:
    text = to_text(pattern)
    try:
        return re.compile(_translate(text), re.ASCII)
    except re.error as e:
        raise InvalidArgumentError(None, None, f"Invalid pattern: {text}, error: {e}") from None


@functools.lru_cache(maxsize=256)
def rewriter(rewrite: bytes):
    """An `re.sub` replacement function for an RE2 rewrite (`\\0`-`\\9` groups, `\\\\`)."""
    text = to_text(rewrite)
    parts: list = []  # str pieces and int group numbers
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            nxt = text[i + 1 : i + 2]
            if nxt.isdigit():
                parts.append(int(nxt))
            elif nxt == "\\":
                parts.append("\\")
            else:
                raise InvalidArgumentError(None, None, f"Invalid rewrite pattern: {text}")
            i += 2
            continue
        parts.append(c)
        i += 1

    def fn(m: re.Match) -> str:
        return "".join(p if isinstance(p, str) else (m.group(p) or "") for p in parts)

    return fn


# ------------------------------------------------------------------ regex

RegexFullMatch = defop(
    "RegexFullMatch",
    infer=Rule(
        lambda dts, a: (_all_strings(dts, a), dtypes.bool)[1], lambda inputs, a: inputs[0].shape
    ),  # fmt: skip
    host_inputs=(1,),
)
StaticRegexFullMatch = defop("StaticRegexFullMatch", infer=_string_rule(dtypes.bool))
RegexReplace = defop(
    "RegexReplace",
    infer=Rule(_all_strings, lambda inputs, a: inputs[0].shape),
    host_inputs=(1, 2),
)
StaticRegexReplace = defop("StaticRegexReplace", infer=_string_rule())


def _full_match(x, pattern):
    rx = compile_re2(as_bytes(pattern))
    return map_strings(x, lambda s: rx.fullmatch(to_text(s)) is not None, bool)


def _replace(x, pattern, rewrite, replace_global):
    rx = compile_re2(as_bytes(pattern))
    fn = rewriter(as_bytes(rewrite))
    count = 0 if replace_global else 1
    return map_strings(x, lambda s: to_bytes(rx.sub(fn, to_text(s), count=count)))


@RegexFullMatch.kernel
def _(xp, x, pattern):
    return _full_match(x, np.asarray(pattern).reshape(()).item())


@StaticRegexFullMatch.kernel
def _(xp, x, pattern):
    return _full_match(x, pattern)


@RegexReplace.kernel
def _(xp, x, pattern, rewrite, replace_global=True):
    p, r = np.asarray(pattern).reshape(()).item(), np.asarray(rewrite).reshape(()).item()
    return _replace(x, p, r, replace_global)


@StaticRegexReplace.kernel
def _(xp, x, pattern, rewrite, replace_global=True):
    return _replace(x, pattern, rewrite, replace_global)


def regex_full_match(input, pattern, name=None):
    """Whether each string matches the RE2 `pattern` entirely."""
    x = strings(input)
    if isinstance(pattern, (str, bytes)):
        return StaticRegexFullMatch(x, pattern=as_bytes(pattern).decode("utf-8"), name=name)
    return RegexFullMatch(x, strings(pattern, "pattern"), name=name)


def regex_replace(input, pattern, rewrite, replace_global=True, name=None):
    """Replaces matches of the RE2 `pattern` with `rewrite` (`\\1`: a group, `\\0`: the match)."""
    x = strings(input)
    if isinstance(pattern, (str, bytes)) and isinstance(rewrite, (str, bytes)):
        return StaticRegexReplace(
            x, pattern=as_bytes(pattern).decode("utf-8"),
            rewrite=as_bytes(rewrite).decode("utf-8"), replace_global=replace_global, name=name,
        )  # fmt: skip
    return RegexReplace(
        x, strings(pattern, "pattern"), strings(rewrite, "rewrite"),
        replace_global=replace_global, name=name,
    )  # fmt: skip


not_differentiable(RegexFullMatch, StaticRegexFullMatch, RegexReplace, StaticRegexReplace)
