"""Turn pair decisions into entities, under constraints that keep different enterprises apart.

Merges are applied strongest first. A merge never joins two groups whose known KvK numbers
share none (branches of a chain), nor two records a coordinator kept apart; a coordinator's
"same enterprise" joins groups before any evidence is weighed.
"""

from __future__ import annotations

from collections.abc import Iterable

from matching.resolution.features import Features


class ConstrainedUnionFind:
    def __init__(self, features: list[Features], cannot_link: Iterable[tuple[int, int]] = ()) -> None:
        self.parent = list(range(len(features)))
        self.kvk: list[frozenset[str]] = [item.kvk for item in features]
        self.members: list[set[int]] = [{index} for index in range(len(features))]
        self.cannot: dict[int, set[int]] = {}
        for left, right in cannot_link:
            self.cannot.setdefault(left, set()).add(right)
            self.cannot.setdefault(right, set()).add(left)

    def find(self, index: int) -> int:
        root = index
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[index] != root:
            self.parent[index], index = root, self.parent[index]
        return root

    def conflict(self, left: int, right: int) -> str | None:
        """Why the groups of `left` and `right` may not be joined, or None."""
        a, b = self.find(left), self.find(right)
        if a == b:
            return None
        if self.kvk[a] and self.kvk[b] and not (self.kvk[a] & self.kvk[b]):
            return "kvk"
        small, large = (a, b) if len(self.members[a]) <= len(self.members[b]) else (b, a)
        for member in self.members[small]:
            if any(self.find(other) == large for other in self.cannot.get(member, ())):
                return "coordinator"
        return None

    def union(self, left: int, right: int, force: bool = False) -> bool:
        a, b = self.find(left), self.find(right)
        if a == b:
            return True
        if not force and self.conflict(a, b):
            return False
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.members[a] |= self.members[b]
        self.kvk[a] = self.kvk[a] | self.kvk[b]
        self.members[b] = set()
        return True

    def groups(self) -> list[list[int]]:
        found: dict[int, list[int]] = {}
        for index in range(len(self.parent)):
            found.setdefault(self.find(index), []).append(index)
        return list(found.values())
