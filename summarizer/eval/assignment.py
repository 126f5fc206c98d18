"""The optimal one-to-one pairing of a small rectangular matrix (the Hungarian method with potentials).

The scorer pairs a handful of gold events with predicted ones, and names with names; for matrices that
small this exact O(n²·m) method in plain Python is as fast as scipy's, so `summarizer eval` runs on the
lean default install. `tests/test_assignment.py` checks it against `scipy.optimize.linear_sum_assignment`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["linear_sum_assignment"]


def linear_sum_assignment(cost: Sequence[Sequence[float]], maximize: bool = False) -> tuple[list[int], list[int]]:
    """(rows, columns) of a pairing with the least (or, with `maximize`, the greatest) total, like scipy's:
    min(rows, columns) pairs, rows ascending."""
    matrix = [[float(x) for x in row] for row in cost]
    if any(len(row) != len(matrix[0]) for row in matrix):
        raise ValueError("the cost matrix must be rectangular")
    if any(not math.isfinite(x) for row in matrix for x in row):
        raise ValueError("the cost matrix must hold finite numbers only")
    if not matrix or not matrix[0]:
        return [], []
    if maximize:
        matrix = [[-x for x in row] for row in matrix]
    if len(matrix) > len(matrix[0]):
        columns = _min_cost([list(col) for col in zip(*matrix, strict=True)])
        pairs = sorted((row, col) for col, row in enumerate(columns))
        return [r for r, _ in pairs], [c for _, c in pairs]
    return list(range(len(matrix))), _min_cost(matrix)


def _min_cost(cost: list[list[float]]) -> list[int]:
    """The column of each row, for at most as many rows as columns (shortest augmenting paths)."""
    n, m = len(cost), len(cost[0])
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)  # potentials; row and column 0 are the virtual start
    owner, way = [0] * (m + 1), [0] * (m + 1)  # owner[j]: the row holding column j (1-based, 0 = free)
    for i in range(1, n + 1):
        owner[0], j0 = i, 0
        reach, used = [math.inf] * (m + 1), [False] * (m + 1)
        while owner[j0]:
            used[j0] = True
            i0, delta, j1 = owner[j0], math.inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    reduced = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if reduced < reach[j]:
                        reach[j], way[j] = reduced, j0
                    if reach[j] < delta:
                        delta, j1 = reach[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    reach[j] -= delta
            j0 = j1
        while j0:  # flip the augmenting path back to the start
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    columns = [0] * n
    for j in range(1, m + 1):
        if owner[j]:
            columns[owner[j] - 1] = j - 1
    return columns
