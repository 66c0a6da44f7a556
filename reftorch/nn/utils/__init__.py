"""``torch.nn.utils``: gradient clipping and parameter/vector conversion (the part reftorch builds);
one star import per submodule (each lists its public names in ``__all__``)."""

from .clip_grad import *  # noqa: F403
from .convert_parameters import *  # noqa: F403
