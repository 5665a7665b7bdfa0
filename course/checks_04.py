"""Instant checks for the exercises of chapter 04 (neural networks).

Each ``check_<exercise>(answer...)`` prints ✅ or ❌ with a hint aimed at the usual mistake, and
returns True or False. They run offline, in a fraction of a second, and never touch the global
random generator: the test models get their weights from a local NumPy generator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from checks import report

import tinygrad_edu as torch
import tinygrad_edu.nn.functional as F
from tinygrad_edu import nn, optim

# ------------------------------------------------------------------------------ exercise 1

# LeNet (seed 001) on a 28 x 28 image: conv 5x5 -> 24, pool 2 -> 12, conv 5x5 -> 8, pool 2 -> 4
FLAT_28 = 16 * 4 * 4


def check_flat_features(n: Any) -> bool:
    """Exercise 1: the seed's LeNet fed 1 x 28 x 28 images: what must ``fc1``'s
    ``in_features`` be? Expected ``16 * 4 * 4 = 256``."""
    success = ("Right: 28 → conv 5×5 → 24 → pool → 12 → conv 5×5 → 8 → pool → 4, with 16 "
               "channels: 16·4·4 = 256 features.")
    if isinstance(n, torch.Tensor) and n.numel() == 1:
        n = n.item()
    if n is None or isinstance(n, bool) or not isinstance(n, (int, float, np.integer)):
        return report(False, success, "Pass one whole number: the length of each flattened "
                      "row, e.g. 16 * 4 * 4 (channels × height × width).")
    if n == FLAT_28:
        return report(True, success, "")
    hints = {
        400: "400 = 16·5·5 is the answer for 32 × 32 inputs (the seed's). Redo the sizes "
             "starting from 28.",
        784: "784 = 28·28 (or 16·7·7). A 5×5 convolution without padding shrinks each side "
             "by 4 (28 → 24), and max-pooling by 2 halves it (24 → 12).",
        16: "16 is the height × width (4·4) or the channel count alone: multiply channels × "
            "height × width, 16·4·4.",
        96: "96 = 6·4·4: after conv2 there are 16 channels, not 6.",
        1024: "1024 = 16·8·8: you left out the second max-pool (8 → 4).",
        2304: "2304 = 16·12·12: you left out conv2 and the second pool (12 → 8 → 4).",
        576: "576 = 16·6·6: 28 → 24 → 12 → 8 → 4. A 5×5 convolution (no padding) takes 4 off "
             "each side length, not 5 or 6.",
        9216: "9216 = 16·24·24: both max-pools are missing (each halves height and width).",
    }
    hint = hints.get(int(n)) if float(n) == int(n) else None
    if hint is None:
        hint = (f"{n} is not it. Follow one side length: a 5×5 convolution without padding "
                "gives size − 4, a 2×2 max-pool halves it; then multiply channels × height × "
                "width.")
    return report(False, success, hint)


# ------------------------------------------------------------------------------ exercise 2

MLP_SIZES = (64, 32, 10)
MLP_PARAMS = 64 * 32 + 32 + 32 * 10 + 10  # 2410


def _parameter_count(model: Any) -> int:
    return sum(p.numel() for p in model.parameters())


def check_mlp(model: Any) -> bool:
    """Exercise 2: ``nn.Sequential`` with ``Linear(64, 32)``, ``ReLU``, ``Linear(32, 10)``:
    2410 parameters, (5, 64) in -> (5, 10) out."""
    success = ("Right: Linear(64, 32) → ReLU → Linear(32, 10): 64·32 + 32 + 32·10 + 10 = 2410 "
               "parameters, and a batch of 5 comes out as (5, 10).")
    if model is None:
        return report(False, success, "model is None: build it with nn.Sequential(...).")
    if isinstance(model, (list, tuple)):
        return report(False, success, "That is a Python list of layers. Wrap it: "
                      "nn.Sequential(*layers) (the star unpacks the list).")
    if not isinstance(model, nn.Module):
        return report(False, success, f"model is a {type(model).__name__}, not a module: build "
                      "it with nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10)).")
    if not isinstance(model, nn.Sequential):
        return report(False, success, f"model is one {type(model).__name__}; chain the layers "
                      "in a container: nn.Sequential(nn.Linear(64, 32), nn.ReLU(), "
                      "nn.Linear(32, 10)).")
    layers = list(model.children())
    linears = [m for m in layers if isinstance(m, nn.Linear)]
    sizes = [(m.in_features, m.out_features) for m in linears]
    if len(linears) != 2:
        return report(False, success, f"Found {len(linears)} nn.Linear layer(s) inside "
                      "nn.Sequential; expected two: nn.Linear(64, 32) and nn.Linear(32, 10), "
                      "with nn.ReLU() between them.")
    if sizes != [(64, 32), (32, 10)]:
        if sizes == [(32, 64), (10, 32)]:
            return report(False, success, "nn.Linear takes (in_features, out_features): "
                          "nn.Linear(64, 32), not nn.Linear(32, 64).")
        return report(False, success, f"The Linear layers have (in, out) sizes {sizes}; "
                      "expected [(64, 32), (32, 10)]: 64 inputs, 32 hidden units, 10 outputs.")
    x = torch.from_numpy(np.random.default_rng(0).normal(size=(5, 64)).astype(np.float32))
    try:
        with torch.no_grad():
            out = model(x)
    except Exception as error:  # a model that cannot run: show why
        return report(False, success, f"A batch of shape (5, 64) does not go through: "
                      f"{type(error).__name__}: {error}. Each layer's in_features must equal "
                      "the previous layer's out_features.")
    if not isinstance(out, torch.Tensor) or tuple(out.shape) != (5, 10):
        shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        return report(False, success, f"A batch of shape (5, 64) gives {shape}, expected "
                      "(5, 10): one row of 10 scores per input.")
    if not any(isinstance(m, (nn.ReLU, nn.Tanh, nn.Sigmoid)) for m in layers):
        return report(False, success, "There is no activation between the Linear layers: "
                      "two linear maps in a row are just one linear map. Put nn.ReLU() "
                      "between them.")
    if layers and isinstance(layers[-1], (nn.ReLU, nn.Tanh, nn.Sigmoid)):
        return report(False, success, "The last layer is an activation: the outputs (logits) "
                      "should be free to be negative. End with nn.Linear(32, 10).")
    count = _parameter_count(model)
    if count == 64 * 32 + 32 * 10:
        return report(False, success, "2368 parameters: the biases are missing. Leave "
                      "bias=True (the default) in nn.Linear.")
    if count != MLP_PARAMS:
        return report(False, success, f"{count} parameters, expected {MLP_PARAMS} "
                      "(64·32 + 32 + 32·10 + 10): use exactly two Linear layers.")
    return report(True, success, "")


# ------------------------------------------------------------------------------ exercise 3

_STALE = 5.0  # the value a "leftover" gradient is filled with before the student's step


def _step_model() -> nn.Module:
    """A small fixed model; weights from a local generator. Building the layers draws their
    initial weights from the global generator, so its state is put back afterwards."""
    state = torch.get_rng_state()
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    torch.set_rng_state(state)
    rng = np.random.default_rng(4)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(rng.normal(0.0, 0.5, size=tuple(p.shape))
                                     .astype(np.float32)))
    return model


def _step_batch() -> tuple[torch.Tensor, torch.Tensor]:
    rng = np.random.default_rng(5)
    x = torch.from_numpy(rng.normal(size=(6, 4)).astype(np.float32))
    y = torch.tensor([0, 1, 2, 0, 1, 2])
    return x, y


def _weights(model: nn.Module) -> list[np.ndarray]:
    return [p.detach().numpy().copy() for p in model.parameters()]


def _same(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return all(np.allclose(x, y, rtol=1e-5, atol=1e-6) for x, y in zip(a, b))


def _reference(grads: str, lr: float) -> list[np.ndarray]:
    """The weights after one SGD step from the fixed start, with the gradient of the batch
    (``"fresh"``), that plus the leftovers (``"fresh+stale"``: ``zero_grad`` forgotten) or the
    leftovers alone (``"stale"``: no ``backward`` before ``step``)."""
    model = _step_model()
    x, y = _step_batch()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            grad = {"fresh": p.grad, "fresh+stale": p.grad + _STALE,
                    "stale": torch.full(tuple(p.shape), _STALE)}[grads]
            p -= lr * grad
    return _weights(model)


def check_train_step(train_step: Callable[..., Any]) -> bool:
    """Exercise 3: ``train_step(model, optimizer, loss_fn, x, y)`` does zero_grad, forward,
    loss, backward, step and returns the loss as a number. One call on a fixed batch (whose
    ``.grad`` holds leftovers from "an earlier step") must give exactly one SGD step."""
    success = ("Right: zero_grad → forward → loss → backward → step. The leftover gradients "
               "were cleared, the weights took one step and the loss on the batch went down.")
    if not callable(train_step):
        return report(False, success, "Pass the function itself: check_train_step(train_step) "
                      "(no parentheses after train_step).")
    lr = 0.1
    model = _step_model()
    x, y = _step_batch()
    for p in model.parameters():  # leftovers from an "earlier step"
        p.grad = torch.full(tuple(p.shape), _STALE)
    start = _weights(model)
    with torch.no_grad():
        loss_before = F.cross_entropy(model(x), y).item()
    optimizer = optim.SGD(model.parameters(), lr=lr)
    try:
        returned = train_step(model, optimizer, F.cross_entropy, x, y)
    except TypeError as error:
        return report(False, success, f"Calling train_step(model, optimizer, loss_fn, x, y) "
                      f"failed: {error}. Keep the five arguments in that order.")
    except Exception as error:  # show the student's own error
        if "inplace" in str(error):
            return report(False, success, "optimizer.step() changed the weights before "
                          "loss.backward() used them. The order is zero_grad, forward, loss, "
                          "backward, step.")
        return report(False, success, f"train_step raised {type(error).__name__}: {error}")
    after = _weights(model)
    grads = [p.grad for p in model.parameters()]
    if _same(after, start):
        if all(g is None for g in grads):
            return report(False, success, "The weights did not change and there are no "
                          "gradients: call loss.backward() before optimizer.step().")
        if all(g is not None and np.allclose(g.numpy(), _STALE) for g in grads):
            return report(False, success, "The weights did not change and .grad still holds "
                          "the old leftovers: call loss.backward() and then optimizer.step().")
        return report(False, success, "The weights did not change: call optimizer.step() "
                      "after loss.backward().")
    if _same(after, _reference("fresh+stale", lr)):
        return report(False, success, "The step used the old gradients added to the new ones: "
                      "call optimizer.zero_grad() at the START of the step, before "
                      "loss.backward() (gradients accumulate).")
    if _same(after, _reference("stale", lr)):
        return report(False, success, "The step used only the old leftover gradients: "
                      "loss.backward() is missing (or comes after optimizer.step()).")
    if not _same(after, _reference("fresh", lr)):
        return report(False, success, "The weights moved, but not by one SGD step on "
                      "loss_fn(model(x), y): compute the loss with the loss_fn you were given, "
                      "call backward once and optimizer.step() once.")
    if isinstance(returned, torch.Tensor) and returned.numel() == 1:
        returned = returned.item()
    if not isinstance(returned, (float, int)) or isinstance(returned, bool):
        return report(False, success, "The step itself is right, but return the loss as a "
                      "number: return loss.item().")
    if not np.isclose(returned, loss_before, rtol=1e-5, atol=1e-6):
        return report(False, success, f"The step is right, but it returned {returned:.4f}; "
                      f"the loss of this batch was {loss_before:.4f}. Return loss.item() of "
                      "the loss you called backward on.")
    with torch.no_grad():
        loss_after = F.cross_entropy(model(x), y).item()
    return report(loss_after < loss_before, success,
                  "The loss did not go down after the step: check the sign of the update.")


# ------------------------------------------------------------------------------ exercise 4

# (logits, labels, accuracy): a batch of 5 with 3 classes, and one of 4 with 4 classes
_ACCURACY_CASES = [
    ([[2.0, 0.5, -1.0], [0.1, 0.3, 0.2], [-1.0, -2.0, 3.0], [0.0, 1.0, 0.5], [4.0, 1.0, 2.0]],
     [0, 2, 2, 1, 1], 0.6),
    ([[1.0, 0.0, 0.0, 0.0], [0.0, 2.0, 0.0, 0.0], [0.0, 0.0, 0.0, 3.0], [5.0, 0.0, 0.0, 0.0]],
     [0, 1, 2, 3], 0.5),
]


def check_accuracy(accuracy: Callable[..., Any]) -> bool:
    """Exercise 4: ``accuracy(logits, labels)`` -> the fraction of rows whose largest logit
    is at the label, as a Python float between 0 and 1."""
    success = ("Right: logits.argmax(dim=1) picks each row's class; comparing with labels and "
               "averaging gives the fraction correct (0.6 and 0.5 on the test batches).")
    if not callable(accuracy):
        return report(False, success, "Pass the function itself: check_accuracy(accuracy).")
    results = []
    for logits, labels, expected in _ACCURACY_CASES:
        try:
            got = accuracy(torch.tensor(logits), torch.tensor(labels))
        except Exception as error:  # show the student's own error
            if "ValuesIndices" in str(error):
                return report(False, success, "logits.max(dim=1) gives a pair (values, "
                              "indices). Use logits.argmax(dim=1) for the classes.")
            return report(False, success, f"accuracy(logits, labels) raised "
                          f"{type(error).__name__}: {error}. (The predicted classes are "
                          "logits.argmax(dim=1), one per row, the same shape as labels.)")
        results.append((got, len(labels), expected))
    values = []
    for got, _, _ in results:
        if got is None:
            return report(False, success, "accuracy returned None: did you forget `return`?")
        if isinstance(got, tuple):
            return report(False, success, "accuracy returned a tuple: logits.max(dim=1) gives "
                          "(values, indices). Use logits.argmax(dim=1) for the classes.")
        if isinstance(got, bool):  # a tensor compared with something that is not one
            return report(False, success, "accuracy returned a bool: comparing "
                          "logits.max(dim=1), a (values, indices) pair, with labels gives "
                          "False. Use logits.argmax(dim=1) for the classes.")
        if isinstance(got, torch.Tensor) and got.numel() != 1:
            return report(False, success, f"accuracy returned a tensor of shape "
                          f"{tuple(got.shape)}: average the right/wrong comparison into one "
                          "number, e.g. (predicted == labels).float().mean().item().")
        try:
            values.append(float(got))
        except (TypeError, ValueError):
            return report(False, success, f"accuracy returned a {type(got).__name__}; return "
                          "a Python float between 0 and 1.")
    for value, (_, n, expected) in zip(values, results):
        if np.isclose(value, expected):
            continue
        if np.isclose(value, 100 * expected):
            return report(False, success, f"{value:g} is a percentage: return a fraction "
                          "between 0 and 1 (drop the * 100).")
        if np.isclose(value, round(expected * n)):
            return report(False, success, f"{value:g} is the NUMBER of correct rows: divide "
                          "by len(labels), or use .float().mean().")
        if np.isclose(value, 1 - expected):
            return report(False, success, "That is the error rate (1 − accuracy): count the "
                          "rows where the prediction EQUALS the label.")
        return report(False, success, f"Got {value:g}, expected {expected:g}. The predicted "
                      "class of each row is logits.argmax(dim=1) (dim=1: across the classes "
                      "of one row, not down the batch).")
    if any(isinstance(got, torch.Tensor) for got, _, _ in results):
        return report(False, success, "The number is right, but it is a tensor: return a "
                      "Python float with .item().")
    return report(True, success, "")
