"""``torch.nn.utils``: gradient clipping and parameter/vector conversion (the part reftorch builds);
one star import per submodule (each lists its public names in ``__all__``)."""

from . import rnn  # noqa: F401 - torch.nn.utils.rnn: a submodule, its names not re-exported
