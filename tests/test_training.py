"""End-to-end training with tinygrad_edu: modules, losses, DataLoader and optimizers together.

Only the results are asserted (accuracy, loss going down), never the time: speed lives in
benchmarks/bench_training.py.
"""

from __future__ import annotations

import itertools

import numpy as np

import tinygrad_edu as torch
import tinygrad_edu.nn.functional as F
from tinygrad_edu import nn, optim
from tinygrad_edu.datasets import load_digits
from tinygrad_edu.utils.data import DataLoader, TensorDataset


class DigitsNet(nn.Module):
    """A LeNet-style CNN for 8 x 8 digits: two conv + max-pool stages, two linear layers."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)  # 16 x 8 x 8 -> pool -> 4 x 4
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)  # 32 x 4 x 4 -> pool -> 2 x 2
        self.fc1 = nn.Linear(32 * 2 * 2, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(x.size(0), -1)
        return self.fc2(F.relu(self.fc1(x)))


def accuracy(model: nn.Module, images: torch.Tensor, labels: torch.Tensor) -> float:
    model.eval()
    with torch.no_grad():
        return (model(images).argmax(dim=1) == labels).float().mean().item()


def test_digits_cnn_reaches_97_percent() -> None:
    torch.manual_seed(0)
    train_x, train_y = load_digits("train")
    test_x, test_y = load_digits("test")
    model = DigitsNet()
    optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    epochs = 10
    schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, epochs)
    loader = DataLoader(TensorDataset(train_x, train_y), batch_size=32, shuffle=True)
    assert len(loader) == 45  # 1 438 training images

    first_epoch_loss = None
    for _ in range(epochs):
        model.train()
        total, count = 0.0, 0
        for x, y in loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            total, count = total + loss.item() * len(y), count + len(y)
        schedule.step()
        if first_epoch_loss is None:
            first_epoch_loss = total / count
    assert total / count < first_epoch_loss / 5  # the training loss fell a lot
    assert accuracy(model, test_x, test_y) >= 0.97
    assert accuracy(model, train_x, train_y) >= 0.98


def test_tiny_mlp_fits_xor() -> None:
    """A 2-8-1 MLP learns XOR with Adam: the sanity check of forward, backward and step."""
    torch.manual_seed(0)
    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
    optimizer = optim.Adam(model.parameters(), lr=0.05)
    losses = []
    for _ in range(300):
        optimizer.zero_grad()
        loss = F.binary_cross_entropy_with_logits(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.05 < losses[0]
    with torch.no_grad():
        predicted = (model(x) > 0).float()
    np.testing.assert_array_equal(predicted.numpy(), y.numpy())


def test_tiny_mlp_regression_with_sgd_matches_closed_form_direction() -> None:
    """Full-batch SGD on a linear model: the loss decreases every step (small lr) and the
    weights approach the least-squares solution."""
    rng = np.random.default_rng(0)
    x_np = rng.normal(size=(64, 3)).astype(np.float32)
    w_true = np.array([[1.5, -2.0, 0.5]], dtype=np.float32)
    y_np = x_np @ w_true.T + 0.3
    x, y = torch.from_numpy(x_np), torch.from_numpy(y_np)
    model = nn.Linear(3, 1)
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for _ in range(200):
        optimizer.zero_grad()
        loss = nn.MSELoss()(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert all(b <= a + 1e-7 for a, b in itertools.pairwise(losses))
    np.testing.assert_allclose(model.weight.detach().numpy(), w_true, atol=1e-3)
    np.testing.assert_allclose(model.bias.detach().numpy(), [0.3], atol=1e-3)
