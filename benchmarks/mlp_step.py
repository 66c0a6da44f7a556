"""One training step of an MLP, reftorch vs torch side by side (the runner: benchmarks/_harness.py):
Linear(784, 256), ReLU, Linear(256, 10) on a batch of 128; ``nn.CrossEntropyLoss`` against integer
targets, backward, and a hand-written SGD update (no ``optim``). Target: at most 1.2x torch's time.

    python benchmarks/mlp_step.py [--repeat 7] [--number 200] [--threads 1]
"""

from __future__ import annotations

import sys

from _harness import Case, run


def mlp_step(T, lr: float = 0.01):
    """The model, a fixed batch and one step of it (the MLP of the nn issue), built with library ``T``."""
    T.manual_seed(0)
    nn = T.nn
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    criterion = nn.CrossEntropyLoss()
    x = T.randn(128, 784)
    y = T.randint(0, 10, (128,))
    params = list(model.parameters())

    def step() -> None:
        loss = criterion(model(x), y)
        for p in params:
            p.grad = None
        loss.backward()
        with T.no_grad():
            for p in params:
                p.sub_(p.grad, alpha=lr)

    return step


CASES = (Case("MLP training step (784-256-10, batch 128)", mlp_step, 1.2),)

if __name__ == "__main__":
    sys.exit(run(CASES, __doc__.splitlines()[0], repeat=7, number=200))
