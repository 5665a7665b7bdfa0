"""tinygrad_edu.optim against torch.optim: the same parameters, losses and gradients, step for
step, in float64 (values equal to ~1e-12); state dicts, param groups, zero_grad, schedulers."""

from __future__ import annotations

import copy
import itertools
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import tinygrad_edu as tg
from tinygrad_edu import optim

RTOL, ATOL = 1e-12, 1e-14

# ------------------------------------------------------------------------------- helpers

rng = np.random.default_rng(0)
X = rng.normal(size=(16, 4))
Y = rng.normal(size=(16, 3))
W0 = rng.normal(size=(3, 4))
B0 = rng.normal(size=(3,))
C0 = rng.normal(size=(5,))  # a parameter that never gets a gradient


def _params(lib: Any) -> list[Any]:
    return [lib.tensor(a.copy(), dtype=lib.float64, requires_grad=True) for a in (W0, B0, C0)]


def _loss(lib: Any, params: list[Any]) -> Any:
    """Mean squared error of a linear layer plus a quartic term (so curvature changes)."""
    w, b, _ = params
    x, y = lib.tensor(X, dtype=lib.float64), lib.tensor(Y, dtype=lib.float64)
    out = x @ w.T + b
    return ((out - y) ** 2).mean() + 0.01 * (w**4).sum()


def _numpy(t: Any) -> np.ndarray:
    return np.array(t.detach().tolist(), dtype=np.float64)


def _assert_same(ours: list[Any], theirs: list[Any], what: str = "") -> None:
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        np.testing.assert_allclose(_numpy(a), _numpy(b), rtol=RTOL, atol=ATOL,
                                   err_msg=f"{what} parameter {i}")


def _train(lib: Any, opt: Any, params: list[Any], steps: int) -> None:
    for _ in range(steps):
        opt.zero_grad()
        _loss(lib, params).backward()
        opt.step()


def _compare(make: Callable[[Any, list[Any]], Any], steps: int = 6) -> None:
    """``make(lib, params)`` builds the optimizer in either library; compare every step."""
    ours, theirs = _params(tg), _params(torch)
    opt_ours, opt_theirs = make(optim, ours), make(torch.optim, theirs)
    for step in range(steps):
        _train(tg, opt_ours, ours, 1)
        _train(torch, opt_theirs, theirs, 1)
        _assert_same(ours, theirs, f"step {step}:")
    _assert_same_state(opt_ours, opt_theirs)


def _assert_same_state(opt_ours: Any, opt_theirs: Any) -> None:
    """Same state-dict layout: state keyed by index with the same entries and values, and
    param groups with the same hyperparameters and index lists."""
    ours, theirs = opt_ours.state_dict(), opt_theirs.state_dict()
    assert sorted(ours["state"]) == sorted(theirs["state"])
    for index, entries in theirs["state"].items():
        assert sorted(ours["state"][index]) == sorted(entries)
        for key, value in entries.items():
            np.testing.assert_allclose(_numpy(ours["state"][index][key]), _numpy(value),
                                       rtol=RTOL, atol=ATOL, err_msg=f"state {index} {key}")
    assert len(ours["param_groups"]) == len(theirs["param_groups"])
    for group, torch_group in zip(ours["param_groups"], theirs["param_groups"]):
        for key, value in group.items():
            assert torch_group[key] == value, key


# ------------------------------------------------------------------------ optimizers

SGD_CASES = [
    {"momentum": m, "dampening": d, "nesterov": n, "weight_decay": wd, "maximize": mx}
    for m, d, n, wd, mx in itertools.product([0, 0.9], [0, 0.3], [False, True], [0, 0.05],
                                             [False, True])
    if not (n and (m == 0 or d != 0))
]


@pytest.mark.parametrize("options", SGD_CASES, ids=str)
def test_sgd_matches_torch(options: dict[str, Any]) -> None:
    _compare(lambda lib, params: lib.SGD(params, lr=0.05, **options))


ADAM_CASES = [
    {"amsgrad": a, "weight_decay": wd, "maximize": mx, "betas": b}
    for a, wd, mx, b in itertools.product([False, True], [0, 0.1], [False, True],
                                          [(0.9, 0.999), (0.3, 0.5)])
]


@pytest.mark.parametrize("options", ADAM_CASES, ids=str)
def test_adam_matches_torch(options: dict[str, Any]) -> None:
    _compare(lambda lib, params: lib.Adam(params, lr=0.05, **options), steps=8)


@pytest.mark.parametrize("options", [
    {"amsgrad": a, "weight_decay": wd, "maximize": mx}
    for a, wd, mx in itertools.product([False, True], [0.01, 0.3], [False, True])
], ids=str)
def test_adamw_matches_torch(options: dict[str, Any]) -> None:
    _compare(lambda lib, params: lib.AdamW(params, lr=0.05, **options), steps=8)


def test_adamw_default_weight_decay() -> None:
    assert optim.AdamW(_params(tg)).defaults["weight_decay"] == 0.01
    _compare(lambda lib, params: lib.AdamW(params))


@pytest.mark.parametrize("options", [
    {"centered": c, "momentum": m, "weight_decay": wd, "maximize": mx}
    for c, m, wd, mx in itertools.product([False, True], [0, 0.5], [0, 0.1], [False, True])
], ids=str)
def test_rmsprop_matches_torch(options: dict[str, Any]) -> None:
    _compare(lambda lib, params: lib.RMSprop(params, lr=0.01, alpha=0.9, **options), steps=8)


def test_defaults_match_torch() -> None:
    for name in ["SGD", "Adam", "AdamW", "RMSprop"]:
        ours = getattr(optim, name)(_params(tg)).defaults
        theirs = getattr(torch.optim, name)(_params(torch)).defaults
        assert {k: theirs[k] for k in ours} == ours, name


def test_param_groups_with_own_hyperparameters() -> None:
    def make(lib: Any, params: list[Any]) -> Any:
        return lib.SGD([{"params": [params[0]], "lr": 0.01},
                        {"params": [params[1], params[2]], "momentum": 0.5}],
                       lr=0.1, momentum=0.9, nesterov=True)
    _compare(make)


def test_float32_parameters_match_torch() -> None:
    ours = [tg.tensor(W0, dtype=tg.float32, requires_grad=True)]
    theirs = [torch.tensor(W0, dtype=torch.float32, requires_grad=True)]
    opt_ours, opt_theirs = optim.Adam(ours, lr=0.1), torch.optim.Adam(theirs, lr=0.1)
    for _ in range(5):
        for params, opt in [(ours, opt_ours), (theirs, opt_theirs)]:
            opt.zero_grad()
            ((params[0] - 1.0) ** 2).sum().backward()
            opt.step()
    assert ours[0].dtype is tg.float32
    assert opt_ours.state[ours[0]]["exp_avg"].dtype is tg.float32
    np.testing.assert_allclose(_numpy(ours[0]), _numpy(theirs[0]), rtol=1e-6)


def test_closure_is_evaluated_with_grad_and_its_loss_returned() -> None:
    params = _params(tg)
    opt = optim.SGD(params, lr=0.1)

    def closure() -> Any:
        opt.zero_grad()
        loss = _loss(tg, params)
        loss.backward()
        return loss

    with tg.no_grad():  # step() turns grad mode on for the closure
        loss = opt.step(closure)
    assert loss.item() == pytest.approx(_loss(torch, _params(torch)).item(), rel=1e-12)


# ------------------------------------------------------------------ in-place updates


def test_step_updates_in_place_and_bumps_the_version() -> None:
    params = _params(tg)
    ids, arrays = [id(p) for p in params], [p._array for p in params]
    versions = [p._version for p in params]
    opt = optim.Adam(params, lr=0.1)
    _train(tg, opt, params, 1)
    assert [id(p) for p in params] == ids
    assert all(p._array is a for p, a in zip(params, arrays))  # same memory, changed
    assert [p._version for p in params[:2]] > versions[:2]
    assert params[2]._version == versions[2]  # no gradient: untouched
    assert all(p.is_leaf and p.requires_grad and p.grad_fn is None for p in params)


def test_backward_through_a_graph_saved_before_the_step_raises() -> None:
    w = tg.tensor([1.0, 2.0], dtype=tg.float64, requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    y = (w * w).sum()  # saves w at version v
    opt.step()  # changes w in place: version v + 1
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_step_records_nothing() -> None:
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1, momentum=0.9)
    (w * w).sum().backward()
    opt.step()
    assert w.grad_fn is None
    assert opt.state[w]["momentum_buffer"].requires_grad is False


# ------------------------------------------------------------------ zero_grad


def test_zero_grad_set_to_none() -> None:
    params = _params(tg)
    opt = optim.SGD(params, lr=0.1)
    _loss(tg, params).backward()
    opt.zero_grad()
    assert all(p.grad is None for p in params)


def test_zero_grad_set_to_zero_keeps_the_gradient_tensor() -> None:
    params = _params(tg)
    opt = optim.SGD(params, lr=0.1)
    _loss(tg, params).backward()
    grad = params[0].grad
    opt.zero_grad(set_to_none=False)
    assert params[0].grad is grad
    assert _numpy(grad).tolist() == np.zeros((3, 4)).tolist()
    assert params[2].grad is None  # had none: stays None


def test_zero_grad_detaches_a_create_graph_gradient() -> None:
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    (w**3).sum().backward(create_graph=True)
    assert w.grad.grad_fn is not None
    opt.zero_grad(set_to_none=False)
    assert w.grad.grad_fn is None and not w.grad.requires_grad
    assert w.grad.tolist() == [0.0, 0.0]


def test_parameter_without_grad_is_skipped_like_torch() -> None:
    _compare(lambda lib, params: lib.Adam(params, lr=0.1))  # params[2] never gets a grad


# ------------------------------------------------------------------ state dicts


@pytest.mark.parametrize("make", [
    lambda lib, p: lib.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
    lambda lib, p: lib.Adam(p, lr=0.05, amsgrad=True),
    lambda lib, p: lib.AdamW(p, lr=0.05),
    lambda lib, p: lib.RMSprop(p, lr=0.01, momentum=0.5, centered=True),
], ids=["SGD", "Adam", "AdamW", "RMSprop"])
def test_state_dict_round_trip_resumes_identically(make: Callable[..., Any]) -> None:
    straight = _params(tg)
    opt = make(optim, straight)
    _train(tg, opt, straight, 6)

    first = _params(tg)
    opt_first = make(optim, first)
    _train(tg, opt_first, first, 3)
    saved = copy.deepcopy(opt_first.state_dict())
    resumed = [tg.tensor(_numpy(p), dtype=tg.float64, requires_grad=True) for p in first]
    opt_resumed = make(optim, resumed)
    opt_resumed.load_state_dict(saved)
    _train(tg, opt_resumed, resumed, 3)
    for a, b in zip(resumed, straight):
        assert _numpy(a).tolist() == _numpy(b).tolist()  # bit for bit
    # loading copies: the saved dict is not written into by later steps
    assert sorted(saved["state"]) == sorted(opt_resumed.state_dict()["state"])
    state0 = opt_resumed.state_dict()["state"][0]
    assert all(saved["state"][0][key] is not state0[key] for key in state0)


def test_state_dict_layout_matches_torch() -> None:
    def make(lib: Any, params: list[Any]) -> Any:
        return lib.Adam([{"params": [params[0]]}, {"params": params[1:], "lr": 0.01}], lr=0.1)
    ours, theirs = _params(tg), _params(torch)
    opt_ours, opt_theirs = make(optim, ours), make(torch.optim, theirs)
    _train(tg, opt_ours, ours, 2)
    _train(torch, opt_theirs, theirs, 2)
    sd = opt_ours.state_dict()
    assert sd["param_groups"][0]["params"] == [0]
    assert sd["param_groups"][1]["params"] == [1, 2]
    assert sorted(sd["state"]) == [0, 1]  # parameter 2 has no gradient: no state
    assert sd["state"][0]["step"].dtype is tg.float32
    assert sd["state"][0]["step"].item() == 2.0
    _assert_same_state(opt_ours, opt_theirs)


def test_load_state_dict_checks_groups() -> None:
    params = _params(tg)
    opt = optim.SGD(params, lr=0.1)
    two_groups = optim.SGD([{"params": params[:1]}, {"params": params[1:]}], lr=0.1)
    with pytest.raises(ValueError, match="different number of parameter groups"):
        opt.load_state_dict(two_groups.state_dict())
    smaller = optim.SGD(params[:2], lr=0.1)
    with pytest.raises(ValueError, match="doesn't match the size of optimizer's group"):
        opt.load_state_dict(smaller.state_dict())


def test_load_state_dict_restores_hyperparameters_and_casts_state() -> None:
    params = _params(tg)
    opt = optim.SGD(params, lr=0.1, momentum=0.9)
    _train(tg, opt, params, 1)
    saved = opt.state_dict()
    saved = {"state": {k: {"momentum_buffer": v["momentum_buffer"].float()}
                       for k, v in saved["state"].items()},
             "param_groups": [dict(saved["param_groups"][0], lr=0.5)]}
    other = optim.SGD(_params(tg), lr=0.1, momentum=0.9)
    other.load_state_dict(saved)
    assert other.param_groups[0]["lr"] == 0.5
    assert other.param_groups[0]["params"][0] is not params[0]
    assert all(s["momentum_buffer"].dtype is tg.float64 for s in other.state.values())


# ------------------------------------------------------------------ param groups / errors


def test_add_param_group_matches_torch() -> None:
    ours, theirs = _params(tg), _params(torch)
    opt_ours = optim.SGD(ours[:1], lr=0.05, momentum=0.9)
    opt_theirs = torch.optim.SGD(theirs[:1], lr=0.05, momentum=0.9)
    _train(tg, opt_ours, ours, 2)
    _train(torch, opt_theirs, theirs, 2)
    opt_ours.add_param_group({"params": ours[1:], "lr": 0.2})
    opt_theirs.add_param_group({"params": theirs[1:], "lr": 0.2})
    assert opt_ours.param_groups[1]["momentum"] == 0.9  # filled in from the defaults
    for _ in range(3):
        _train(tg, opt_ours, ours, 1)
        _train(torch, opt_theirs, theirs, 1)
        _assert_same(ours, theirs)
    _assert_same_state(opt_ours, opt_theirs)


def test_add_param_group_refuses_a_parameter_already_optimized() -> None:
    params = _params(tg)
    opt = optim.SGD(params[:2], lr=0.1)
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter "
                                         "group"):
        opt.add_param_group({"params": [params[2], params[0]]})
    assert len(opt.param_groups) == 1
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": params[:2]}, {"params": params[1:]}], lr=0.1)


def test_named_parameters_keep_their_names_like_torch() -> None:
    def make(lib: Any, params: list[Any]) -> Any:
        return lib.SGD([("w", params[0]), ("b", params[1])], lr=0.1, momentum=0.9)
    ours, theirs = _params(tg), _params(torch)
    opt_ours, opt_theirs = make(optim, ours), make(torch.optim, theirs)
    _train(tg, opt_ours, ours, 2)
    _train(torch, opt_theirs, theirs, 2)
    _assert_same(ours[:2], theirs[:2])
    assert opt_ours.state_dict()["param_groups"][0]["param_names"] == ["w", "b"]
    _assert_same_state(opt_ours, opt_theirs)
    with pytest.raises(ValueError, match="cannot add param group without names"):
        opt_ours.add_param_group({"params": [ours[2]]})
    with pytest.raises(ValueError, match="Some param names are missing"):
        optim.SGD([("w", ours[0]), ours[1]], lr=0.1)


def test_duplicate_parameter_in_a_group_warns_like_torch() -> None:
    w = tg.tensor([1.0], requires_grad=True)
    with pytest.warns(UserWarning, match="duplicate parameters"):
        optim.SGD([w, w], lr=0.1)


def test_add_param_group_accepts_a_single_tensor_and_requires_dict() -> None:
    params = _params(tg)
    opt = optim.SGD(params[:1], lr=0.1)
    opt.add_param_group({"params": params[1]})
    assert opt.param_groups[1]["params"] == [params[1]] or \
        opt.param_groups[1]["params"][0] is params[1]
    with pytest.raises(TypeError, match="param_group must be a dict"):
        opt.add_param_group([params[2]])  # type: ignore[arg-type]


@pytest.mark.parametrize(("build", "error", "message"), [
    (lambda p: optim.SGD(p[0], lr=0.1), TypeError,
     "should be an iterable of Tensors or dicts, but got tinygrad_edu.tensor.Tensor"),
    (lambda p: optim.SGD([], lr=0.1), ValueError, "optimizer got an empty parameter list"),
    (lambda p: optim.SGD([{"params": set(p)}], lr=0.1), TypeError, "ordered collections"),
    (lambda p: optim.SGD([p[0], 1.0], lr=0.1), TypeError,
     "optimizer can only optimize Tensors, but one of the params is float"),
    (lambda p: optim.SGD([p[0] * 2], lr=0.1), ValueError, "can't optimize a non-leaf Tensor"),
    (lambda p: optim.SGD(p, lr=0.1, nesterov=True), ValueError,
     "Nesterov momentum requires a momentum and zero dampening"),
    (lambda p: optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), ValueError,
     "Nesterov momentum requires a momentum and zero dampening"),
    (lambda p: optim.SGD(p, lr=-1.0), ValueError, "Invalid learning rate: -1.0"),
    (lambda p: optim.SGD(p, momentum=-0.5), ValueError, "Invalid momentum value: -0.5"),
    (lambda p: optim.Adam(p, betas=(1.0, 0.9)), ValueError,
     "Invalid beta parameter at index 0: 1.0"),
    (lambda p: optim.Adam(p, eps=-1e-8), ValueError, "Invalid epsilon value"),
    (lambda p: optim.AdamW(p, weight_decay=-1), ValueError, "Invalid weight_decay value: -1"),
    (lambda p: optim.RMSprop(p, alpha=-0.1), ValueError, "Invalid alpha value: -0.1"),
])
def test_bad_arguments_raise_torch_errors(build: Callable[[list[Any]], Any],
                                          error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        build(_params(tg))


def test_same_errors_as_torch_for_nesterov() -> None:
    with pytest.raises(ValueError) as theirs:
        torch.optim.SGD(_params(torch), lr=0.1, nesterov=True)
    with pytest.raises(ValueError) as ours:
        optim.SGD(_params(tg), lr=0.1, nesterov=True)
    assert str(ours.value) == str(theirs.value)


def test_repr_lists_groups() -> None:
    text = repr(optim.SGD(_params(tg), lr=0.1))
    assert text.startswith("SGD (\nParameter Group 0\n") and "    lr: 0.1\n" in text


def test_required_hyperparameter_and_base_step() -> None:
    class Plain(optim.Optimizer):
        def __init__(self, params: Any) -> None:
            super().__init__(params, {"lr": optim.optimizer.required, "beta": 0.5})

    w = tg.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="didn't specify a value of required optimization "
                                         "parameter lr"):
        Plain([w])
    opt = Plain([{"params": [w], "lr": 0.1}])
    assert opt.param_groups[0]["beta"] == 0.5
    with pytest.raises(NotImplementedError):
        opt.step()


def test_load_state_dict_keeps_state_that_is_not_per_parameter() -> None:
    params = _params(tg)
    opt = optim.SGD(params, lr=0.1, momentum=0.9)
    _train(tg, opt, params, 1)
    saved = opt.state_dict()
    saved["state"]["note"] = {"history": [tg.ones(1, dtype=tg.float32)]}
    saved["state"][0]["history"] = (tg.ones(2, dtype=tg.float32), 3)
    other = optim.SGD(_params(tg), lr=0.1, momentum=0.9)
    other.load_state_dict(saved)
    assert other.state["note"] is saved["state"]["note"]  # kept as it is, as in torch
    first = other.state[other.param_groups[0]["params"][0]]["history"]
    assert isinstance(first, tuple) and first[0].dtype is tg.float64 and first[1] == 3


# ------------------------------------------------------------------ lr schedulers


def _schedule(lib: Any, make: Callable[[Any, Any], Any], epochs: int = 20,
              lrs: tuple[float, ...] = (0.1, 0.03)) -> list[list[float]]:
    params = _params(lib)
    opt = lib.optim.SGD([{"params": [params[i]], "lr": lr} for i, lr in enumerate(lrs)])
    scheduler = make(lib.optim.lr_scheduler, opt)
    seen = [scheduler.get_last_lr()]
    for _ in range(epochs):
        opt.step()
        scheduler.step()
        seen.append(scheduler.get_last_lr())
        assert [g["lr"] for g in opt.param_groups] == seen[-1]
    return seen


@pytest.mark.parametrize("make", [
    lambda s, opt: s.StepLR(opt, step_size=3),
    lambda s, opt: s.StepLR(opt, step_size=4, gamma=0.5),
    lambda s, opt: s.CosineAnnealingLR(opt, T_max=7),
    lambda s, opt: s.CosineAnnealingLR(opt, T_max=6, eta_min=0.005),
    lambda s, opt: s.CosineAnnealingLR(opt, T_max=25, eta_min=0.001),
], ids=["StepLR-3", "StepLR-4-0.5", "Cosine-7", "Cosine-6-min", "Cosine-25"])
def test_schedulers_match_torch_for_20_epochs(make: Callable[[Any, Any], Any]) -> None:
    ours, theirs = _schedule(tg, make), _schedule(torch, make)
    assert ours == theirs  # the same float operations: bit for bit


def test_cosine_recursive_form_is_close_to_the_closed_form() -> None:
    seen = _schedule(tg, lambda s, opt: s.CosineAnnealingLR(opt, T_max=7, eta_min=0.01),
                     epochs=7, lrs=(0.1,))
    closed = [0.01 + (0.1 - 0.01) * (1 + np.cos(np.pi * t / 7)) / 2 for t in range(8)]
    np.testing.assert_allclose([lr[0] for lr in seen], closed, rtol=1e-12)


def test_step_with_epoch_uses_closed_form_like_torch() -> None:
    def run(lib: Any) -> list[float]:
        opt = lib.optim.SGD(_params(lib), lr=0.1)
        scheduler = lib.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
        opt.step()
        with pytest.warns(UserWarning, match="epoch parameter"):
            scheduler.step(4)
        return scheduler.get_last_lr()
    assert run(tg) == run(torch)


def test_scheduler_state_dict_resumes() -> None:
    params = _params(tg)
    opt = optim.SGD(params, lr=0.1)
    scheduler = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10, eta_min=0.01)
    torch_opt = torch.optim.SGD(_params(torch), lr=0.1)
    torch_scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(torch_opt, T_max=10,
                                                                 eta_min=0.01)
    assert sorted(scheduler.state_dict()) == sorted(torch_scheduler.state_dict())
    for _ in range(4):
        opt.step()
        scheduler.step()
    saved = copy.deepcopy(scheduler.state_dict())
    opt_saved = copy.deepcopy(opt.state_dict())
    expected = []
    for _ in range(5):
        opt.step()
        scheduler.step()
        expected.append(scheduler.get_last_lr())

    opt2 = optim.SGD(_params(tg), lr=0.1)
    scheduler2 = optim.lr_scheduler.CosineAnnealingLR(opt2, T_max=10, eta_min=0.01)
    opt2.load_state_dict(opt_saved)
    scheduler2.load_state_dict(saved)
    resumed = []
    for _ in range(5):
        opt2.step()
        scheduler2.step()
        resumed.append(scheduler2.get_last_lr())
    assert resumed == expected


def test_scheduler_before_optimizer_step_warns() -> None:
    opt = optim.SGD(_params(tg), lr=0.1)
    scheduler = optim.lr_scheduler.StepLR(opt, step_size=2)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        scheduler.step()
    opt2 = optim.SGD(_params(tg), lr=0.1)
    scheduler2 = optim.lr_scheduler.StepLR(opt2, step_size=2)
    opt2.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scheduler2.step()


def test_scheduler_needs_an_optimizer() -> None:
    with pytest.raises(TypeError, match="list is not an Optimizer"):
        optim.lr_scheduler.StepLR([], step_size=2)  # type: ignore[arg-type]


def test_scheduler_resume_needs_initial_lr() -> None:
    opt = optim.SGD(_params(tg), lr=0.1)
    with pytest.raises(KeyError, match="initial_lr"):
        optim.lr_scheduler.StepLR(opt, step_size=2, last_epoch=3)
    optim.lr_scheduler.StepLR(opt, step_size=2)  # sets initial_lr
    resumed = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10, last_epoch=3)
    theirs_opt = torch.optim.SGD(_params(torch), lr=0.1)
    torch.optim.lr_scheduler.StepLR(theirs_opt, step_size=2)
    theirs = torch.optim.lr_scheduler.CosineAnnealingLR(theirs_opt, T_max=10, last_epoch=3)
    assert resumed.get_last_lr() == theirs.get_last_lr()
    assert resumed.last_epoch == theirs.last_epoch == 4


def test_calling_get_lr_directly_warns() -> None:
    scheduler = optim.lr_scheduler.StepLR(optim.SGD(_params(tg), lr=0.1), step_size=2)
    with pytest.warns(UserWarning, match="please use `get_last_lr\\(\\)`"):
        scheduler.get_lr()


# ------------------------------------------------------------------ with nn, when it exists


def test_training_an_nn_module() -> None:
    nn = pytest.importorskip("tinygrad_edu.nn", reason="tinygrad_edu.nn is not written yet")
    if not hasattr(nn, "Linear"):
        pytest.skip("tinygrad_edu.nn has no Linear yet")
    tg.manual_seed(0)
    model = nn.Linear(4, 3)
    opt = optim.Adam(model.parameters(), lr=0.05)
    x, y = tg.tensor(X, dtype=tg.float32), tg.tensor(Y, dtype=tg.float32)
    weight, version = model.weight, model.weight._version
    losses = []
    for _ in range(30):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert model.weight is weight and weight._version == version + 30  # one add_ a step
    assert losses[-1] < 0.8 * losses[0]
