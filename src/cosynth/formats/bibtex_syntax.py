"""Splitting a BibTeX file into entries and their fields, tolerantly.

The grammar is BibTeX's own (Patashnik, "BibTeXing", 1988, section 2 and
appendix B; Kime et al., biblatex manual section 2): `@type{key, name = value,
...}` or with parentheses; values in braces, in quotes, bare numbers or
`@string` macros, joined with `#`; anything outside an entry is a comment;
`@comment` and `@preamble` carry nothing bibliographic. Real exports stretch
it, so this parser also accepts field names with spaces (Scopus writes
`funding_text 1`), a space between the type and the brace, and a missing comma
between two fields. A broken entry becomes a `SyntaxProblem` naming its line
and the parser carries on at the next line that starts with `@`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# The macros every BibTeX style defines (plain.bst and its kin).
_MONTHS: dict[str, str] = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}

_HEAD = re.compile(r"@[ \t]*([A-Za-z][\w:-]*)[ \t\n]*([{(])")
_SPACE = re.compile(r"\s*")
# Keys may not hold spaces, but Scopus writes "Conference paper2022775": a key
# runs to the comma on its own line.
_KEY = re.compile(r"[^,{}()=\"#\n]*")
_FIELD_NAME = re.compile(r"([^\s=,{}()\"#@][^=,{}()\"#@\n]*?)\s*=\s*")
# Most fields need no macro, nesting or "#": one match reads them whole.
_SIMPLE_FIELD = re.compile(
    r"([^\s=,{}()\"#@][^=,{}()\"#@\n]*?)[ \t\n]*=[ \t\n]*"
    r"(?:\{([^{}]*)\}|\"([^{}\"]*)\"|(\d+))(?=[ \t\n]*[,})])"
)
_NUMBER = re.compile(r"\d+")
_MACRO = re.compile(r"[A-Za-z_][\w\-:.+/']*")
# An entry start at the beginning of a line: where a damaged entry surely ended.
_NEXT_ENTRY = re.compile(r"^[ \t]*@[ \t]*[A-Za-z][\w:-]*[ \t]*[{(]", re.MULTILINE)
_LINE_AT = re.compile(r"^[ \t]*@", re.MULTILINE)
_IN_BRACES = re.compile(r"[{}]|\n[ \t]*@[ \t]*[A-Za-z][\w:-]*[ \t]*[{(]")
_IN_QUOTES = re.compile(r"[{}\"]|\n[ \t]*@[ \t]*[A-Za-z][\w:-]*[ \t]*[{(]")


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One entry: its type (lower case), key, and fields in file order, repeats kept.

    Field values are the text inside the delimiters after macro expansion and
    `#` joining, with inner braces and LaTeX left in place.
    """

    kind: str
    key: str
    fields: tuple[tuple[str, str], ...]
    line: int
    raw: str


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """An entry that could not be parsed, with the line it starts on and why."""

    line: int
    raw: str
    reason: str


class _Broken(Exception):
    """Raised inside the parser to abandon one entry."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BibtexParser:
    """Iterates over the entries of one BibTeX text, remembering `@string` macros."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.macros: dict[str, str] = dict(_MONTHS)
        self._line = 1
        self._line_pos = 0
        self._value_start = 0

    def __iter__(self) -> Iterator[RawEntry | SyntaxProblem]:
        text = self.text
        while True:
            at = text.find("@", self.pos)
            if at < 0:
                return
            head = _HEAD.match(text, at)
            if head is None:
                # An "@" in comment text (an e-mail address, say) starts nothing.
                self.pos = at + 1
                continue
            line = self._line_of(at)
            kind = head.group(1).lower()
            closer = "}" if head.group(2) == "{" else ")"
            self.pos = head.end()
            try:
                found = self._block(kind, closer, line, at)
            except _Broken as broken:
                yield SyntaxProblem(line, self._damaged_raw(at), broken.reason)
                continue
            if found is not None:
                yield found

    def _line_of(self, pos: int) -> int:
        self._line += self.text.count("\n", self._line_pos, pos)
        self._line_pos = pos
        return self._line

    def _damaged_raw(self, at: int) -> str:
        """The text of a broken entry, up to the next line starting with "@"; resume there."""
        following = _LINE_AT.search(self.text, at + 1)
        end = following.start() if following else len(self.text)
        self.pos = end
        return self.text[at:end].rstrip()

    def _block(self, kind: str, closer: str, line: int, at: int) -> RawEntry | None:
        if kind in ("comment", "preamble"):
            self._skip_group(closer, line)
            return None
        if kind == "string":
            name, value = self._field(closer, line)
            self._expect_close(closer, name)
            self.macros[name] = value
            return None
        key = self._key()
        fields = self._fields(closer, key, line)
        return RawEntry(kind, key, tuple(fields), line, self.text[at : self.pos])

    def _skip(self) -> None:
        found = _SPACE.match(self.text, self.pos)
        assert found is not None  # "\s*" always matches
        self.pos = found.end()

    def _peek(self) -> str:
        return self.text[self.pos : self.pos + 1]

    def _key(self) -> str:
        self._skip()
        start = self.pos
        found = _KEY.match(self.text, self.pos)
        assert found is not None  # the pattern matches the empty string
        self.pos = found.end()
        self._skip()
        key = found.group(0).strip()
        if self._peek() == "=":
            words = key.split()
            if len(words) > 1:
                # "key title = ...": a key, then a field after a missing comma.
                self.pos = self.text.index(words[0], start) + len(words[0])
                return words[0]
            # No key at all: the first thing is already a field.
            self.pos = start
            return ""
        return key

    def _fields(self, closer: str, key: str, line: int) -> list[tuple[str, str]]:
        fields: list[tuple[str, str]] = []
        self._skip()
        nxt = self._peek()
        if nxt == closer:
            self.pos += 1
            return fields
        if nxt == "," or not key:
            self.pos += 1 if nxt == "," else 0
        else:
            raise _Broken(f"expected a comma after the citation key {key!r}")
        while True:
            self._skip()
            nxt = self._peek()
            if nxt == closer:
                self.pos += 1
                return fields
            if not nxt:
                raise _Broken(f"the entry that starts on line {line} is never closed")
            if _NEXT_ENTRY.match(self.text, self.pos):
                raise _Broken(
                    "the entry is not closed before the next entry starts: "
                    f"a closing {closer!r} is missing"
                )
            if fields and not _FIELD_NAME.match(self.text, self.pos):
                self._mend_last(fields, closer)
                continue
            fields.append(self._simple_field() or self._field(closer, line))
            self._skip()
            nxt = self._peek()
            if nxt == ",":
                self.pos += 1
            elif nxt == "@" and _NEXT_ENTRY.match(self.text, self.pos):
                continue  # reported at the top of the loop
            elif nxt != closer and not _FIELD_NAME.match(self.text, self.pos):
                # A missing comma before another "name =" is forgiven: the
                # meaning is plain. Anything else needs mending.
                self._mend_last(fields, closer)

    def _mend_last(self, fields: list[tuple[str, str]], closer: str) -> None:
        """Mend the last field when text follows its value that is neither a field nor an end.

        That is a value whose braces closed too early (EBSCO writes scraped
        web page code into keywords). Exports put one field per line, so the
        value is taken to the last "}" of the line where the stray text is.
        """
        name = fields[-1][0]
        mended = self._mended(self._value_start)
        if mended is None:
            snippet = self.text[self.pos : self.pos + 20].split("\n", 1)[0]
            raise _Broken(
                f"expected a comma or {closer!r} after the field {name!r}, found {snippet!r}"
            )
        fields[-1] = (name, mended)
        self._skip()
        if self._peek() == ",":
            self.pos += 1

    def _simple_field(self) -> tuple[str, str] | None:
        """The common case in one match: `name = {text}`, `"text"` or a number, no nesting."""
        found = _SIMPLE_FIELD.match(self.text, self.pos)
        if found is None:
            return None
        name = " ".join(found.group(1).lower().split())
        self.pos = found.end()
        braced = found.group(2)
        if braced is not None:
            self._value_start = found.start(2) - 1
            return name, braced
        self._value_start = found.start(3) - 1
        quoted = found.group(3)
        return name, quoted if quoted is not None else found.group(4)

    def _field(self, closer: str, line: int) -> tuple[str, str]:
        self._skip()
        found = _FIELD_NAME.match(self.text, self.pos)
        if found is None:
            snippet = self.text[self.pos : self.pos + 20].split("\n", 1)[0]
            raise _Broken(f"expected a field name and '=', found {snippet!r}")
        name = " ".join(found.group(1).lower().split())
        self.pos = found.end()
        self._value_start = self.pos
        return name, self._value(name, closer, line)

    def _mended(self, start: int) -> str | None:
        """The braced value starting at `start` taken to the last "}" of the current line."""
        text = self.text
        if text[start : start + 1] != "{":
            return None
        line_end = text.find("\n", self.pos)
        line_end = len(text) if line_end < 0 else line_end
        if not text[self.pos : line_end].rstrip().endswith(("}", "},")):
            return None
        close = text.rfind("}", self.pos, line_end)
        self.pos = close + 1
        return text[start + 1 : close]

    def _value(self, name: str, closer: str, line: int) -> str:
        pieces: list[str] = []
        while True:
            self._skip()
            pieces.append(self._piece(name, closer, line))
            self._skip()
            if self._peek() != "#":
                return "".join(pieces)
            self.pos += 1

    def _piece(self, name: str, closer: str, line: int) -> str:
        text = self.text
        nxt = self._peek()
        if nxt == "{":
            return self._delimited(_IN_BRACES, name, line)
        if nxt == '"':
            return self._delimited(_IN_QUOTES, name, line)
        number = _NUMBER.match(text, self.pos)
        if number:
            self.pos = number.end()
            return number.group(0)
        macro = _MACRO.match(text, self.pos)
        if macro:
            self.pos = macro.end()
            word = macro.group(0)
            # An undefined macro is kept as its own name rather than lost.
            return self.macros.get(word.lower(), word)
        shown = nxt if nxt and nxt != closer else "nothing"
        raise _Broken(f"the field {name!r} has no value (found {shown!r})")

    def _delimited(self, stops: re.Pattern[str], name: str, line: int) -> str:
        """Read a `{...}` or `"..."` value whose opening delimiter is at `self.pos`."""
        text = self.text
        opener = text[self.pos]
        start = self.pos + 1
        depth = 0
        search_from = start
        while True:
            found = stops.search(text, search_from)
            if found is None or len(found.group(0)) > 1:
                where = "before the next entry" if found else "before the end of the file"
                raise _Broken(
                    f"the value of the field {name!r} is not closed {where}: "
                    "a brace or quote is missing"
                )
            char = found.group(0)
            search_from = found.end()
            if char == "{":
                depth += 1
            elif char == "}":
                if depth == 0 and opener == "{":
                    self.pos = found.end()
                    return text[start : found.start()]
                if depth == 0:
                    raise _Broken(f"the value of the field {name!r} has an unmatched '}}'")
                depth -= 1
            elif depth == 0:  # the closing quote
                self.pos = found.end()
                return text[start : found.start()]

    def _skip_group(self, closer: str, line: int) -> None:
        """Skip the body of `@comment{...}` or `@preamble{...}` up to its closer."""
        text = self.text
        depth = 0
        pos = self.pos
        while pos < len(text):
            char = text[pos]
            if char == "{" or (char == "(" and closer == ")"):
                depth += 1
            elif char in (closer, "}"):
                if depth == 0:
                    self.pos = pos + 1
                    return
                depth -= 1
            elif char == "\n" and _NEXT_ENTRY.match(text, pos + 1):
                break
            pos += 1
        raise _Broken(f"the block that starts on line {line} is never closed")

    def _expect_close(self, closer: str, name: str) -> None:
        self._skip()
        if self._peek() == ",":
            self.pos += 1
            self._skip()
        if self._peek() != closer:
            raise _Broken(f"expected {closer!r} after the @string {name!r}")
        self.pos += 1
