"""``torch.nn.RNN``, ``LSTM``, ``GRU`` and their cells, mirroring torch/nn/modules/rnn.py.

torch runs the recurrences in ATen (aten/src/ATen/native/RNN.cpp: ``_VF.rnn_tanh``, ``_VF.lstm``,
``_VF.gru`` and the ``*_cell`` functions). reftorch writes the same computation as a composite of its
public ops, looping in Python over time steps only, so autograd records it node by node (the values and
gradients are torch's to float tolerance; the ``grad_fn`` names are those of the composing ops, not of
torch's fused kernels). As on torch's CPU path, each layer computes the input projection
``linear(input, w_ih, b_ih)`` for the whole sequence at once, then steps through time with
``linear(h, w_hh, b_hh)``:

- RNN: ``h' = tanh|relu(W_hh h + b_hh + (W_ih x + b_ih))``;
- LSTM: gates ``i, f, g, o`` (chunks of 4), ``c' = f * c + i * g``, ``h' = o * tanh(c')``, then
  ``h' = W_hr h'`` with ``proj_size``;
- GRU: ``r = sigmoid(i_r + h_r)``, ``z = sigmoid(i_z + h_z)``, ``n = tanh(i_n + r * h_n)``,
  ``h' = (h - n) * z + n``.

Layers stack with dropout on every layer's output but the last (training only); a bidirectional layer
concatenates the forward and reverse outputs on the feature dimension.
"""

from __future__ import annotations

import math
import numbers
import warnings
import weakref
from typing import Any

from ... import _dtype as D
from ..._tensor import Tensor
from ...ops.registry import functions
from .. import functional as F
from .. import init
from ..parameter import Parameter
from ..utils.rnn import PackedSequence
from .module import Module

__all__ = ["GRU", "LSTM", "RNN", "GRUCell", "LSTMCell", "RNNBase", "RNNCell", "RNNCellBase"]

_Hidden = Any  # a Tensor (RNN, GRU) or a (h, c) pair (LSTM)


def _apply_permutation(tensor: Tensor, permutation: Tensor, dim: int = 1) -> Tensor:
    return tensor.index_select(dim, permutation)


def apply_permutation(tensor: Tensor, permutation: Tensor, dim: int = 1) -> Tensor:
    """``tensor.index_select(dim, permutation)``, with torch's FutureWarning that it is deprecated."""
    warnings.warn("`apply_permutation` is deprecated, please use `tensor.index_select(dim, permutation)` instead",
                  FutureWarning, stacklevel=2)
    return _apply_permutation(tensor, permutation, dim)


# ---------------------------------------------------------------------------- cells (RNN.cpp)
def _linear_hh(hx: Tensor, w_hh: Tensor, b_hh: Tensor | None) -> Tensor:
    return F.linear(hx, w_hh, b_hh)


def _simple_step(nonlinearity: str, igates: Tensor, hx: Tensor, w_hh: Tensor, b_hh: Tensor | None) -> Tensor:
    """RNN.cpp's SimpleCell: ``nonlinearity(linear_hh(h) + linear_ih(x))``."""
    pre = _linear_hh(hx, w_hh, b_hh) + igates
    return pre.tanh() if nonlinearity == "tanh" else pre.relu()


def _lstm_step(igates: Tensor, hx: tuple[Tensor, Tensor], w_hh: Tensor, b_hh: Tensor | None,
               w_hr: Tensor | None = None) -> tuple[Tensor, Tensor]:
    """RNN.cpp's LSTMCell: gates ``i, f, g, o``; ``c' = f * c + i * g``; ``h' = o * tanh(c')`` (then
    ``h' @ w_hr.T`` with a projection)."""
    h, c = hx
    gates = _linear_hh(h, w_hh, b_hh) + igates
    ingate, forgetgate, cellgate, outgate = gates.chunk(4, 1)
    ingate = ingate.sigmoid()
    forgetgate = forgetgate.sigmoid()
    cellgate = cellgate.tanh()
    outgate = outgate.sigmoid()
    cy = forgetgate * c + ingate * cellgate
    hy = outgate * cy.tanh()
    if w_hr is not None:
        hy = F.linear(hy, w_hr)
    return hy, cy


def _gru_step(igates: Tensor, hx: Tensor, w_hh: Tensor, b_hh: Tensor | None) -> Tensor:
    """RNN.cpp's GRUCell: ``r = σ(i_r + h_r)``, ``z = σ(i_z + h_z)``, ``n = tanh(i_n + r * h_n)``,
    ``h' = (h - n) * z + n``."""
    i_r, i_z, i_n = igates.chunk(3, 1)
    h_r, h_z, h_n = _linear_hh(hx, w_hh, b_hh).chunk(3, 1)
    reset_gate = (h_r + i_r).sigmoid()
    input_gate = (h_z + i_z).sigmoid()
    new_gate = (i_n + h_n * reset_gate).tanh()
    return (hx - new_gate) * input_gate + new_gate


def _step(mode: str, igates: Tensor, hidden: _Hidden, params: list[Tensor | None]) -> _Hidden:
    w_hh, b_hh, w_hr = params[1], params[3], params[4]
    if mode == "LSTM":
        return _lstm_step(igates, hidden, w_hh, b_hh, w_hr)
    if mode == "GRU":
        return _gru_step(igates, hidden, w_hh, b_hh)
    return _simple_step("tanh" if mode == "RNN_TANH" else "relu", igates, hidden, w_hh, b_hh)


def _output_of(mode: str, hidden: _Hidden) -> Tensor:
    return hidden[0] if mode == "LSTM" else hidden


def _slice(mode: str, hidden: _Hidden, start: int, end: int) -> _Hidden:
    if mode == "LSTM":
        return hidden[0].narrow(0, start, end - start), hidden[1].narrow(0, start, end - start)
    return hidden.narrow(0, start, end - start)


def _concat(mode: str, hiddens: list[_Hidden]) -> _Hidden:
    if len(hiddens) == 1:
        return hiddens[0]
    if mode == "LSTM":
        return functions.cat([h[0] for h in hiddens], 0), functions.cat([h[1] for h in hiddens], 0)
    return functions.cat(hiddens, 0)


def _layer(mode: str, data: Tensor, batch_sizes: list[int], hidden: _Hidden, params: list[Tensor | None],
           reverse: bool) -> tuple[Tensor, _Hidden]:
    """One direction of one layer over packed ``data`` (RNN.cpp's PackedLayer / ReversedPackedLayer; a
    padded (T, B, F) input is the packing with every batch size B). Returns the packed outputs and the
    final hidden state of every sequence."""
    igates = F.linear(data, params[0], params[2])
    outputs: list[Tensor] = []
    if not reverse:
        offset, last = 0, batch_sizes[0]
        finals: list[_Hidden] = []
        for batch_size in batch_sizes:
            step_input = igates.narrow(0, offset, batch_size)
            offset += batch_size
            if batch_size < last:  # sequences that ended: their final hidden states
                finals.append(_slice(mode, hidden, batch_size, last))
                hidden = _slice(mode, hidden, 0, batch_size)
            last = batch_size
            hidden = _step(mode, step_input, hidden, params)
            outputs.append(_output_of(mode, hidden))
        finals.append(hidden)
        final = _concat(mode, finals[::-1])
    else:
        initial = hidden
        offset, last = data.shape[0], batch_sizes[-1]
        hidden = _slice(mode, initial, 0, last)
        for batch_size in reversed(batch_sizes):
            if batch_size > last:  # sequences that start here, from their initial hidden states
                hidden = _concat(mode, [hidden, _slice(mode, initial, last, batch_size)])
            step_input = igates.narrow(0, offset - batch_size, batch_size)
            offset -= batch_size
            last = batch_size
            hidden = _step(mode, step_input, hidden, params)
            outputs.append(_output_of(mode, hidden))
        outputs.reverse()
        final = hidden
    return functions.cat(outputs, 0), final


def _run(mode: str, data: Tensor, batch_sizes: list[int], hx: _Hidden, weights: list[Tensor | None],
         has_bias: bool, has_proj: bool, num_layers: int, dropout: float, train: bool,
         bidirectional: bool) -> tuple[Tensor, _Hidden]:
    """RNN.cpp's ``apply_layer_stack`` over packed data: per layer, each direction from its slot of
    ``hx``; dropout between layers; final hidden states stacked layer-major, direction-minor."""
    per = 2 + (2 if has_bias else 0) + (1 if has_proj else 0)
    num_directions = 2 if bidirectional else 1
    finals: list[_Hidden] = []
    layer_input = data
    for layer in range(num_layers):
        outs = []
        for direction in range(num_directions):
            index = layer * num_directions + direction
            group = weights[index * per:(index + 1) * per]
            params: list[Tensor | None] = [group[0], group[1], None, None, None]
            if has_bias:
                params[2], params[3] = group[2], group[3]
            if has_proj:
                params[4] = group[-1]
            hidden = (hx[0][index], hx[1][index]) if mode == "LSTM" else hx[index]
            out, final = _layer(mode, layer_input, batch_sizes, hidden, params, reverse=direction == 1)
            outs.append(out)
            finals.append(final)
        layer_input = outs[0] if num_directions == 1 else functions.cat(outs, outs[0].dim() - 1)
        if dropout != 0 and train and layer < num_layers - 1:
            layer_input = F.dropout(layer_input, dropout, True)
    if mode == "LSTM":
        return layer_input, (functions.stack([f[0] for f in finals], 0), functions.stack([f[1] for f in finals], 0))
    return layer_input, functions.stack(finals, 0)


# ---------------------------------------------------------------------------- modules
class RNNBase(Module):
    """The recurrent modules' shared construction, checks and driver (torch's ``RNNBase``).

    Parameters are registered per layer and direction in torch's order (``weight_ih_l{k}{suffix}``,
    ``weight_hh_l{k}{suffix}``, then ``bias_ih``/``bias_hh`` with ``bias``, then ``weight_hr`` with
    ``proj_size``; suffix ``_reverse`` for the second direction) and all drawn from
    U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) in that order, so a seed gives torch's weights.
    """

    __constants__ = ["mode", "input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout",
                     "bidirectional", "proj_size"]

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device: Any = None, dtype: D.dtype | None = None) -> None:
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        self._flat_weight_refs: list[Any] = []
        num_directions = 2 if bidirectional else 1

        if not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1 or isinstance(dropout, bool):
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an "
                             "element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                          f"expects num_layers greater than 1, but got dropout={dropout} and "
                          f"num_layers={num_layers}", stacklevel=2)
        if not isinstance(bias, bool):
            raise TypeError(f"bias should be of type bool, got: {type(bias).__name__}")
        if not isinstance(batch_first, bool):
            raise TypeError(f"batch_first should be of type bool, got: {type(batch_first).__name__}")
        if not isinstance(input_size, int):
            raise TypeError(f"input_size should be of type int, got: {type(input_size).__name__}")
        if input_size <= 0:
            raise ValueError("input_size must be greater than zero")
        if not isinstance(hidden_size, int):
            raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")

        if mode == "LSTM":
            gate_size = 4 * hidden_size
        elif mode == "GRU":
            gate_size = 3 * hidden_size
        elif mode in ("RNN_TANH", "RNN_RELU"):
            gate_size = hidden_size
        else:
            raise ValueError("Unrecognized RNN mode: " + mode)

        def empty(*shape: int) -> Parameter:
            return Parameter(functions.empty(shape, device=device, dtype=dtype))

        self._flat_weights_names: list[str] = []
        self._all_weights: list[list[str]] = []
        for layer in range(num_layers):
            for direction in range(num_directions):
                real_hidden_size = proj_size if proj_size > 0 else hidden_size
                layer_input_size = input_size if layer == 0 else real_hidden_size * num_directions
                w_ih = empty(gate_size, layer_input_size)
                w_hh = empty(gate_size, real_hidden_size)
                b_ih = empty(gate_size)
                b_hh = empty(gate_size)
                layer_params: tuple[Parameter, ...] = (w_ih, w_hh, b_ih, b_hh) if bias else (w_ih, w_hh)
                if proj_size > 0:
                    layer_params = (*layer_params, empty(proj_size, hidden_size))
                suffix = "_reverse" if direction == 1 else ""
                param_names = ["weight_ih_l{}{}", "weight_hh_l{}{}"]
                if bias:
                    param_names += ["bias_ih_l{}{}", "bias_hh_l{}{}"]
                if proj_size > 0:
                    param_names += ["weight_hr_l{}{}"]
                param_names = [x.format(layer, suffix) for x in param_names]
                for name, param in zip(param_names, layer_params, strict=True):
                    setattr(self, name, param)
                self._flat_weights_names.extend(param_names)
                self._all_weights.append(param_names)
        self._init_flat_weights()
        self.reset_parameters()

    def _init_flat_weights(self) -> None:
        self._flat_weights = [getattr(self, wn) if hasattr(self, wn) else None for wn in self._flat_weights_names]
        self._flat_weight_refs = [weakref.ref(w) if w is not None else None for w in self._flat_weights]
        self.flatten_parameters()

    def __setattr__(self, attr: str, value: Any) -> None:
        """torch's: assigning one of the weights by name also replaces it in ``_flat_weights``."""
        if hasattr(self, "_flat_weights_names") and attr in self._flat_weights_names:
            idx = self._flat_weights_names.index(attr)
            self._flat_weights[idx] = value
        super().__setattr__(attr, value)

    def flatten_parameters(self) -> None:
        """torch compacts the weights into one cuDNN buffer here, and does nothing for weights that are
        not on CUDA with cuDNN; reftorch has no cuDNN, so this is always that no-op."""

    def _apply(self, fn: Any) -> Module:
        self._flat_weight_refs = []
        ret = super()._apply(fn)
        self._init_flat_weights()
        return ret

    def reset_parameters(self) -> None:
        """Every parameter from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), in registration order."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def check_input(self, input: Tensor, batch_sizes: Tensor | None) -> None:
        """torch's checks: the input dtype is the weights' (ValueError), 3 dimensions (2 when packed) and
        ``input.size(-1) == input_size`` (RuntimeErrors)."""
        weight_dtype = self._flat_weights[0].dtype
        if input.dtype != weight_dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype ({weight_dtype}). "
                             f"Convert input: input.to({weight_dtype}), or convert model: model.to({input.dtype})")
        expected_input_dim = 2 if batch_sizes is not None else 3
        if input.dim() != expected_input_dim:
            raise RuntimeError(f"input must have {expected_input_dim} dimensions, got {input.dim()}")
        if self.input_size != input.size(-1):
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {input.size(-1)}")

    def _expected_state_size(self, input: Tensor, batch_sizes: Tensor | None, size: int) -> tuple[int, int, int]:
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        return (self.num_layers * num_directions, mini_batch, size)

    def get_expected_hidden_size(self, input: Tensor, batch_sizes: Tensor | None) -> tuple[int, int, int]:
        """(layers * directions, batch, proj_size or hidden_size)."""
        return self._expected_state_size(input, batch_sizes, self.proj_size if self.proj_size > 0 else self.hidden_size)

    def check_hidden_size(self, hx: Tensor, expected_hidden_size: tuple[int, int, int],
                          msg: str = "Expected hidden size {}, got {}") -> None:
        if hx.size() != expected_hidden_size:
            raise RuntimeError(msg.format(expected_hidden_size, list(hx.size())))

    def _weights_have_changed(self) -> bool:
        for ref, name in zip(self._flat_weight_refs, self._flat_weights_names, strict=True):
            weight = getattr(self, name) if hasattr(self, name) else None
            if weight is not None and ref is not None and ref() is not weight:
                return True
        return False

    def check_forward_args(self, input: Tensor, hidden: Tensor, batch_sizes: Tensor | None) -> None:
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def permute_hidden(self, hx: Tensor, permutation: Tensor | None) -> Tensor:
        if permutation is None:
            return hx
        return _apply_permutation(hx, permutation)

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if self.proj_size != 0:
            s += ", proj_size={proj_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)

    def _update_flat_weights(self) -> None:
        if self._weights_have_changed():
            self._init_flat_weights()

    def __getstate__(self) -> dict:
        self._update_flat_weights()
        state = self.__dict__.copy()
        del state["_flat_weight_refs"]
        return state

    def __setstate__(self, d: dict) -> None:
        super().__setstate__(d)
        self._flat_weight_refs = [weakref.ref(w) if w is not None else None for w in self._flat_weights]

    @property
    def all_weights(self) -> list[list[Parameter]]:
        return [[getattr(self, weight) for weight in weights] for weights in self._all_weights]

    # -- the driver (torch's _VF.rnn_tanh / rnn_relu / lstm / gru)
    def _checked_run(self, orig_input: Any, input: Tensor, hx: _Hidden, batch_sizes: Tensor | None,
                     sorted_indices: Tensor | None, unsorted_indices: Tensor | None) -> tuple[Any, _Hidden]:
        """The end of torch's ``forward``s: ``check_forward_args``, the recurrence, then a PackedSequence
        output for a packed input, or the batch dimension squeezed away again for an unbatched one."""
        self.check_forward_args(input, hx, batch_sizes)
        output, hidden = self._recur(input, batch_sizes, hx)
        if isinstance(orig_input, PackedSequence):
            return (PackedSequence(output, batch_sizes, sorted_indices, unsorted_indices),
                    self.permute_hidden(hidden, unsorted_indices))
        if orig_input.dim() == 2:
            output = output.squeeze(0 if self.batch_first else 1)
            hidden = (hidden[0].squeeze(1), hidden[1].squeeze(1)) if self.mode == "LSTM" else hidden.squeeze(1)
        return output, self.permute_hidden(hidden, unsorted_indices)

    def _recur(self, input: Tensor, batch_sizes: Tensor | None, hx: _Hidden) -> tuple[Tensor, _Hidden]:
        """Run the layer stack; a padded input is flattened to its packing (time-major), the output
        viewed back (and transposed back with ``batch_first``)."""
        if self.mode == "LSTM" and len(hx) != 2:
            raise RuntimeError("lstm expects two hidden states")
        if batch_sizes is not None:
            return _run(self.mode, input, batch_sizes.tolist(), hx, self._flat_weights, self.bias,
                        self.proj_size > 0, self.num_layers, self.dropout, self.training, self.bidirectional)
        if self.batch_first:
            input = input.transpose(0, 1)
        steps, batch = input.shape[0], input.shape[1]
        if steps == 0:
            raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
        data = input.reshape(steps * batch, input.shape[2])
        output, hidden = _run(self.mode, data, [batch] * steps, hx, self._flat_weights, self.bias,
                              self.proj_size > 0, self.num_layers, self.dropout, self.training,
                              self.bidirectional)
        output = output.view(steps, batch, output.shape[-1])
        if self.batch_first:
            output = output.transpose(0, 1)
        return output, hidden


class RNN(RNNBase):
    """Elman RNN ``h_t = tanh|relu(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)``; ``nonlinearity`` is the
    fourth positional argument or a keyword, 'tanh' or 'relu' (otherwise torch's ValueError)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self.nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__(mode, *args, **kwargs)

    def forward(self, input: Any, hx: Tensor | None = None) -> tuple[Any, Tensor]:
        """``(output, h_n)``; 2-D (unbatched) input takes a 2-D ``hx`` and gives unbatched results; a
        PackedSequence gives a PackedSequence."""
        return _forward_single(self, input, hx, "RNN")


class GRU(RNNBase):
    """Gated recurrent unit (gates r, z, n as in torch's docs and RNN.cpp)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input: Any, hx: Tensor | None = None) -> tuple[Any, Tensor]:
        """``(output, h_n)`` as ``RNN.forward``."""
        return _forward_single(self, input, hx, "GRU")


def _forward_single(module: RNNBase, input: Any, hx: Tensor | None, name: str) -> tuple[Any, Tensor]:
    """torch's ``RNN.forward``/``GRU.forward`` (one hidden tensor): their dimension checks and messages,
    zeros for a missing ``hx``, PackedSequence permutations."""
    module._update_flat_weights()
    num_directions = 2 if module.bidirectional else 1
    orig_input = input
    if isinstance(orig_input, PackedSequence):
        input, batch_sizes, sorted_indices, unsorted_indices = input
        max_batch_size = int(batch_sizes[0])
        if hx is None:
            hx = functions.zeros(module.num_layers * num_directions, max_batch_size, module.hidden_size,
                                 dtype=input.dtype, device=input.device)
        else:
            hx = module.permute_hidden(hx, sorted_indices)
    else:
        batch_sizes = None
        if input.dim() not in (2, 3):
            tail = " tensor instead" if name == "RNN" else " instead"
            raise ValueError(f"{name}: Expected input to be 2D or 3D, got {input.dim()}D{tail}")
        is_batched = input.dim() == 3
        batch_dim = 0 if module.batch_first else 1
        if not is_batched:
            input = input.unsqueeze(batch_dim)
            if hx is not None:
                if hx.dim() != 2:
                    raise RuntimeError(f"For unbatched 2-D input, hx should also be 2-D but got {hx.dim()}-D tensor")
                hx = hx.unsqueeze(1)
        elif hx is not None and hx.dim() != 3:
            raise RuntimeError(f"For batched 3-D input, hx should also be 3-D but got {hx.dim()}-D tensor")
        max_batch_size = input.size(0) if module.batch_first else input.size(1)
        sorted_indices = None
        unsorted_indices = None
        if hx is None:
            hx = functions.zeros(module.num_layers * num_directions, max_batch_size, module.hidden_size,
                                 dtype=input.dtype, device=input.device)
    return module._checked_run(orig_input, input, hx, batch_sizes, sorted_indices, unsorted_indices)


class LSTM(RNNBase):
    """Long short-term memory; ``proj_size > 0`` projects ``h`` to ``proj_size`` features (``weight_hr``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("LSTM", *args, **kwargs)

    def get_expected_cell_size(self, input: Tensor, batch_sizes: Tensor | None) -> tuple[int, int, int]:
        """(layers * directions, batch, hidden_size): the cell state is never projected."""
        return self._expected_state_size(input, batch_sizes, self.hidden_size)

    def check_forward_args(self, input: Tensor, hidden: tuple[Tensor, Tensor],  # type: ignore[override]
                           batch_sizes: Tensor | None) -> None:
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden[0], self.get_expected_hidden_size(input, batch_sizes),
                               "Expected hidden[0] size {}, got {}")
        self.check_hidden_size(hidden[1], self.get_expected_cell_size(input, batch_sizes),
                               "Expected hidden[1] size {}, got {}")

    def permute_hidden(self, hx: tuple[Tensor, Tensor],  # type: ignore[override]
                       permutation: Tensor | None) -> tuple[Tensor, Tensor]:
        if permutation is None:
            return hx
        return _apply_permutation(hx[0], permutation), _apply_permutation(hx[1], permutation)

    def forward(self, input: Any, hx: tuple[Tensor, Tensor] | None = None) -> tuple[Any, tuple[Tensor, Tensor]]:
        """``(output, (h_n, c_n))`` with torch's checks; unbatched and PackedSequence inputs as RNN's."""
        self._update_flat_weights()
        batch_sizes = None
        num_directions = 2 if self.bidirectional else 1
        real_hidden_size = self.proj_size if self.proj_size > 0 else self.hidden_size
        orig_input = input

        def zeros(batch: int) -> tuple[Tensor, Tensor]:
            shape = (self.num_layers * num_directions, batch)
            return (functions.zeros(*shape, real_hidden_size, dtype=input.dtype, device=input.device),
                    functions.zeros(*shape, self.hidden_size, dtype=input.dtype, device=input.device))

        if isinstance(orig_input, PackedSequence):
            input, batch_sizes, sorted_indices, unsorted_indices = input
            hx = zeros(int(batch_sizes[0])) if hx is None else self.permute_hidden(hx, sorted_indices)
        else:
            if input.dim() not in (2, 3):
                raise ValueError(f"LSTM: Expected input to be 2D or 3D, got {input.dim()}D instead")
            is_batched = input.dim() == 3
            batch_dim = 0 if self.batch_first else 1
            if not is_batched:
                input = input.unsqueeze(batch_dim)
            max_batch_size = input.size(0) if self.batch_first else input.size(1)
            sorted_indices = None
            unsorted_indices = None
            if hx is None:
                hx = zeros(max_batch_size)
            elif is_batched:
                if hx[0].dim() != 3 or hx[1].dim() != 3:
                    raise RuntimeError("For batched 3-D input, hx and cx should also be 3-D but got "
                                       f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors")
            else:
                if hx[0].dim() != 2 or hx[1].dim() != 2:
                    raise RuntimeError("For unbatched 2-D input, hx and cx should also be 2-D but got "
                                       f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors")
                hx = (hx[0].unsqueeze(1), hx[1].unsqueeze(1))
        return self._checked_run(orig_input, input, hx, batch_sizes, sorted_indices, unsorted_indices)


# ---------------------------------------------------------------------------- cells
class RNNCellBase(Module):
    """The cells' parameters ``weight_ih`` (chunks * hidden, input), ``weight_hh`` (chunks * hidden,
    hidden) and, with ``bias``, ``bias_ih``/``bias_hh``; all from U(-1/sqrt(hidden), 1/sqrt(hidden))."""

    __constants__ = ["input_size", "hidden_size", "bias"]

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int, device: Any = None,
                 dtype: D.dtype | None = None) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = Parameter(functions.empty((num_chunks * hidden_size, input_size), device=device,
                                                   dtype=dtype))
        self.weight_hh = Parameter(functions.empty((num_chunks * hidden_size, hidden_size), device=device,
                                                   dtype=dtype))
        if bias:
            self.bias_ih = Parameter(functions.empty(num_chunks * hidden_size, device=device, dtype=dtype))
            self.bias_hh = Parameter(functions.empty(num_chunks * hidden_size, device=device, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _check(self, input: Tensor, hiddens: tuple[Tensor, ...]) -> None:
        """ATen's ``check_rnn_cell_forward_input``/``_hidden`` (RuntimeErrors)."""
        if input.size(1) != self.weight_ih.size(1):
            raise RuntimeError(f"input has inconsistent input_size: got {input.size(1)} expected "
                               f"{self.weight_ih.size(1)}")
        for label, hx in enumerate(hiddens):
            if input.size(0) != hx.size(0):
                raise RuntimeError(f"Input batch size {input.size(0)} doesn't match hidden{label} batch size "
                                   f"{hx.size(0)}")
            if hx.size(1) != self.weight_hh.size(1):
                raise RuntimeError(f"hidden{label} has inconsistent hidden_size: got {hx.size(1)}, expected "
                                   f"{self.weight_hh.size(1)}")

    def _batched(self, name: str, input: Tensor, hx: Any, pair: bool) -> tuple[bool, Tensor, Any]:
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        if hx is not None:
            if pair:
                for idx, value in enumerate(hx):
                    if value.dim() not in (1, 2):
                        raise ValueError(f"{name}: Expected hx[{idx}] to be 1D or 2D, got {value.dim()}D instead")
            elif hx.dim() not in (1, 2):
                raise ValueError(f"{name}: Expected hidden to be 1D or 2D, got {hx.dim()}D instead")
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)
        if hx is None:
            zeros = functions.zeros(input.size(0), self.hidden_size, dtype=input.dtype, device=input.device)
            hx = (zeros, zeros) if pair else zeros
        elif not is_batched:
            hx = (hx[0].unsqueeze(0), hx[1].unsqueeze(0)) if pair else hx.unsqueeze(0)
        return is_batched, input, hx


class RNNCell(RNNCellBase):
    """One Elman step ``tanh|relu(x W_ih^T + b_ih + h W_hh^T + b_hh)`` (torch's ``_VF.rnn_*_cell``)."""

    __constants__ = ["input_size", "hidden_size", "bias", "nonlinearity"]

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device: Any = None, dtype: D.dtype | None = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        is_batched, input, hx = self._batched("RNNCell", input, hx, pair=False)
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        self._check(input, (hx,))
        igates = F.linear(input, self.weight_ih, self.bias_ih)
        ret = _simple_step(self.nonlinearity, igates, hx, self.weight_hh, self.bias_hh)
        return ret if is_batched else ret.squeeze(0)


class LSTMCell(RNNCellBase):
    """One LSTM step returning ``(h', c')`` (torch's ``_VF.lstm_cell``)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: D.dtype | None = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None) -> tuple[Tensor, Tensor]:
        is_batched, input, hx = self._batched("LSTMCell", input, hx, pair=True)
        if len(hx) != 2:
            raise RuntimeError("lstm_cell expects two hidden states")
        self._check(input, (hx[0], hx[1]))
        igates = F.linear(input, self.weight_ih, self.bias_ih)
        hy, cy = _lstm_step(igates, (hx[0], hx[1]), self.weight_hh, self.bias_hh)
        return (hy, cy) if is_batched else (hy.squeeze(0), cy.squeeze(0))


class GRUCell(RNNCellBase):
    """One GRU step (torch's ``_VF.gru_cell``)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: D.dtype | None = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        is_batched, input, hx = self._batched("GRUCell", input, hx, pair=False)
        self._check(input, (hx,))
        igates = F.linear(input, self.weight_ih, self.bias_ih)
        ret = _gru_step(igates, hx, self.weight_hh, self.bias_hh)
        return ret if is_batched else ret.squeeze(0)
