"""``Flatten``: merge dimensions ``start_dim..end_dim`` (by default all but the batch)."""

from __future__ import annotations

from ...tensor import Tensor
from .module import Module


class Flatten(Module):
    """(N, C, H, W) -> (N, C H W) with the defaults."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
