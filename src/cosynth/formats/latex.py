"""LaTeX markup in BibTeX values made into plain Unicode text, and back.

BibTeX values are LaTeX: accents are commands (`{\\"u}`, `\\'{e}`), special
characters are escaped (`\\&`, `\\%`), braces protect capitals, `--` is an en
dash and `~` a non-breaking space. Screening needs the text a reader sees, so
readers decode it; the BibTeX writer encodes plain text so that the decoder
gives it back unchanged. Only the commands that occur in real exports are
known; any other command is dropped and its braced argument kept as text.
Web of Science, IEEE and publisher exports also leave HTML character
references (`&apos;`, `&#x0027;`) in values; `unescape_entities` decodes those.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Accent commands and the Unicode combining mark each one puts on its letter
# (LaTeX2e font encoding guide, "Accents": \` \' \^ \" \~ \= \. \u \v \H \c
# \k \r \d \b \t).
_ACCENTS: dict[str, str] = {
    "`": "\u0300",
    "'": "\u0301",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    "u": "\u0306",
    ".": "\u0307",
    '"': "\u0308",
    "r": "\u030a",
    "H": "\u030b",
    "v": "\u030c",
    "d": "\u0323",
    "c": "\u0327",
    "k": "\u0328",
    "b": "\u0331",
    "t": "\u0361",
}

# Commands that stand for a character or a word.
_SYMBOLS: dict[str, str] = {
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "o": "ø",
    "O": "Ø",
    "l": "ł",
    "L": "Ł",
    "ss": "ß",
    "i": "\u0131",
    "j": "\u0237",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "textendash": "\u2013",
    "textemdash": "\u2014",
    "textquoteleft": "\u2018",
    "textquoteright": "\u2019",
    "textquotedblleft": "\u201c",
    "textquotedblright": "\u201d",
    "textbackslash": "\\",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textunderscore": "_",
    "textdollar": "$",
    "textregistered": "®",
    "textcopyright": "©",
    "copyright": "©",
    "texttrademark": "™",
    "textdegree": "°",
    "textperiodcentered": "·",
    "S": "§",
    "P": "¶",
    "pounds": "£",
    "euro": "€",
    "dag": "†",
    "ddag": "‡",
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "slash": "/",
    "hyphen": "-",
    "TeX": "TeX",
    "LaTeX": "LaTeX",
    "BibTeX": "BibTeX",
    "alpha": "\u03b1",
    "beta": "\u03b2",
    "gamma": "\u03b3",
    "delta": "\u03b4",
    "epsilon": "\u03b5",
    "kappa": "\u03ba",
    "lambda": "\u03bb",
    "mu": "\u03bc",
    "pi": "\u03c0",
    "sigma": "\u03c3",
    "tau": "\u03c4",
    "chi": "\u03c7",
    "omega": "\u03c9",
    "times": "\u00d7",
    "pm": "±",
    "le": "≤",
    "ge": "≥",
    "quad": " ",
    "qquad": " ",
}

# A backslash followed by one of these is the character itself.
_ESCAPED = frozenset("&%$#_{}")
# Control spaces and line breaks: `\ `, `\,`, `\;`, `\\`; `\-` is a soft hyphen.
_SPACES = frozenset(" ,;:!\\\n\t")

_SPECIAL = re.compile(r"[\\{}$~]|--")
_TOKEN = re.compile(r"\\([A-Za-z]+)[ \t\n]*|\\(.)|[{}$~]", re.DOTALL)


def latex_to_text(value: str, *, dashes: bool = True) -> str:
    """Decode LaTeX accents, escapes and braces in `value` to plain Unicode.

    With `dashes`, `---` becomes an em dash and `--` an en dash as LaTeX sets
    them; page ranges pass False and get a plain hyphen instead.
    """
    if not _SPECIAL.search(value):
        return value
    return _Decoder(value, dashes).run()


def unescape_verbatim(value: str) -> str:
    """Undo only the escapes BibTeX writers put into URLs and DOIs (`\\_`, `\\%`, braces)."""
    if "\\" not in value and "{" not in value:
        return value
    out = re.sub(r"\\([&%$#_{}~])", r"\1", value)
    return out.replace("{", "").replace("}", "")


class _Decoder:
    """One pass over a value: text between LaTeX tokens is copied, tokens translated."""

    def __init__(self, text: str, dashes: bool) -> None:
        self.text = text
        self.dashes = dashes
        self.pos = 0
        self.out: list[str] = []

    def run(self) -> str:
        text = self.text
        while True:
            found = _TOKEN.search(text, self.pos)
            if found is None:
                self._copy(text[self.pos :])
                return "".join(self.out)
            self._copy(text[self.pos : found.start()])
            self.pos = found.end()
            self.out.append(self._token(found))

    def _copy(self, chunk: str) -> None:
        if "--" in chunk:
            # Dashes are ligatures of adjacent hyphens only: "-{}-" stays two
            # hyphens, which is how the writer protects a literal "--".
            if self.dashes:
                chunk = chunk.replace("---", "\u2014").replace("--", "\u2013")
            else:
                chunk = re.sub(r"-{2,}", "-", chunk)
        self.out.append(chunk)

    def _token(self, found: re.Match[str]) -> str:
        word, char = found.group(1), found.group(2)
        if word is not None:
            if word in _ACCENTS:
                return self._accent(_ACCENTS[word])
            return _SYMBOLS.get(word, "")
        if char is not None:
            if char in _ACCENTS:
                return self._accent(_ACCENTS[char])
            if char in _ESCAPED:
                return char
            if char in _SPACES:
                return " "
            return ""
        # "~" is a non-breaking space; "$" opens or closes maths; braces only group.
        return " " if found.group(0) == "~" else ""

    def _accent(self, mark: str) -> str:
        """Put `mark` on the first letter of the accent's argument (`{u}`, `u` or `\\i`)."""
        text = self.text
        while self.pos < len(text) and text[self.pos] in " \t":
            self.pos += 1
        if self.pos >= len(text):
            return ""
        if text[self.pos] == "{":
            close = _matching_brace(text, self.pos)
            argument = latex_to_text(text[self.pos + 1 : close], dashes=self.dashes)
            self.pos = close + 1
        elif text[self.pos] == "\\":
            found = _TOKEN.match(text, self.pos)
            assert found is not None  # a backslash always starts a token
            self.pos = found.end()
            argument = self._token(found)
        else:
            argument = text[self.pos]
            self.pos += 1
        if not argument:
            return ""
        # A dotless i or j under an accent is how LaTeX writes an accented i or j.
        base = {"\u0131": "i", "\u0237": "j"}.get(argument[0], argument[0])
        # Only the accented letter is composed (NFC); the rest of the value is
        # left exactly as written.
        return unicodedata.normalize("NFC", base + mark) + argument[1:]


def _matching_brace(text: str, start: int) -> int:
    """The index of the brace closing the one at `start` (the end when unbalanced)."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
    return len(text)


_ENCODE = {
    "\\": "\\textbackslash{}",
    "{": "\\textbraceleft{}",
    "}": "\\textbraceright{}",
    "&": "\\&",
    "%": "\\%",
    "$": "\\$",
    "#": "\\#",
    "_": "\\_",
    "~": "\\textasciitilde{}",
    "^": "\\textasciicircum{}",
}
_NEEDS_ENCODING = re.compile(r"[\\{}&%$#_~^]|-(?=-)")


def text_to_latex(value: str) -> str:
    """Escape plain text for a braced BibTeX value that `latex_to_text` reads back unchanged.

    Braces are written as commands rather than `\\{`, because BibTeX counts
    even escaped braces when it matches a value's delimiters.
    """
    return _NEEDS_ENCODING.sub(lambda found: _ENCODE.get(found.group(0), "-{}"), value)


# An HTML character reference not escaped by a backslash: in BibTeX a literal
# ampersand is written "\\&", so "\\&amp;" is the text "&amp;", not an entity.
_ENTITY = re.compile(r"(?<!\\)&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def unescape_entities(value: str) -> str:
    """Decode complete HTML character references (`&amp;`, `&#169;`) and nothing else.

    `html.unescape` alone would also turn "&copy" without its semicolon into
    a symbol; requiring the semicolon keeps "R&D" and "&c" as written.
    """
    if "&" not in value:
        return value
    return _ENTITY.sub(lambda found: html.unescape(found.group(0)), value)


def escape_entities(value: str) -> str:
    """Protect text that looks like a character reference, so `unescape_entities` keeps it."""
    if "&" not in value:
        return value
    return _ENTITY.sub(lambda found: "&amp;" + found.group(0)[1:], value)


_VERBATIM_ENCODE = {"%": "\\%", "#": "\\#", "&": "\\&", "_": "\\_"}
_VERBATIM_PERCENT = {"{": "%7B", "}": "%7D", "\\": "%5C"}


def verbatim_to_latex(value: str) -> str:
    """Escape a URL or DOI for a BibTeX value that `unescape_verbatim` reads back.

    Braces and backslashes cannot be escaped inside a BibTeX value without
    upsetting its brace count, so in addresses they are percent-encoded as
    RFC 3986 section 2.1 allows.
    """
    out = []
    for char in value:
        out.append(_VERBATIM_ENCODE.get(char) or _VERBATIM_PERCENT.get(char) or char)
    return "".join(out)
