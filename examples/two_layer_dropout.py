"""A two-layer network with dropout trained on random data by ``optim.SGD``: the same program on
torch and on reftorch, after the same seed, prints the same losses (every random draw -- the data, the
Linear layers' initial weights, each step's dropout mask -- comes from the same CPU stream).

    python examples/two_layer_dropout.py [--impl reftorch|torch] [--steps 100]
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any


def train(torch: Any, steps: int = 100, seed: int = 0) -> list[float]:
    """Train and return the loss of every step."""
    torch.manual_seed(seed)
    n, d_in, hidden, d_out = 64, 100, 50, 10
    x = torch.randn(n, d_in)
    y = torch.randn(n, d_out)
    model = torch.nn.Sequential(
        torch.nn.Linear(d_in, hidden),
        torch.nn.ReLU(),
        torch.nn.Dropout(p=0.2),
        torch.nn.Linear(hidden, d_out),
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-4)
    losses = []
    for _ in range(steps):
        y_pred = model(x)
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", default="reftorch", choices=["reftorch", "torch"])
    parser.add_argument("--steps", type=int, default=100)
    args = parser.parse_args()
    for step, loss in enumerate(train(importlib.import_module(args.impl), args.steps)):
        print(f"{step:3d} {loss:.6f}")


if __name__ == "__main__":
    main()
