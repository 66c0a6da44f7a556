"""``torch.backends``: the flags of backends reftorch does not have (cuDNN, CUDA, MPS), as on a CPU build.

Scripts set ``torch.backends.cudnn.deterministic``/``benchmark`` and ``torch.backends.cuda.matmul.allow_tf32``
and ask ``torch.backends.mps.is_available()`` unconditionally; these modules keep torch's defaults
(torch/backends/cudnn/__init__.py, cuda/__init__.py, mps/__init__.py), store what is set, and change nothing.
"""

from __future__ import annotations

from . import cuda, cudnn, mps

__all__ = ["cuda", "cudnn", "mps"]
