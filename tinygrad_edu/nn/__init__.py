"""``tinygrad_edu.nn``: modules, parameters, layers, losses, ``functional``, ``init`` and
``utils``, with PyTorch's names (``import tinygrad_edu.nn as nn``)."""

from . import functional, init, parameter, utils
from .modules import *  # noqa: F403  (every layer; the list is modules.__all__)
from .modules import __all__ as _layers
from .parameter import Parameter, UninitializedParameter

__all__ = [*_layers, "Parameter", "UninitializedParameter", "functional", "init", "parameter",
           "utils"]
