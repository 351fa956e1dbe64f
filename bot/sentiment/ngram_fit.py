"""Training an `NgramModel` (ngram.py): numpy, imported only here, because the scoring workers
import ngram.py and only a trainer needs it. L-BFGS on the class-balanced log loss with an L2
penalty; deterministic: the same texts in the same order give the same bytes.
"""

import zlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from bot.sentiment.ngram import DEFAULT_BUCKETS, DEFAULT_ORDERS, NgramModel, ngrams, normalise

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

# The L2 penalty weighs against the log loss summed over the texts (as scikit-learn's 1/C
# does), so that one value suits 300 texts and 150,000: the fewer the texts, the more it
# holds the weights back. Chosen for calibrated probabilities, on which the abstain band
# depends, on NSMC's dev split and on samples of it (bot/sentiment/models/README.md).
DEFAULT_L2 = 0.1


def train(
    texts: Sequence[str],
    positive: Sequence[bool],
    *,
    language: str,
    orders: Sequence[int] = DEFAULT_ORDERS,
    buckets: int = DEFAULT_BUCKETS,
    abstain: float = 0.1,
    min_texts_per_feature: int = 1,
    l2: float = DEFAULT_L2,
    max_iterations: int = 300,
) -> NgramModel:
    """Fit the weights by L-BFGS on the log loss, each class weighing as much as the other,
    plus `l2`/2 times the squared weights. Deterministic: the same texts in the same order
    give the same bytes."""
    import numpy as np

    if len(texts) != len(positive):
        raise ValueError(f"{len(texts)} texts but {len(positive)} labels")
    y = np.asarray(positive, dtype=np.float64)
    if not 0 < y.sum() < len(y):
        raise ValueError("training needs both positive and negative texts")
    orders = tuple(orders)
    counts, cols = _design(texts, orders, buckets)
    rows = np.repeat(np.arange(len(texts), dtype=np.int32), counts)
    # Columns are the buckets enough texts contain; every other bucket keeps a weight of 0.
    texts_with = np.bincount(np.unique(rows * np.int64(buckets) + cols) % buckets)
    kept = np.flatnonzero(texts_with >= max(1, min_texts_per_feature))
    column = np.full(buckets, -1, dtype=np.int32)
    column[kept] = np.arange(len(kept), dtype=np.int32)
    keep = column[cols] >= 0
    rows, columns = rows[keep], column[cols[keep]]
    # A text's n-grams are scaled by 1/√(how many it has), those left out above included,
    # as `NgramModel.score` does.
    scale = 1 / np.sqrt(np.maximum(counts, 1))
    # Each class carries half the loss, whatever its share of the texts.
    share = np.where(y == 1, 0.5 / y.sum(), 0.5 / (len(y) - y.sum()))
    objective = _Objective(rows, columns, scale, y, share, len(kept), l2 / len(texts))
    solution = _lbfgs(objective, np.zeros(len(kept) + 1), max_iterations)
    weights = np.zeros(buckets)
    weights[kept] = solution[:-1]
    peak = float(np.abs(weights).max())
    step = peak / 127 if peak else 1.0
    int8 = np.clip(np.rint(weights / step), -127, 127).astype(np.int8)
    return NgramModel(
        language=language,
        orders=orders,
        buckets=buckets,
        abstain=abstain,
        scale=step,
        bias=float(solution[-1]),
        weights=int8.tobytes(),
    )


def _design(
    texts: Sequence[str], orders: tuple[int, ...], buckets: int
) -> "tuple[NDArray[np.int64], NDArray[np.int64]]":
    """How many distinct n-grams each text has, and their buckets, text after text."""
    import numpy as np

    mask = buckets - 1
    known: dict[str, int] = {}  # most n-grams recur: a look-up is cheaper than a hash

    def bucket_of(gram: str) -> int:
        found = known.get(gram)
        if found is None:
            found = known[gram] = zlib.crc32(gram.encode()) & mask
        return found

    per_text = [[bucket_of(g) for g in ngrams(t, orders)] for t in texts]
    counts = np.fromiter(map(len, per_text), dtype=np.int64, count=len(per_text))
    cols = np.fromiter((b for f in per_text for b in f), dtype=np.int64, count=int(counts.sum()))
    return counts, cols


class _Objective:
    """The class-balanced mean log loss plus L2, and its gradient, over a sparse matrix whose
    entries are kept both row after row and column after column: each product is then a
    gather and a running sum (numpy's reduceat), the fastest numpy has."""

    def __init__(
        self,
        rows: "NDArray[np.int32]",
        cols: "NDArray[np.int32]",
        scale: "NDArray[np.float64]",
        y: "NDArray[np.float64]",
        share: "NDArray[np.float64]",
        width: int,
        l2: float,
    ) -> None:
        import numpy as np

        per_row = np.bincount(rows, minlength=len(y))
        self.filled = np.flatnonzero(per_row)  # reduceat cannot sum an empty row
        self.row_starts = (np.cumsum(per_row) - per_row)[self.filled]
        self.cols = cols
        by_column = np.argsort(cols, kind="stable")
        self.rows_by_column = rows[by_column]
        per_column = np.bincount(cols, minlength=width)  # no column is empty
        self.column_starts = np.cumsum(per_column) - per_column
        self.scale, self.y, self.share, self.l2 = scale, y, share, l2

    def __call__(self, theta: "NDArray[np.float64]") -> "tuple[float, NDArray[np.float64]]":
        import numpy as np

        w, y = theta[:-1], self.y
        z = np.full(len(y), theta[-1])
        z[self.filled] += np.add.reduceat(w[self.cols], self.row_starts) * self.scale[self.filled]
        # log(1 + e^-z) for positives, log(1 + e^z) for negatives, without overflow
        losses = np.logaddexp(0.0, np.where(y == 1, -z, z))
        loss = _dot(self.share, losses) + self.l2 / 2 * _dot(w, w)
        residual = self.share * (_sigmoid_array(z) - y)
        gradient = np.empty_like(theta)
        if len(w):
            per_text = (residual * self.scale)[self.rows_by_column]
            gradient[:-1] = np.add.reduceat(per_text, self.column_starts) + self.l2 * w
        gradient[-1] = residual.sum()
        return loss, gradient


def _dot(a: "NDArray[np.float64]", b: "NDArray[np.float64]") -> float:
    """`a @ b` without BLAS, whose threads spin on the other cores for a product this small
    and cost six times the CPU of the whole fit."""
    import numpy as np

    return float(np.einsum("i,i->", a, b))


def _sigmoid_array(z: "NDArray[np.float64]") -> "NDArray[np.float64]":
    import numpy as np

    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _lbfgs(
    objective: "Callable[[NDArray[np.float64]], tuple[float, NDArray[np.float64]]]",
    theta: "NDArray[np.float64]",
    max_iterations: int,
    memory: int = 10,
    tolerance: float = 1e-9,
) -> "NDArray[np.float64]":
    """Limited-memory BFGS with a backtracking (Armijo) line search: a few dozen passes over
    the data where gradient descent would need thousands."""
    import numpy as np

    loss, gradient = objective(theta)
    steps: list[tuple[Any, Any, float]] = []  # (s, y, 1 / y·s), oldest first
    for _ in range(max_iterations):
        direction = -_two_loop(gradient, steps)
        slope = _dot(gradient, direction)
        if slope >= 0:  # not a descent direction: start the curvature memory afresh
            steps.clear()
            direction, slope = -gradient, -_dot(gradient, gradient)
        step = 1.0 if steps else min(1.0, 1.0 / max(float(np.abs(gradient).sum()), 1e-12))
        while True:
            candidate = theta + step * direction
            new_loss, new_gradient = objective(candidate)
            if new_loss <= loss + 1e-4 * step * slope or step < 1e-10:
                break
            step /= 2
        s, change = candidate - theta, new_gradient - gradient
        curvature = _dot(change, s)
        if curvature > 1e-12:
            steps.append((s, change, 1 / curvature))
            del steps[:-memory]
        done = loss - new_loss <= tolerance * max(abs(loss), 1.0)
        theta, loss, gradient = candidate, new_loss, new_gradient
        if done:
            break
    return theta


def _two_loop(gradient: Any, steps: list[tuple[Any, Any, float]]) -> Any:
    q = gradient.copy()
    alphas = []
    for s, y, rho in reversed(steps):
        alpha = rho * _dot(s, q)
        alphas.append(alpha)
        q -= alpha * y
    if steps:
        s, y, _ = steps[-1]
        q *= _dot(s, y) / _dot(y, y)
    for (s, y, rho), alpha in zip(steps, reversed(alphas), strict=True):
        q += (alpha - rho * _dot(y, q)) * s
    return q


def cross_validate(
    texts: Sequence[str], positive: Sequence[bool], *, folds: int = 5, **train_kwargs: Any
) -> float:
    """Mean held-out accuracy over `folds` folds; a text the model abstains on counts as wrong.
    A text's fold follows from its normalised text, so the same comment posted twice is never
    on both sides of a split."""
    if folds < 2:
        raise ValueError("cross-validation needs at least two folds")
    if len(texts) != len(positive):
        raise ValueError(f"{len(texts)} texts but {len(positive)} labels")
    fold_of = [zlib.crc32(normalise(t).encode()) % folds for t in texts]
    accuracies = []
    for k in range(folds):
        train_at = [i for i, f in enumerate(fold_of) if f != k]
        held_out = [i for i, f in enumerate(fold_of) if f == k]
        if not held_out:
            continue
        model = train([texts[i] for i in train_at], [positive[i] for i in train_at], **train_kwargs)
        right = sum(_label_is(model.score(texts[i]).label, positive[i]) for i in held_out)
        accuracies.append(right / len(held_out))
    return sum(accuracies) / len(accuracies)


def _label_is(label: str, positive: bool) -> bool:
    return label == ("positive" if positive else "negative")
