"""Sharing whole-đồng amounts out by integer weights (largest remainder), exactly."""

from __future__ import annotations

from collections.abc import Sequence


def split(amount: int, weights: Sequence[tuple[str, int]]) -> dict[str, int]:
    """Share AMOUNT over keys in proportion to integer weights; Σ shares == amount exactly.

    Each key gets floor(amount·w/W); the đồng left over go one each to the largest
    remainders, ties to the earlier key. Keys of weight 0 get nothing. Raises ValueError
    when every weight is 0 (nothing to share by).
    """
    total = sum(w for _, w in weights)
    if total <= 0 or any(w < 0 for _, w in weights):
        raise ValueError("weights must be non-negative with a positive sum")
    shares = {k: amount * w // total for k, w in weights}
    left = amount - sum(shares.values())
    order = sorted(range(len(weights)),
                   key=lambda i: (-(amount * weights[i][1] % total), i))
    for i in order[:left]:
        shares[weights[i][0]] += 1
    return shares
