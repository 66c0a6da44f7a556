"""reftorch: a reference implementation of PyTorch's documented behaviour on NumPy (and CuPy).

``import reftorch as torch`` gives the torch-like namespace. Importing it needs only NumPy.
"""

from __future__ import annotations

from . import _surface, autograd, random, return_types
from ._device import device
from ._dtype import (
    bfloat16,
    bool,
    complex64,
    complex128,
    dtype,
    float16,
    float32,
    float64,
    get_default_dtype,
    int8,
    int16,
    int32,
    int64,
    set_default_dtype,
    uint8,
)
from ._errors import OutOfMemoryError
from ._layout import (
    channels_last,
    channels_last_3d,
    contiguous_format,
    jagged,
    layout,
    memory_format,
    preserve_format,
    sparse_bsc,
    sparse_bsr,
    sparse_coo,
    sparse_csc,
    sparse_csr,
    strided,
)
from ._legacy_types import (  # torch.FloatTensor, torch.LongTensor... (legacy type objects)
    BFloat16Tensor,
    BoolTensor,
    ByteTensor,
    CharTensor,
    DoubleTensor,
    FloatTensor,
    HalfTensor,
    IntTensor,
    LongTensor,
    ShortTensor,
    tensortype,
)
from ._process import (
    are_deterministic_algorithms_enabled,
    get_float32_matmul_precision,
    get_num_threads,
    is_deterministic_algorithms_warn_only_enabled,
    set_float32_matmul_precision,
    set_num_threads,
    use_deterministic_algorithms,
)
from ._promotion import can_cast, promote_types
from ._size import Size
from ._storage import TypedStorage, UntypedStorage
from ._tensor import Tensor
from ._tensor_str import get_printoptions, printoptions, set_printoptions
from ._type_info import finfo, iinfo
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .autograd.grad_mode import is_inference_mode_enabled
from .random import (
    Generator,
    default_generator,
    get_rng_state,
    initial_seed,
    manual_seed,
    seed,
    set_rng_state,
)

__version__ = "0.1.0"

half, float, double = float16, float32, float64  # noqa: A001 - torch's aliases
short, int, long = int16, int32, int64  # noqa: A001
cfloat, cdouble = complex64, complex128


from . import (
    backends,  # noqa: E402 - the CPU build's backend flags (cudnn, cuda, mps)
    cuda,  # noqa: E402 - torch.cuda as a build without CUDA answers it
    nn,  # noqa: E402 - nn builds on the functions above
    optim,  # noqa: E402 - optim builds on nn and the functions above
    serialization,  # noqa: E402 - serialization pickles tensors, Parameters and modules
)
from ._namespace import *  # noqa: E402,F403 - the generated list of reftorch.* functions
from .serialization import load, save  # noqa: E402
