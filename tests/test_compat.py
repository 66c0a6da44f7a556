"""Unmodified torch scripts on reftorch: ``python -m reftorch SCRIPT.py`` and ``reftorch.compat.install()``.

Each script of tests/fixtures/compat is written for torch. It runs in a subprocess twice, once with the real
torch (``python SCRIPT.py``) and once on reftorch; what it prints must agree (numbers to rtol 1e-4, tables
exactly). The test process itself has the real torch loaded, so the alias is only installed in subprocesses.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent / "fixtures" / "compat"
_NUMBER = re.compile(r"-?\d+\.\d+e[-+]\d+")
_INSTALL = ("import runpy, sys; import reftorch.compat; reftorch.compat.install(); "
            "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')")


def _run(how: str, script: str, *args: str) -> subprocess.CompletedProcess:
    """``script`` run under the real torch (``how='torch'``), ``python -m reftorch`` or ``compat.install()``."""
    path = str(SCRIPTS / script)
    prefix = {"torch": [], "main": ["-m", "reftorch"], "install": ["-c", _INSTALL]}[how]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "error"}
    return subprocess.run([sys.executable, *prefix, path, *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("how", ["main", "install"])
@pytest.mark.parametrize("seed", ["0", "3"])
def test_documents_two_layer_net_prints_torchs_losses(how: str, seed: str) -> None:
    theirs, ours = _ok(_run("torch", "two_layer_net.py", seed)), _ok(_run(how, "two_layer_net.py", seed))
    losses_t, losses_o = _losses(theirs), _losses(ours)
    assert len(losses_t) == 50 and len(losses_o) == 50
    np.testing.assert_allclose(losses_o, losses_t, rtol=1e-4)
    assert losses_t[-1] < losses_t[0]
    # the script ran on reftorch, its tensors report torch's legacy type string, and there is no CUDA
    assert theirs.splitlines()[-1] == "torch torch.FloatTensor False"
    assert ours.splitlines()[-1] == "reftorch torch.FloatTensor False"


def _losses(stdout: str) -> list[float]:
    return [float(v) for v in _NUMBER.findall(stdout)]


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_documents_two_layer_net_with_an_optimizer_prints_torchs_losses(optimizer: str) -> None:
    theirs = _losses(_ok(_run("torch", "two_layer_optim.py", optimizer)))
    ours = _losses(_ok(_run("main", "two_layer_optim.py", optimizer)))
    assert len(theirs) == len(ours) == 100
    np.testing.assert_allclose(ours, theirs, rtol=1e-4)
    assert theirs[-1] < theirs[0] * 0.8


def test_gpt_char_model_trains_as_torch_does() -> None:
    """100 AdamW steps of a minGPT-style model (decay/no-decay groups by module type, clip_grad_norm_, batches
    from a DataLoader over RandomSampler(replacement=True), dropout 0.1, greedy generation): the first 20 losses
    agree to rtol 1e-3 (summation order makes later steps drift) and the loss falls as far as torch's."""
    theirs_out = _ok(_run("torch", "gpt_char.py", "--steps", "100"))
    ours_out = _ok(_run("main", "gpt_char.py", "--steps", "100"))
    theirs, ours = _losses(theirs_out), _losses(ours_out)
    assert len(theirs) == len(ours) == 100
    np.testing.assert_allclose(ours[:20], theirs[:20], rtol=1e-3)
    assert theirs[-1] < 0.6 * theirs[0]
    assert np.mean(ours[-10:]) <= np.mean(theirs[-10:]) * 1.05
    generated = [line for line in ours_out.splitlines() if line.startswith("generated: Tensors ")]
    assert len(generated) == 1 and len(generated[0]) == len("generated: ") + 48  # the 8-character prompt and 40 more


def test_torchsummary_prints_torchs_table() -> None:
    theirs = _ok(_run("torch", "model_summaries.py"))
    assert "Total params: 5,560" in theirs and "Conv2d-1" in theirs
    assert _ok(_run("main", "model_summaries.py")) == theirs


def test_torchinfo_prints_torchs_table() -> None:
    """torchinfo needs ``torch.jit.ScriptModule`` only for an isinstance check, which is honestly False."""
    theirs = _ok(_run("torch", "torchinfo_summary.py"))
    assert "Total params: 5,560" in theirs
    assert _ok(_run("install", "torchinfo_summary.py")) == theirs


def test_tqdm_over_a_training_loop() -> None:
    theirs, ours = _run("torch", "tqdm_loop.py"), _run("main", "tqdm_loop.py")
    losses_t, losses_o = _losses(_ok(theirs)), _losses(_ok(ours))
    assert len(losses_t) == 12
    np.testing.assert_allclose(losses_o, losses_t, rtol=1e-4)
    for stderr in (theirs.stderr, ours.stderr):  # both bars ran to the end, showing the last loss
        assert "epoch 1: 100%" in stderr and "6/6" in stderr
    assert f"loss={losses_o[-1]:.6f}" in ours.stderr


def test_unimplemented_modules_import_and_raise_only_when_used() -> None:
    out = _ok(_run("main", "optional_modules.py"))
    assert out.splitlines() == ["distributed False", "scripting False False"]


@pytest.mark.parametrize(("use", "names"), [
    ("onnx", "torch.onnx.export is not supported by reftorch"),
    ("tensorboard", "torch.utils.tensorboard.SummaryWriter is not supported by reftorch"),
    ("jit", "torch.jit.script is not supported by reftorch"),
    ("distributed", "torch.distributed.init_process_group is not supported by reftorch"),
    ("missing", "ModuleNotFoundError: No module named 'torch.does_not_exist': reftorch has no module "
                "'reftorch.does_not_exist'"),
])
def test_using_what_reftorch_lacks_raises_naming_it(use: str, names: str) -> None:
    result = _run("main", "optional_modules.py", use)
    assert result.returncode == 1
    assert names in result.stderr
    assert "RuntimeError" in result.stderr or use == "missing"


_PROBE = """
import sys, reftorch.compat as c
c.install(); c.install()
import torch, torch.nn, torch.nn.functional as F, torch.optim, torch.utils.hooks, reftorch
from torch.nn import Linear
print(torch is reftorch, torch.nn is reftorch.nn, F is reftorch.nn.functional, torch.optim is reftorch.optim,
      Linear is reftorch.nn.Linear, isinstance(reftorch.zeros(1), torch.Tensor), c.is_installed())
c.uninstall()
print(c.is_installed(), 'torch' in sys.modules, 'torch.nn' in sys.modules)
"""


def test_alias_gives_reftorchs_own_module_objects_and_uninstalls() -> None:
    result = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert _ok(result).split() == ["True"] * 7 + ["False"] * 3


def test_install_refuses_when_torch_is_already_imported() -> None:
    import torch  # noqa: F401 - the real torch, loaded in this process

    from reftorch import compat

    before = list(sys.meta_path)
    with pytest.raises(RuntimeError, match="torch is already imported"):
        compat.install()
    assert sys.meta_path == before and not compat.is_installed()


@pytest.mark.parametrize(("argv", "code", "says"), [
    ([], 2, "usage: python -m reftorch SCRIPT.py"),
    (["no_such_script.py"], 2, "can't open file 'no_such_script.py'"),
])
def test_main_without_a_script(argv: list[str], code: int, says: str) -> None:
    result = subprocess.run([sys.executable, "-m", "reftorch", *argv], capture_output=True, text=True, cwd=ROOT,
                            timeout=120)
    assert result.returncode == code and says in result.stderr


@pytest.mark.parametrize("writer, reader", [("main", "torch"), ("torch", "main"), ("main", "main")])
def test_safetensors_files_exchange_with_torch(tmp_path, writer: str, reader: str) -> None:
    """safetensors.torch.save_file / load_file (tensor.layout, untyped storages, torch.frombuffer) work
    through the alias: a file written on either library reads back the same on either."""
    path = str(tmp_path / "model.safetensors")
    _ok(_run(writer, "safetensors_roundtrip.py", "save", path))
    printed = _ok(_run(reader, "safetensors_roundtrip.py", "load", path))
    _ok(_run("torch", "safetensors_roundtrip.py", "save", str(tmp_path / "torch.safetensors")))
    assert printed == _ok(_run("torch", "safetensors_roundtrip.py", "load", str(tmp_path / "torch.safetensors")))
    assert "0.weight torch.float32 (3, 4)" in printed and "steps torch.int64 (5,) [0, 1, 2, 3, 4]" in printed
