"""Every reader, fed arbitrary bytes and damaged real files, gives only cosynth's own errors.

Issue 10, "Bad input, fuzzed". A file a team member uploads (an export from a
database, a transcript, an instrument they wrote, an archive from a colleague)
either reads, or is refused with a `CosynthError` that the CLI and the web
pages show in plain words; a `KeyError` or a hang there is a crash the person
cannot act on. The examples are bounded so the file runs in seconds; the
coverage-guided fuzzer (fuzz/run.py) runs the same targets for minutes.
"""

from __future__ import annotations

import os

import pytest
from fuzz.targets import seeds_of, targets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.timebox import only_cosynth_errors

NAMES = sorted(targets())

# 25 examples a test in the suite (the file runs in seconds); a longer search by hand:
# COSYNTH_FUZZ_EXAMPLES=2000 pytest tests/fuzz/test_readers_fuzzed.py
bounded = settings(
    max_examples=int(os.environ.get("COSYNTH_FUZZ_EXAMPLES", "25")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def damaged(draw: st.DrawFn, seed: bytes) -> bytes:
    """A real file damaged the ways files are: cut short, bytes flipped, lost, doubled, spliced."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        if not data:
            data.extend(draw(st.binary(min_size=1, max_size=16)))
            continue
        at = draw(st.integers(min_value=0, max_value=len(data) - 1))
        how = draw(st.sampled_from(["cut", "flip", "drop", "insert", "repeat", "special"]))
        if how == "cut":
            del data[at:]
        elif how == "flip":
            data[at] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif how == "drop":
            del data[at : at + draw(st.integers(min_value=1, max_value=64))]
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif how == "repeat":
            data[at:at] = data[at : at + draw(st.integers(min_value=1, max_value=256))]
        else:
            data[at:at] = draw(st.sampled_from(_SPECIAL))
    return bytes(data)


# Bytes that sit at the edges readers branch on: quotes, brackets, separators, tags,
# byte-order marks, odd digits and numbers, XML and TOML punctuation.
_SPECIAL = [
    b'"',
    b"{",
    b"}",
    b"[",
    b"]]",
    b",",
    b"\t",
    b"\r",
    b"\n\n",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"TY  - ",
    b"ER  - ",
    b"PMID- ",
    b"@article{",
    b"<record>",
    b"</record>",
    b"&#x0;",
    b"-->",
    b"00:00:00.000 --> ",
    b"\xc2\xb2",
    b"9" * 30,
    b"-1",
    b"1e999",
    b"nan",
    b" = ",
    b"\\",
]


@pytest.mark.parametrize("name", NAMES)
def test_it_gives_only_cosynth_errors_for_arbitrary_bytes(name: str) -> None:
    run = targets()[name].run

    @bounded
    @given(st.binary(max_size=2048))
    def check(data: bytes) -> None:
        only_cosynth_errors(run, data, name)

    check()


@pytest.mark.parametrize("name", NAMES)
def test_it_gives_only_cosynth_errors_for_damaged_real_files(name: str) -> None:
    seeds = list(seeds_of(name))
    assert seeds, f"the fuzz target {name} has no seed file to damage"
    run = targets()[name].run

    @bounded
    @given(st.sampled_from(seeds).flatmap(damaged))
    def check(data: bytes) -> None:
        only_cosynth_errors(run, data, name)

    check()


@pytest.mark.parametrize("name", NAMES)
def test_it_reads_every_seed_without_an_error(name: str) -> None:
    """The seeds are good files, so damage is what the other tests add, not a bad start."""
    for seed in seeds_of(name):
        targets()[name].run(seed)
