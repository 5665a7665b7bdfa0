"""Small data sets shipped inside the package, so the course runs offline."""

from .digits import DIGITS_SPLIT_COUNTS, load_digits

__all__ = ["DIGITS_SPLIT_COUNTS", "load_digits"]
