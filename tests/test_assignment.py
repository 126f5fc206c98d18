"""The scorer's own optimal pairing gives scipy's optimum on random matrices, ties and all shapes."""

from __future__ import annotations

import random

import pytest
from scipy.optimize import linear_sum_assignment as scipy_assignment

from summarizer.eval.assignment import linear_sum_assignment


def _total(matrix: list[list[float]], rows: list[int], cols: list[int]) -> float:
    return sum(matrix[r][c] for r, c in zip(rows, cols, strict=True))


@pytest.mark.parametrize("maximize", [False, True])
@pytest.mark.parametrize("values", ["floats", "few integers"])
def test_same_optimum_as_scipy_on_random_matrices(maximize: bool, values: str) -> None:
    rng = random.Random(18)
    for _ in range(200):
        n, m = rng.randint(1, 9), rng.randint(1, 9)
        if values == "floats":
            matrix = [[rng.uniform(-1, 1) for _ in range(m)] for _ in range(n)]
        else:  # many ties, like the scorer's 0/1 name hits and its stepped similarities
            matrix = [[float(rng.randint(0, 2)) for _ in range(m)] for _ in range(n)]
        rows, cols = linear_sum_assignment(matrix, maximize=maximize)
        s_rows, s_cols = scipy_assignment(matrix, maximize=maximize)
        assert len(rows) == min(n, m) and rows == sorted(rows)
        assert len(set(rows)) == len(rows) and len(set(cols)) == len(cols), "one-to-one"
        assert _total(matrix, rows, cols) == pytest.approx(_total(matrix, list(s_rows), list(s_cols)), abs=1e-9)


def test_edges() -> None:
    assert linear_sum_assignment([]) == ([], [])
    assert linear_sum_assignment([[]]) == ([], [])
    assert linear_sum_assignment([[5.0]]) == ([0], [0])
    assert linear_sum_assignment([[1.0, 0.0], [0.0, 1.0]], maximize=True) == ([0, 1], [0, 1])
    assert linear_sum_assignment([[3.0], [1.0], [2.0]]) == ([1], [0])  # more rows than columns
    with pytest.raises(ValueError, match="rectangular"):
        linear_sum_assignment([[1.0, 2.0], [3.0]])
    with pytest.raises(ValueError, match="finite"):
        linear_sum_assignment([[float("nan")]])
