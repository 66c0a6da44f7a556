"""``torch.nn.utils``: gradient clipping, parameter/vector conversion and ``rnn`` (packed sequences),
the part reftorch builds; one star import per submodule that torch re-exports (each lists its public
names in ``__all__``), and ``rnn`` as a submodule only, as in torch."""

from . import rnn  # noqa: F401 - torch.nn.utils.rnn: a submodule, its names not re-exported
from .clip_grad import *  # noqa: F403
from .convert_parameters import *  # noqa: F403
