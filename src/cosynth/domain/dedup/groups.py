"""From records to duplicate groups: blocking, comparing, and clustering that cannot chain.

1. Records whose match keys are identical collapse into one node first, so
   10,000 copies of one record cost one comparison, not fifty million.
2. Blocking: each node is filed under several keys (DOI, PMID, exact title,
   the first and the last four title words, first author and year, volume and
   first page), so one missing or mistyped field does not hide a pair.
3. Each candidate pair is compared once (`compare.compare`).
4. Clustering takes the duplicate pairs strongest first and joins two groups
   only when every cross pair is compatible: weak links cannot chain records
   into a mega-group ("Editorial" + "Editorial introduction" + ...).
   Human decisions come first and are never overturned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from cosynth.domain.citation import Citation
from cosynth.domain.dedup.compare import Outcome, Verdict, compare
from cosynth.domain.dedup.keys import MatchKeys, match_keys

# A block larger than this is compared by a sliding window over its members
# sorted by title, not all pairs (a common surname in a common year).
MAX_BLOCK = 40
WINDOW = 8
# Words too common to make a title block specific ("the effect of ... in the ...").
_STOP_WORDS = frozenset(
    {
        "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on",
        "or", "the", "to", "with", "without", "versus", "vs",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Decision:
    """A person's decision on a pair (record positions in the run's input)."""

    a: int
    b: int
    duplicate: bool


@dataclass(frozen=True, slots=True)
class Pair:
    a: int
    b: int
    verdict: Verdict


@dataclass(frozen=True)
class Grouping:
    """The outcome of a de-duplication run over a sequence of citations."""

    groups: tuple[tuple[int, ...], ...]  # positions, sorted; each group has 2 or more
    evidence: tuple[Pair, ...]  # the pairs that joined each group
    uncertain: tuple[Pair, ...]  # pairs left for a human, with the reason
    pairs_compared: int
    conflicts: tuple[str, ...] = field(default=())  # human decisions that could not all hold


Progress = Callable[[int, int], None]


def find_duplicates(
    citations: Sequence[Citation],
    decisions: Iterable[Decision] = (),
    progress: Progress | None = None,
    *,
    deduplicated_sets: Sequence[int | None] = (),
) -> Grouping:
    """Group the citations that are the same work; list the pairs a human should decide.

    `deduplicated_sets` gives, per citation, the export it came from when that
    export was already de-duplicated (an earlier review's final library):
    two records of one such export are never put in one group.
    """
    keys = [match_keys(i, citation) for i, citation in enumerate(citations)]
    sets = list(deduplicated_sets) or [None] * len(keys)
    nodes, node_of = _collapse_identical(keys, sets)
    verdicts = _Verdicts(keys, nodes)
    human = _human_decisions(decisions, node_of)

    candidates = _candidate_pairs(keys, nodes)
    for extra in human:
        candidates.add(extra)
    ordered = sorted(candidates)
    for done, (a, b) in enumerate(ordered, 1):
        verdicts.get(a, b)
        if progress is not None and done % 5_000 == 0:
            progress(done, len(ordered))
    if progress is not None:
        progress(len(ordered), len(ordered))

    clusters = _Clusters(len(nodes), verdicts, human, [sets[members[0]] for members in nodes])
    conflicts = clusters.apply_human()
    clusters.apply_machine()

    groups, evidence = clusters.groups(nodes)
    uncertain = _uncertain(verdicts, clusters, human, nodes)
    return Grouping(
        groups=groups,
        evidence=tuple(evidence),
        uncertain=uncertain,
        pairs_compared=verdicts.compared,
        conflicts=tuple(conflicts),
    )


def _signature(key: MatchKeys) -> tuple[object, ...]:
    return (
        key.title, key.surnames, key.year, key.journal, key.volume, key.issue,
        key.first_page, key.dois, key.pmid, key.isbns, key.kind, key.part,
    )  # fmt: skip


def _collapse_identical(
    keys: list[MatchKeys], sets: list[int | None]
) -> tuple[list[list[int]], list[int]]:
    """Nodes of identical records (when identical records are duplicates at all)."""
    by_signature: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for key in keys:
        # Identical records of one already de-duplicated export stay apart.
        apart = (key.index,) if sets[key.index] is not None else ()
        by_signature[(*_signature(key), *apart)].append(key.index)
    nodes: list[list[int]] = []
    for members in by_signature.values():
        if len(members) > 1 and compare(keys[members[0]], keys[members[1]]).outcome is not (
            Outcome.DUPLICATE
        ):
            nodes.extend([member] for member in members)  # too little to go on: keep apart
        else:
            nodes.append(members)
    nodes.sort(key=lambda members: members[0])
    node_of = [0] * len(keys)
    for number, members in enumerate(nodes):
        for member in members:
            node_of[member] = number
    return nodes, node_of


def _blocking_keys(key: MatchKeys) -> Iterable[tuple[str, object]]:
    for doi in key.dois:
        yield "doi", doi
    if key.pmid:
        yield "pmid", key.pmid
    if key.title:
        yield "title", key.title
    significant = [word for word in key.title_words if word not in _STOP_WORDS]
    if len(significant) >= 4:
        yield "start", tuple(significant[:4])
        yield "end", tuple(significant[-4:])
    if key.first_surnames and key.year is not None:
        for surname in key.first_surnames:
            yield "author-year", (surname, key.year)
    if key.volume and key.first_page:
        yield "volume-page", (key.volume, key.first_page)


def _candidate_pairs(keys: list[MatchKeys], nodes: list[list[int]]) -> set[tuple[int, int]]:
    blocks: dict[tuple[str, object], list[int]] = defaultdict(list)
    for number, members in enumerate(nodes):
        for block in _blocking_keys(keys[members[0]]):
            blocks[block].append(number)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) <= MAX_BLOCK:
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    pairs.add((a, b))
            continue
        by_title = sorted(members, key=lambda n: keys[nodes[n][0]].title)
        for i, a in enumerate(by_title):
            for b in by_title[i + 1 : i + 1 + WINDOW]:
                pairs.add((min(a, b), max(a, b)))
    return pairs


class _Verdicts:
    """Verdicts between nodes, each computed once."""

    def __init__(self, keys: list[MatchKeys], nodes: list[list[int]]) -> None:
        self._keys = keys
        self._nodes = nodes
        self._cache: dict[tuple[int, int], Verdict] = {}
        self.compared = 0

    def get(self, a: int, b: int) -> Verdict:
        pair = (a, b) if a < b else (b, a)
        found = self._cache.get(pair)
        if found is None:
            found = compare(
                self._keys[self._nodes[pair[0]][0]], self._keys[self._nodes[pair[1]][0]]
            )
            self.compared += 1
            # Only what clustering and the review queue need is kept; a
            # distinct pair is cheap to compare again if ever asked.
            if found.outcome is not Outcome.DISTINCT:
                self._cache[pair] = found
        return found

    def known(self) -> Iterable[tuple[tuple[int, int], Verdict]]:
        return self._cache.items()


def _human_decisions(
    decisions: Iterable[Decision], node_of: list[int]
) -> dict[tuple[int, int], bool]:
    """Human decisions between nodes; the latest decision on a pair wins."""
    found: dict[tuple[int, int], bool] = {}
    for decision in decisions:
        a, b = node_of[decision.a], node_of[decision.b]
        if a != b:
            found[(min(a, b), max(a, b))] = decision.duplicate
    return found


class _Clusters:
    """Union of nodes into groups that stay pairwise compatible."""

    def __init__(
        self,
        size: int,
        verdicts: _Verdicts,
        human: dict[tuple[int, int], bool],
        sets: list[int | None],
    ) -> None:
        self._verdicts = verdicts
        self._human = human
        self._cluster = list(range(size))
        self._members: dict[int, list[int]] = {n: [n] for n in range(size)}
        self._sets: dict[int, set[int]] = {
            n: {found} for n, found in enumerate(sets) if found is not None
        }
        self._evidence: dict[int, list[tuple[int, int, Verdict]]] = defaultdict(list)
        self.rejected: dict[tuple[int, int], str] = {}

    def same(self, a: int, b: int) -> bool:
        return self._cluster[a] == self._cluster[b]

    def apply_human(self) -> list[str]:
        conflicts = []
        for (a, b), duplicate in sorted(self._human.items()):
            if duplicate and not self._join(
                a, b, Verdict(Outcome.DUPLICATE, "a person said so", 2.0), human=True
            ):
                conflicts.append(f"records {a} and {b}: {self.rejected[(a, b)]}")
        return conflicts

    def apply_machine(self) -> None:
        edges = [
            (verdict.strength, pair, verdict)
            for pair, verdict in self._verdicts.known()
            if verdict.outcome is Outcome.DUPLICATE and pair not in self._human
        ]
        edges.sort(key=lambda edge: (-edge[0], edge[1]))
        for _strength, (a, b), verdict in edges:
            self._join(a, b, verdict, human=False)

    def _join(self, a: int, b: int, verdict: Verdict, *, human: bool) -> bool:
        left, right = self._cluster[a], self._cluster[b]
        if left == right:
            return True
        if not human and self._sets.get(left, set()) & self._sets.get(right, set()):
            self.rejected[(min(a, b), max(a, b))] = (
                "two of its records come from one export that was already de-duplicated"
            )
            return False
        for x in self._members[left]:
            for y in self._members[right]:
                blocker = self._blocker(x, y, human=human)
                if blocker:
                    self.rejected[(min(a, b), max(a, b))] = blocker
                    return False
        if len(self._members[left]) < len(self._members[right]):
            left, right = right, left
        for node in self._members[right]:
            self._cluster[node] = left
        self._members[left].extend(self._members.pop(right))
        if right in self._sets:
            self._sets.setdefault(left, set()).update(self._sets.pop(right))
        self._evidence[left].extend(self._evidence.pop(right, []))
        self._evidence[left].append((a, b, verdict))
        return True

    def _blocker(self, x: int, y: int, *, human: bool) -> str:
        pair = (min(x, y), max(x, y))
        decided = self._human.get(pair)
        if decided is False:
            return "a person said two of its records are distinct"
        if decided is True or human:
            return ""
        verdict = self._verdicts.get(x, y)
        if verdict.outcome is Outcome.DISTINCT:
            return f"it would put together two records that are distinct ({verdict.reason})"
        return ""

    def groups(self, nodes: list[list[int]]) -> tuple[tuple[tuple[int, ...], ...], list[Pair]]:
        groups: list[tuple[int, ...]] = []
        evidence: list[Pair] = []
        for root, members in self._members.items():
            records = sorted(record for node in members for record in nodes[node])
            if len(records) < 2:
                continue
            groups.append(tuple(records))
            for node in members:  # identical copies joined their first record
                first = nodes[node][0]
                evidence.extend(
                    Pair(first, other, Verdict(Outcome.DUPLICATE, "identical records", 1.0))
                    for other in nodes[node][1:]
                )
            evidence.extend(
                Pair(nodes[a][0], nodes[b][0], verdict) for a, b, verdict in self._evidence[root]
            )
        groups.sort()
        return tuple(groups), evidence


def _uncertain(
    verdicts: _Verdicts,
    clusters: _Clusters,
    human: dict[tuple[int, int], bool],
    nodes: list[list[int]],
) -> tuple[Pair, ...]:
    """One pair per pair of groups that a human should look at, with its reason."""
    best: dict[tuple[int, int], Pair] = {}
    for (a, b), verdict in verdicts.known():
        if clusters.same(a, b) or (a, b) in human:
            continue
        if verdict.outcome is Outcome.UNCERTAIN:
            pair = Pair(nodes[a][0], nodes[b][0], verdict)
        elif verdict.outcome is Outcome.DUPLICATE:
            why = clusters.rejected.get((a, b), "it conflicts with another record of the group")
            pair = Pair(
                nodes[a][0], nodes[b][0], Verdict(Outcome.UNCERTAIN, f"looks the same, but {why}")
            )
        else:
            continue
        between = tuple(sorted((clusters._cluster[a], clusters._cluster[b])))
        between_key = (between[0], between[1])
        if between_key not in best:
            best[between_key] = pair
    return tuple(sorted(best.values(), key=lambda pair: (pair.a, pair.b)))
