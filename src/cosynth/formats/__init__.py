"""Bytes <-> `domain.Citation`: the readers and writers of bibliographic exports.

Readers and writers are plugins: the built-ins register through the same
entry-point groups (`cosynth.readers`, `cosynth.writers`) a third party uses.
"""

from cosynth.formats.base import Document, Entry, Reader, Writer
from cosynth.formats.registry import detect_reader, get_reader, get_writer, readers, writers

__all__ = [
    "Document",
    "Entry",
    "Reader",
    "Writer",
    "detect_reader",
    "get_reader",
    "get_writer",
    "readers",
    "writers",
]
