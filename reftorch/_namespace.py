"""The ``reftorch.*`` functions. Generated from the op registry by ``python -m reftorch._stubgen``;
do not edit (tests/test_surface.py fails when this file is stale)."""

from .ops.registry import functions as _functions

_ctc_loss = _functions._ctc_loss
_embedding_bag = _functions._embedding_bag
_log_softmax = _functions._log_softmax
_prelu_kernel = _functions._prelu_kernel
_softmax = _functions._softmax
_trilinear = _functions._trilinear
abs = _functions.abs
abs_ = _functions.abs_
absolute = _functions.absolute
acos = _functions.acos
acos_ = _functions.acos_
acosh = _functions.acosh
acosh_ = _functions.acosh_
adaptive_avg_pool1d = _functions.adaptive_avg_pool1d
adaptive_max_pool1d = _functions.adaptive_max_pool1d
add = _functions.add
addcdiv = _functions.addcdiv
addcmul = _functions.addcmul
addmm = _functions.addmm
all = _functions.all
allclose = _functions.allclose
alpha_dropout = _functions.alpha_dropout
alpha_dropout_ = _functions.alpha_dropout_
amax = _functions.amax
amin = _functions.amin
aminmax = _functions.aminmax
any = _functions.any
arange = _functions.arange
arccos = _functions.arccos
arccos_ = _functions.arccos_
arcsin = _functions.arcsin
arcsin_ = _functions.arcsin_
arctan = _functions.arctan
arctan2 = _functions.arctan2
arctan_ = _functions.arctan_
argmax = _functions.argmax
argmin = _functions.argmin
argsort = _functions.argsort
argwhere = _functions.argwhere
as_strided = _functions.as_strided
as_strided_ = _functions.as_strided_
as_tensor = _functions.as_tensor
asin = _functions.asin
asin_ = _functions.asin_
asinh = _functions.asinh
asinh_ = _functions.asinh_
atan = _functions.atan
atan2 = _functions.atan2
atan_ = _functions.atan_
atanh = _functions.atanh
atanh_ = _functions.atanh_
atleast_1d = _functions.atleast_1d
atleast_2d = _functions.atleast_2d
atleast_3d = _functions.atleast_3d
avg_pool1d = _functions.avg_pool1d
batch_norm = _functions.batch_norm
bernoulli = _functions.bernoulli
bilinear = _functions.bilinear
binary_cross_entropy_with_logits = _functions.binary_cross_entropy_with_logits
bitwise_and = _functions.bitwise_and
bitwise_left_shift = _functions.bitwise_left_shift
bitwise_not = _functions.bitwise_not
bitwise_or = _functions.bitwise_or
bitwise_right_shift = _functions.bitwise_right_shift
bitwise_xor = _functions.bitwise_xor
bmm = _functions.bmm
broadcast_tensors = _functions.broadcast_tensors
broadcast_to = _functions.broadcast_to
cat = _functions.cat
ceil = _functions.ceil
ceil_ = _functions.ceil_
celu = _functions.celu
celu_ = _functions.celu_
chunk = _functions.chunk
clamp = _functions.clamp
clamp_ = _functions.clamp_
clamp_max = _functions.clamp_max
clamp_max_ = _functions.clamp_max_
clamp_min = _functions.clamp_min
clamp_min_ = _functions.clamp_min_
clip = _functions.clip
clip_ = _functions.clip_
clone = _functions.clone
column_stack = _functions.column_stack
concat = _functions.concat
concatenate = _functions.concatenate
conj = _functions.conj
conj_physical = _functions.conj_physical
conj_physical_ = _functions.conj_physical_
constant_pad_nd = _functions.constant_pad_nd
conv1d = _functions.conv1d
conv2d = _functions.conv2d
conv_transpose1d = _functions.conv_transpose1d
conv_transpose2d = _functions.conv_transpose2d
convolution = _functions.convolution
cos = _functions.cos
cos_ = _functions.cos_
cosh = _functions.cosh
cosh_ = _functions.cosh_
cosine_similarity = _functions.cosine_similarity
count_nonzero = _functions.count_nonzero
ctc_loss = _functions.ctc_loss
cumprod = _functions.cumprod
cumsum = _functions.cumsum
detach = _functions.detach
detach_ = _functions.detach_
diag = _functions.diag
diag_embed = _functions.diag_embed
diagonal = _functions.diagonal
div = _functions.div
divide = _functions.divide
dot = _functions.dot
dropout = _functions.dropout
dropout_ = _functions.dropout_
dstack = _functions.dstack
einsum = _functions.einsum
embedding = _functions.embedding
embedding_bag = _functions.embedding_bag
embedding_renorm_ = _functions.embedding_renorm_
empty = _functions.empty
empty_like = _functions.empty_like
eq = _functions.eq
equal = _functions.equal
erf = _functions.erf
erf_ = _functions.erf_
erfc = _functions.erfc
erfc_ = _functions.erfc_
erfinv = _functions.erfinv
exp = _functions.exp
exp2 = _functions.exp2
exp2_ = _functions.exp2_
exp_ = _functions.exp_
expm1 = _functions.expm1
expm1_ = _functions.expm1_
eye = _functions.eye
feature_alpha_dropout = _functions.feature_alpha_dropout
feature_alpha_dropout_ = _functions.feature_alpha_dropout_
feature_dropout = _functions.feature_dropout
feature_dropout_ = _functions.feature_dropout_
fill_ = _functions.fill_
fix = _functions.fix
fix_ = _functions.fix_
flatten = _functions.flatten
flip = _functions.flip
fliplr = _functions.fliplr
flipud = _functions.flipud
floor = _functions.floor
floor_ = _functions.floor_
floor_divide = _functions.floor_divide
fmod = _functions.fmod
frac = _functions.frac
frac_ = _functions.frac_
from_numpy = _functions.from_numpy
frombuffer = _functions.frombuffer
full = _functions.full
full_like = _functions.full_like
gather = _functions.gather
ge = _functions.ge
ger = _functions.ger
greater = _functions.greater
greater_equal = _functions.greater_equal
group_norm = _functions.group_norm
gt = _functions.gt
hstack = _functions.hstack
index_put = _functions.index_put
index_put_ = _functions.index_put_
index_select = _functions.index_select
is_complex = _functions.is_complex
is_floating_point = _functions.is_floating_point
is_inference = _functions.is_inference
is_tensor = _functions.is_tensor
isclose = _functions.isclose
isfinite = _functions.isfinite
isinf = _functions.isinf
isnan = _functions.isnan
kthvalue = _functions.kthvalue
layer_norm = _functions.layer_norm
le = _functions.le
lerp = _functions.lerp
less = _functions.less
less_equal = _functions.less_equal
linspace = _functions.linspace
log = _functions.log
log10 = _functions.log10
log10_ = _functions.log10_
log1p = _functions.log1p
log1p_ = _functions.log1p_
log2 = _functions.log2
log2_ = _functions.log2_
log_ = _functions.log_
log_softmax = _functions.log_softmax
logical_and = _functions.logical_and
logical_not = _functions.logical_not
logical_or = _functions.logical_or
logical_xor = _functions.logical_xor
logsumexp = _functions.logsumexp
lt = _functions.lt
masked_fill = _functions.masked_fill
masked_select = _functions.masked_select
matmul = _functions.matmul
max = _functions.max
max_pool1d = _functions.max_pool1d
max_pool1d_with_indices = _functions.max_pool1d_with_indices
max_pool2d = _functions.max_pool2d
maximum = _functions.maximum
mean = _functions.mean
median = _functions.median
meshgrid = _functions.meshgrid
min = _functions.min
minimum = _functions.minimum
mm = _functions.mm
moveaxis = _functions.moveaxis
movedim = _functions.movedim
msort = _functions.msort
mul = _functions.mul
multinomial = _functions.multinomial
multiply = _functions.multiply
mv = _functions.mv
nanmean = _functions.nanmean
nanmedian = _functions.nanmedian
nansum = _functions.nansum
narrow = _functions.narrow
native_batch_norm = _functions.native_batch_norm
native_group_norm = _functions.native_group_norm
native_layer_norm = _functions.native_layer_norm
ne = _functions.ne
neg = _functions.neg
neg_ = _functions.neg_
negative = _functions.negative
negative_ = _functions.negative_
nonzero = _functions.nonzero
norm = _functions.norm
normal = _functions.normal
not_equal = _functions.not_equal
numel = _functions.numel
ones = _functions.ones
ones_like = _functions.ones_like
outer = _functions.outer
permute = _functions.permute
poisson = _functions.poisson
positive = _functions.positive
pow = _functions.pow
prelu = _functions.prelu
prod = _functions.prod
rand = _functions.rand
rand_like = _functions.rand_like
randint = _functions.randint
randint_like = _functions.randint_like
randn = _functions.randn
randn_like = _functions.randn_like
randperm = _functions.randperm
range = _functions.range
reciprocal = _functions.reciprocal
reciprocal_ = _functions.reciprocal_
relu = _functions.relu
relu_ = _functions.relu_
remainder = _functions.remainder
repeat_interleave = _functions.repeat_interleave
reshape = _functions.reshape
result_type = _functions.result_type
roll = _functions.roll
round = _functions.round
round_ = _functions.round_
row_stack = _functions.row_stack
rsqrt = _functions.rsqrt
rsqrt_ = _functions.rsqrt_
rsub = _functions.rsub
scatter = _functions.scatter
scatter_add = _functions.scatter_add
select = _functions.select
selu = _functions.selu
selu_ = _functions.selu_
sgn = _functions.sgn
sigmoid = _functions.sigmoid
sigmoid_ = _functions.sigmoid_
sign = _functions.sign
signbit = _functions.signbit
sin = _functions.sin
sin_ = _functions.sin_
sinh = _functions.sinh
sinh_ = _functions.sinh_
softmax = _functions.softmax
sort = _functions.sort
split = _functions.split
split_with_sizes = _functions.split_with_sizes
sqrt = _functions.sqrt
sqrt_ = _functions.sqrt_
square = _functions.square
square_ = _functions.square_
squeeze = _functions.squeeze
stack = _functions.stack
std = _functions.std
std_mean = _functions.std_mean
sub = _functions.sub
subtract = _functions.subtract
sum = _functions.sum
swapaxes = _functions.swapaxes
swapdims = _functions.swapdims
t = _functions.t
take = _functions.take
tan = _functions.tan
tan_ = _functions.tan_
tanh = _functions.tanh
tanh_ = _functions.tanh_
tensor = _functions.tensor
tile = _functions.tile
topk = _functions.topk
trace = _functions.trace
transpose = _functions.transpose
tril = _functions.tril
triu = _functions.triu
true_divide = _functions.true_divide
trunc = _functions.trunc
trunc_ = _functions.trunc_
unbind = _functions.unbind
unflatten = _functions.unflatten
unique = _functions.unique
unique_consecutive = _functions.unique_consecutive
unsqueeze = _functions.unsqueeze
var = _functions.var
var_mean = _functions.var_mean
vstack = _functions.vstack
where = _functions.where
zero_ = _functions.zero_
zeros = _functions.zeros
zeros_like = _functions.zeros_like

__all__ = [
    "_ctc_loss",
    "_embedding_bag",
    "_log_softmax",
    "_prelu_kernel",
    "_softmax",
    "_trilinear",
    "abs",
    "abs_",
    "absolute",
    "acos",
    "acos_",
    "acosh",
    "acosh_",
    "adaptive_avg_pool1d",
    "adaptive_max_pool1d",
    "add",
    "addcdiv",
    "addcmul",
    "addmm",
    "all",
    "allclose",
    "alpha_dropout",
    "alpha_dropout_",
    "amax",
    "amin",
    "aminmax",
    "any",
    "arange",
    "arccos",
    "arccos_",
    "arcsin",
    "arcsin_",
    "arctan",
    "arctan2",
    "arctan_",
    "argmax",
    "argmin",
    "argsort",
    "argwhere",
    "as_strided",
    "as_strided_",
    "as_tensor",
    "asin",
    "asin_",
    "asinh",
    "asinh_",
    "atan",
    "atan2",
    "atan_",
    "atanh",
    "atanh_",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "avg_pool1d",
    "batch_norm",
    "bernoulli",
    "bilinear",
    "binary_cross_entropy_with_logits",
    "bitwise_and",
    "bitwise_left_shift",
    "bitwise_not",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "bmm",
    "broadcast_tensors",
    "broadcast_to",
    "cat",
    "ceil",
    "ceil_",
    "celu",
    "celu_",
    "chunk",
    "clamp",
    "clamp_",
    "clamp_max",
    "clamp_max_",
    "clamp_min",
    "clamp_min_",
    "clip",
    "clip_",
    "clone",
    "column_stack",
    "concat",
    "concatenate",
    "conj",
    "conj_physical",
    "conj_physical_",
    "constant_pad_nd",
    "conv1d",
    "conv2d",
    "conv_transpose1d",
    "conv_transpose2d",
    "convolution",
    "cos",
    "cos_",
    "cosh",
    "cosh_",
    "cosine_similarity",
    "count_nonzero",
    "ctc_loss",
    "cumprod",
    "cumsum",
    "detach",
    "detach_",
    "diag",
    "diag_embed",
    "diagonal",
    "div",
    "divide",
    "dot",
    "dropout",
    "dropout_",
    "dstack",
    "einsum",
    "embedding",
    "embedding_bag",
    "embedding_renorm_",
    "empty",
    "empty_like",
    "eq",
    "equal",
    "erf",
    "erf_",
    "erfc",
    "erfc_",
    "erfinv",
    "exp",
    "exp2",
    "exp2_",
    "exp_",
    "expm1",
    "expm1_",
    "eye",
    "feature_alpha_dropout",
    "feature_alpha_dropout_",
    "feature_dropout",
    "feature_dropout_",
    "fill_",
    "fix",
    "fix_",
    "flatten",
    "flip",
    "fliplr",
    "flipud",
    "floor",
    "floor_",
    "floor_divide",
    "fmod",
    "frac",
    "frac_",
    "from_numpy",
    "frombuffer",
    "full",
    "full_like",
    "gather",
    "ge",
    "ger",
    "greater",
    "greater_equal",
    "group_norm",
    "gt",
    "hstack",
    "index_put",
    "index_put_",
    "index_select",
    "is_complex",
    "is_floating_point",
    "is_inference",
    "is_tensor",
    "isclose",
    "isfinite",
    "isinf",
    "isnan",
    "kthvalue",
    "layer_norm",
    "le",
    "lerp",
    "less",
    "less_equal",
    "linspace",
    "log",
    "log10",
    "log10_",
    "log1p",
    "log1p_",
    "log2",
    "log2_",
    "log_",
    "log_softmax",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "logsumexp",
    "lt",
    "masked_fill",
    "masked_select",
    "matmul",
    "max",
    "max_pool1d",
    "max_pool1d_with_indices",
    "max_pool2d",
    "maximum",
    "mean",
    "median",
    "meshgrid",
    "min",
    "minimum",
    "mm",
    "moveaxis",
    "movedim",
    "msort",
    "mul",
    "multinomial",
    "multiply",
    "mv",
    "nanmean",
    "nanmedian",
    "nansum",
    "narrow",
    "native_batch_norm",
    "native_group_norm",
    "native_layer_norm",
    "ne",
    "neg",
    "neg_",
    "negative",
    "negative_",
    "nonzero",
    "norm",
    "normal",
    "not_equal",
    "numel",
    "ones",
    "ones_like",
    "outer",
    "permute",
    "poisson",
    "positive",
    "pow",
    "prelu",
    "prod",
    "rand",
    "rand_like",
    "randint",
    "randint_like",
    "randn",
    "randn_like",
    "randperm",
    "range",
    "reciprocal",
    "reciprocal_",
    "relu",
    "relu_",
    "remainder",
    "repeat_interleave",
    "reshape",
    "result_type",
    "roll",
    "round",
    "round_",
    "row_stack",
    "rsqrt",
    "rsqrt_",
    "rsub",
    "scatter",
    "scatter_add",
    "select",
    "selu",
    "selu_",
    "sgn",
    "sigmoid",
    "sigmoid_",
    "sign",
    "signbit",
    "sin",
    "sin_",
    "sinh",
    "sinh_",
    "softmax",
    "sort",
    "split",
    "split_with_sizes",
    "sqrt",
    "sqrt_",
    "square",
    "square_",
    "squeeze",
    "stack",
    "std",
    "std_mean",
    "sub",
    "subtract",
    "sum",
    "swapaxes",
    "swapdims",
    "t",
    "take",
    "tan",
    "tan_",
    "tanh",
    "tanh_",
    "tensor",
    "tile",
    "topk",
    "trace",
    "transpose",
    "tril",
    "triu",
    "true_divide",
    "trunc",
    "trunc_",
    "unbind",
    "unflatten",
    "unique",
    "unique_consecutive",
    "unsqueeze",
    "var",
    "var_mean",
    "vstack",
    "where",
    "zero_",
    "zeros",
    "zeros_like",
]
