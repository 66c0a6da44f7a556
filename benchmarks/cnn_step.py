"""One training step of a small CNN, reftorch vs torch side by side (the runner: benchmarks/_harness.py):
Conv2d(3, 16, 3, padding=1), ReLU, MaxPool2d(2), Flatten, Linear(16 * 16 * 16, 10) on a batch of 32
3x32x32 images; loss ``output.pow(2).mean()``, backward, and a hand-written SGD update.

    python benchmarks/cnn_step.py [--repeat 5] [--number 5]
"""

from __future__ import annotations

import sys

from _harness import Case, run


def _cnn_step(T):
    T.manual_seed(0)
    nn = T.nn
    model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(16 * 16 * 16, 10))
    x = T.randn(32, 3, 32, 32)
    params = list(model.parameters())

    def step() -> None:
        loss = model(x).pow(2).mean()
        for p in params:
            p.grad = None
        loss.backward()
        with T.no_grad():
            for p in params:
                p.sub_(p.grad, alpha=0.01)

    return step


CASES = (Case("CNN training step (batch 32, 3x32x32)", _cnn_step, 2.0),)

if __name__ == "__main__":
    sys.exit(run(CASES, __doc__.splitlines()[0], repeat=5, number=5))
