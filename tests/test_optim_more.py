"""More of torch.optim, against torch itself: the implementation switches (foreach, fused,
capturable, differentiable) in the param groups, the printed optimizer, Adagrad and Adadelta,
and the learning-rate schedulers (MultiStepLR, ExponentialLR, LambdaLR, MultiplicativeLR,
LinearLR, ConstantLR, OneCycleLR, ReduceLROnPlateau): values step for step, state dicts,
errors and signatures."""

from __future__ import annotations

import copy
import inspect
import itertools
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from helpers import OURS, OURS_DEVICE, to_numpy

import tinygrad_edu as tg
from tinygrad_edu import optim

RTOL, ATOL = 1e-12, 1e-14

rng = np.random.default_rng(3)
X = rng.normal(size=(16, 4))
Y = rng.normal(size=(16, 3))
W0 = rng.normal(size=(3, 4))
B0 = rng.normal(size=(3,))
C0 = rng.normal(size=(5,))  # a parameter that never gets a gradient

OPTIMIZERS = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta"]


def _lib(lib: Any) -> Any:
    """Our side builds its tensors on the test device (helpers.OURS)."""
    return OURS if lib is tg else torch


def _params(lib: Any) -> list[Any]:
    return [_lib(lib).tensor(a.copy(), dtype=lib.float64, requires_grad=True)
            for a in (W0, B0, C0)]


def _loss(lib: Any, params: list[Any]) -> Any:
    """Mean squared error of a linear layer plus a quartic term (so curvature changes)."""
    w, b, _ = params
    x = _lib(lib).tensor(X, dtype=lib.float64)
    y = _lib(lib).tensor(Y, dtype=lib.float64)
    return ((x @ w.T + b - y) ** 2).mean() + 0.01 * (w**4).sum()


def _optim(lib: Any) -> Any:
    return optim if lib is tg else torch.optim


def _run(lib: Any, make: Callable[[Any, list[Any]], Any], steps: int) -> tuple[list[Any], Any]:
    params = _params(lib)
    opt = make(_optim(lib), params)
    for _ in range(steps):
        opt.zero_grad()
        _loss(lib, params).backward()
        opt.step()
    return params, opt


def _compare(make: Callable[[Any, list[Any]], Any],
             make_torch: Callable[[Any, list[Any]], Any] | None = None, steps: int = 6) -> None:
    """The same parameters and state after ``steps`` steps (``make_torch``: torch's side,
    when it is built differently)."""
    ours, opt_ours = _run(tg, make, steps)
    theirs, opt_theirs = _run(torch, make_torch or make, steps)
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), rtol=RTOL, atol=ATOL,
                                   err_msg=f"parameter {i}")
    state_ours, state_theirs = opt_ours.state_dict(), opt_theirs.state_dict()
    assert sorted(state_ours["state"]) == sorted(state_theirs["state"])
    for index, entries in state_theirs["state"].items():
        assert list(state_ours["state"][index]) == list(entries)
        for key, value in entries.items():
            np.testing.assert_allclose(to_numpy(state_ours["state"][index][key]),
                                       to_numpy(value), rtol=RTOL, atol=ATOL,
                                       err_msg=f"state {index} {key}")


# ------------------------------------------------------------------ param groups and repr


def _two_groups(lib: Any, name: str, **options: Any) -> Any:
    params = _params(lib)
    return getattr(_optim(lib), name)(
        [{"params": params[:2]}, {"params": params[2:], "lr": 0.5}], lr=0.1, **options)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_printed_optimizer_is_torch_text(name: str) -> None:
    one = {lib: getattr(_optim(lib), name)(_params(lib), lr=0.1) for lib in (tg, torch)}
    assert repr(one[tg]) == repr(one[torch])
    assert str(_two_groups(tg, name)) == str(_two_groups(torch, name))
    assert "\n\nParameter Group 1\n" in repr(_two_groups(tg, name))  # the blank line
    scheduled = {lib: _two_groups(lib, name) for lib in (tg, torch)}
    for lib, opt in scheduled.items():
        _optim(lib).lr_scheduler.StepLR(opt, step_size=2)  # adds initial_lr to each group
    assert repr(scheduled[tg]) == repr(scheduled[torch])


@pytest.mark.parametrize(("name", "options"), [
    ("SGD", {"momentum": 0.9, "nesterov": True, "foreach": True}),
    ("SGD", {"fused": True, "maximize": True}),
    ("Adam", {"amsgrad": True, "foreach": False}),
    ("AdamW", {"fused": True, "betas": (0.5, 0.6)}),
    ("RMSprop", {"centered": True, "foreach": True}),
    ("Adagrad", {"lr_decay": 0.1, "fused": True}),
    ("Adadelta", {"rho": 0.5, "foreach": True}),
])
def test_param_groups_and_defaults_are_torch_dicts(name: str, options: dict[str, Any]) -> None:
    ours, theirs = _two_groups(tg, name, **options), _two_groups(torch, name, **options)
    assert repr(ours) == repr(theirs)
    assert list(ours.defaults.items()) == list(theirs.defaults.items())  # the same key order
    saved_ours, saved_theirs = ours.state_dict(), theirs.state_dict()
    assert ([list(g.items()) for g in saved_ours["param_groups"]]
            == [list(g.items()) for g in saved_theirs["param_groups"]])


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_signatures_are_torch_signatures(name: str) -> None:
    def shape(cls: Any) -> list[tuple[str, Any, Any]]:
        return [(p.name, p.kind, p.default)
                for p in inspect.signature(cls.__init__).parameters.values()]
    assert shape(getattr(optim, name)) == shape(getattr(torch.optim, name))


@pytest.mark.parametrize(("name", "keyword"), [
    ("SGD", "capturable"), ("RMSprop", "fused"), ("Adadelta", "fused"), ("Adagrad", "capturable"),
])
def test_unknown_switches_are_refused_like_torch(name: str, keyword: str) -> None:
    for lib in (torch, tg):
        with pytest.raises(TypeError, match=f"unexpected keyword argument '{keyword}'"):
            getattr(_optim(lib), name)(_params(lib), **{keyword: True})


# ------------------------------------------------------------------ switches: same numbers

SWITCHES = [
    ("SGD", {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.1}, ["foreach", "fused"]),
    ("Adam", {"lr": 0.05, "amsgrad": True, "weight_decay": 0.1}, ["foreach", "fused"]),
    ("AdamW", {"lr": 0.05}, ["foreach", "fused"]),
    ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.5}, ["foreach"]),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.1}, ["foreach", "fused"]),
    ("Adadelta", {"lr": 1.0, "weight_decay": 0.1}, ["foreach"]),
]


@pytest.mark.parametrize(("name", "options", "switch"), [
    (name, options, (switch, value)) for name, options, switches in SWITCHES
    for switch in switches for value in (True, False)
], ids=str)
def test_foreach_and_fused_give_torch_numbers(name: str, options: dict[str, Any],
                                              switch: tuple[str, bool]) -> None:
    key, value = switch
    _compare(lambda o, p: getattr(o, name)(p, **options, **{key: value}))
    opt = getattr(optim, name)(_params(tg), **{key: value})
    assert all(group[key] is value for group in opt.param_groups)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "Adagrad"])
@pytest.mark.parametrize("options", [{"fused": True, "foreach": True},
                                     {"fused": True, "differentiable": True}], ids=str)
def test_fused_conflicts_raise_torch_errors(name: str, options: dict[str, Any]) -> None:
    with pytest.raises(RuntimeError) as theirs:
        getattr(torch.optim, name)(_params(torch), **options)
    with pytest.raises(RuntimeError) as ours:
        getattr(optim, name)(_params(tg), **options)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_differentiable_steps_are_refused(name: str) -> None:
    """A deliberate difference: PyTorch records the step for autograd; we refuse."""
    with pytest.raises(NotImplementedError, match="differentiable=True is not supported"):
        getattr(optim, name)(_params(tg), differentiable=True)


@pytest.mark.parametrize(("name", "options"), [
    ("Adam", {}), ("Adam", {"foreach": True}), ("AdamW", {}), ("AdamW", {"foreach": True}),
    ("RMSprop", {}), ("RMSprop", {"foreach": True}), ("Adadelta", {}),
    ("Adadelta", {"foreach": True}),
], ids=str)
def test_capturable(name: str, options: dict[str, Any]) -> None:
    """On the cpu PyTorch's AssertionError (the same text); on cuda the plain update, with the
    step count on the parameter's device."""
    def make(o: Any, p: list[Any]) -> Any:
        return getattr(o, name)(p, capturable=True, **options)
    if OURS_DEVICE == "cpu":
        with pytest.raises(AssertionError) as theirs:
            _run(torch, make, 1)
        with pytest.raises(AssertionError) as ours:
            _run(tg, make, 1)
        assert str(ours.value) == str(theirs.value)
    else:
        _compare(make, lambda o, p: getattr(o, name)(p, **options))
        _, opt = _run(tg, make, 1)
        assert all(state["step"].device.type == "cuda" for state in opt.state.values())


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
def test_fused_wins_over_capturable(name: str) -> None:
    _compare(lambda o, p: getattr(o, name)(p, capturable=True, fused=True))


def test_loading_a_state_dict_without_the_switches_fills_them_in() -> None:
    params = _params(tg)
    opt = optim.Adam(params, lr=0.1)
    saved = opt.state_dict()
    for group in saved["param_groups"]:
        for key in ("foreach", "capturable", "differentiable", "fused", "decoupled_weight_decay"):
            del group[key]
    other = optim.Adam(_params(tg), lr=0.1)
    other.load_state_dict(saved)
    assert repr(other) == repr(opt)
    other.param_groups[0]["params"][0].grad = OURS.ones(3, 4, dtype=tg.float64)
    other.step()


# ------------------------------------------------------------------ Adagrad and Adadelta


@pytest.mark.parametrize("options", [
    {"lr_decay": d, "weight_decay": wd, "initial_accumulator_value": a, "maximize": mx}
    for d, wd, a, mx in itertools.product([0, 0.05], [0, 0.1], [0, 0.3], [False, True])
], ids=str)
def test_adagrad_matches_torch(options: dict[str, Any]) -> None:
    _compare(lambda o, p: o.Adagrad(p, lr=0.1, eps=1e-8, **options), steps=7)


def test_adagrad_state_exists_from_the_start() -> None:
    ours, theirs = optim.Adagrad(_params(tg)), torch.optim.Adagrad(_params(torch))
    assert sorted(ours.state_dict()["state"]) == sorted(theirs.state_dict()["state"]) == [0, 1, 2]
    assert to_numpy(ours.state_dict()["state"][2]["sum"]).tolist() == [0.0] * 5


def test_adagrad_group_added_later_starts_from_the_defaults() -> None:
    def make(o: Any, p: list[Any]) -> Any:
        opt = o.Adagrad(p[:1], lr=0.1, initial_accumulator_value=0.5)
        opt.add_param_group({"params": p[1:], "initial_accumulator_value": 2.0})
        return opt
    _compare(make, steps=5)


@pytest.mark.parametrize("options", [
    {"rho": r, "weight_decay": wd, "maximize": mx, "eps": e}
    for r, wd, mx, e in itertools.product([0.9, 0.5], [0, 0.1], [False, True], [1e-6, 1e-3])
], ids=str)
def test_adadelta_matches_torch(options: dict[str, Any]) -> None:
    _compare(lambda o, p: o.Adadelta(p, lr=0.5, **options), steps=7)


@pytest.mark.parametrize(("name", "options"), [
    ("Adagrad", {"lr": -1}), ("Adagrad", {"lr_decay": -0.1}), ("Adagrad", {"weight_decay": -1}),
    ("Adagrad", {"initial_accumulator_value": -1}), ("Adagrad", {"eps": -1}),
    ("Adadelta", {"lr": -1}), ("Adadelta", {"rho": 1.5}), ("Adadelta", {"eps": -1}),
    ("Adadelta", {"weight_decay": -1}),
], ids=str)
def test_bad_hyperparameters_raise_torch_errors(name: str, options: dict[str, Any]) -> None:
    with pytest.raises(ValueError) as theirs:
        getattr(torch.optim, name)(_params(torch), **options)
    with pytest.raises(ValueError) as ours:
        getattr(optim, name)(_params(tg), **options)
    assert str(ours.value) == str(theirs.value)


# ------------------------------------------------------------------ lr schedulers


def _schedule(lib: Any, make: Callable[[Any, Any], Any], epochs: int = 25,
              optimizer: str = "SGD") -> list[Any]:
    """The rates (and the momentum or betas) after construction and after every step."""
    params = _params(lib)
    opt = getattr(_optim(lib), optimizer)([{"params": [params[0]], "lr": 0.1},
                                           {"params": [params[1]], "lr": 0.03}])
    scheduler = make(_optim(lib).lr_scheduler, opt)
    momentum = "betas" if optimizer.startswith("Adam") else "momentum"

    def seen() -> Any:
        return (scheduler.get_last_lr(), [g[momentum] for g in opt.param_groups])
    history = [seen()]
    for _ in range(epochs):
        opt.step()
        scheduler.step()
        history.append(seen())
        assert [g["lr"] for g in opt.param_groups] == history[-1][0]
    return history


SCHEDULERS: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("MultiStep", lambda s, o: s.MultiStepLR(o, milestones=[3, 7, 7, 15])),
    ("MultiStep-unsorted", lambda s, o: s.MultiStepLR(o, milestones=[12, 2], gamma=0.5)),
    ("Exponential", lambda s, o: s.ExponentialLR(o, gamma=0.9)),
    ("Lambda", lambda s, o: s.LambdaLR(o, lr_lambda=lambda epoch: 0.95**epoch)),
    ("Lambda-list", lambda s, o: s.LambdaLR(o, [lambda e: 1 / (e + 1), lambda e: e // 3])),
    ("Multiplicative", lambda s, o: s.MultiplicativeLR(o, lr_lambda=lambda e: 0.9)),
    ("Multiplicative-list", lambda s, o: s.MultiplicativeLR(o, [lambda e: 0.9, lambda e: 1.1])),
    ("Linear", lambda s, o: s.LinearLR(o)),
    ("Linear-down", lambda s, o: s.LinearLR(o, start_factor=1.0, end_factor=0.1,
                                            total_iters=10)),
    ("Constant", lambda s, o: s.ConstantLR(o)),
    ("Constant-0.5-12", lambda s, o: s.ConstantLR(o, factor=0.5, total_iters=12)),
    ("OneCycle", lambda s, o: s.OneCycleLR(o, max_lr=1.0, total_steps=26)),
    ("OneCycle-linear-3", lambda s, o: s.OneCycleLR(o, max_lr=[1.0, 0.5], epochs=2,
                                                    steps_per_epoch=13, pct_start=0.25,
                                                    anneal_strategy="linear",
                                                    three_phase=True)),
    ("OneCycle-no-momentum", lambda s, o: s.OneCycleLR(o, max_lr=0.3, total_steps=30,
                                                       cycle_momentum=False, div_factor=5.0)),
]


@pytest.mark.parametrize("make", [m for _, m in SCHEDULERS], ids=[n for n, _ in SCHEDULERS])
@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_schedulers_match_torch_for_25_epochs(make: Callable[[Any, Any], Any],
                                              optimizer: str) -> None:
    assert _schedule(tg, make, optimizer=optimizer) == _schedule(torch, make, optimizer=optimizer)


@pytest.mark.parametrize("make", [
    lambda s, o: s.MultiStepLR(o, milestones=[2, 5, 5]),
    lambda s, o: s.ExponentialLR(o, gamma=0.7),
    lambda s, o: s.LinearLR(o, start_factor=0.2, total_iters=6),
    lambda s, o: s.ConstantLR(o, factor=0.25, total_iters=4),
    lambda s, o: s.LambdaLR(o, lambda e: 1 / (1 + e)),
], ids=["MultiStep", "Exponential", "Linear", "Constant", "Lambda"])
def test_step_with_epoch_uses_torch_closed_form(make: Callable[[Any, Any], Any]) -> None:
    def run(lib: Any) -> list[list[float]]:
        opt = _optim(lib).SGD(_params(lib), lr=0.1)
        scheduler = make(_optim(lib).lr_scheduler, opt)
        opt.step()
        seen = []
        for epoch in (3, 7, 1, 5):
            with pytest.warns(UserWarning, match="epoch parameter"):
                scheduler.step(epoch)
            seen.append(scheduler.get_last_lr())
        return seen
    assert run(tg) == run(torch)


@pytest.mark.parametrize("make", [m for _, m in SCHEDULERS], ids=[n for n, _ in SCHEDULERS])
def test_scheduler_state_dicts_resume_like_torch(make: Callable[[Any, Any], Any]) -> None:
    def two_groups(lib: Any) -> Any:
        params = _params(lib)
        return _optim(lib).SGD([{"params": params[:2]}, {"params": params[2:], "lr": 0.03}],
                               lr=0.1, momentum=0.9)

    def run(lib: Any) -> tuple[list[str], list[list[float]]]:
        opt = two_groups(lib)
        scheduler = make(_optim(lib).lr_scheduler, opt)
        for _ in range(6):
            opt.step()
            scheduler.step()
        saved = scheduler.state_dict()
        opt_saved = copy.deepcopy(opt.state_dict())
        opt2 = two_groups(lib)
        scheduler2 = make(_optim(lib).lr_scheduler, opt2)
        opt2.load_state_dict(opt_saved)
        scheduler2.load_state_dict(saved)
        seen = []
        for _ in range(8):
            opt2.step()
            scheduler2.step()
            seen.append(scheduler2.get_last_lr())
        return sorted(saved), seen
    assert run(tg) == run(torch)


def test_lambda_state_dict_keeps_callable_objects_only() -> None:
    class Decay:
        def __init__(self, rate: float) -> None:
            self.rate = rate

        def __call__(self, epoch: int) -> float:
            return self.rate**epoch

    def build(lib: Any, name: str, rate: float) -> Any:
        opt = _optim(lib).SGD([{"params": [p]} for p in _params(lib)[:2]], lr=0.1)
        return getattr(_optim(lib).lr_scheduler, name)(opt, [Decay(rate), lambda e: 1.0])

    for name in ("LambdaLR", "MultiplicativeLR"):
        ours, theirs = build(tg, name, 0.5), build(torch, name, 0.5)
        assert ours.state_dict()["lr_lambdas"] == theirs.state_dict()["lr_lambdas"] == [
            {"rate": 0.5}, None]
        other = build(tg, name, 0.9)
        saved = ours.state_dict()
        other.load_state_dict(saved)
        assert other.lr_lambdas[0].rate == 0.5 and "lr_lambdas" in saved


PLATEAU_METRICS = [1.0, 0.9, 0.95, 0.95, 0.95, 0.96, 0.8, 0.8, 0.8, 0.8, 0.81, 0.82, 0.7,
                   0.7, 0.71, 0.72, 0.73, 0.74, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]


@pytest.mark.parametrize("options", [
    {},
    {"patience": 2},
    {"patience": 1, "factor": 0.5, "cooldown": 2},
    {"patience": 0, "min_lr": 0.01},
    {"patience": 0, "min_lr": [0.02, 0.001], "factor": 0.3},
    {"patience": 1, "threshold": 0.05},
    {"patience": 1, "threshold": 0.05, "threshold_mode": "abs"},
    {"mode": "max", "patience": 1},
    {"mode": "max", "patience": 1, "threshold_mode": "abs", "threshold": 0.02},
    {"patience": 0, "eps": 0.05},
], ids=str)
def test_reduce_on_plateau_matches_torch(options: dict[str, Any]) -> None:
    def run(lib: Any) -> tuple[list[Any], list[str]]:
        opt = _optim(lib).SGD([{"params": [p]} for p in _params(lib)[:2]], lr=0.1)
        scheduler = _optim(lib).lr_scheduler.ReduceLROnPlateau(opt, **options)
        seen: list[Any] = [scheduler.get_last_lr()]
        for metric in PLATEAU_METRICS:
            opt.step()
            scheduler.step(_lib(lib).tensor(metric))
            seen.append((scheduler.get_last_lr(), scheduler.num_bad_epochs,
                         scheduler.cooldown_counter, scheduler.best, scheduler.last_epoch))
        return seen, sorted(scheduler.state_dict())
    assert run(tg) == run(torch)


def test_reduce_on_plateau_state_dict_resumes() -> None:
    opt = optim.SGD(_params(tg), lr=0.1)
    scheduler = optim.lr_scheduler.ReduceLROnPlateau(opt, mode="max", patience=1)
    for metric in PLATEAU_METRICS[:5]:
        scheduler.step(metric)
    other = optim.lr_scheduler.ReduceLROnPlateau(optim.SGD(_params(tg), lr=0.1))
    other.load_state_dict(copy.deepcopy(scheduler.state_dict()))
    assert other.mode == "max" and other.mode_worse == -np.inf and other.best == scheduler.best
    assert isinstance(other, optim.lr_scheduler.LRScheduler)


def test_reduce_on_plateau_with_a_new_group() -> None:
    def run(lib: Any, min_lr: Any) -> Any:
        params = _params(lib)
        opt = _optim(lib).SGD([params[0]], lr=0.1)
        scheduler = _optim(lib).lr_scheduler.ReduceLROnPlateau(opt, patience=0, min_lr=min_lr)
        opt.add_param_group({"params": [params[1]], "lr": 0.2})
        scheduler.step(1.0)
        try:
            scheduler.step(2.0)
        except RuntimeError as error:
            return str(error)
        return scheduler.get_last_lr()
    assert run(tg, 0.0) == run(torch, 0.0)
    assert run(tg, [0.0]) == run(torch, [0.0])
    assert "differs from when `ReduceLROnPlateau` was initialized" in run(tg, [0.0])


@pytest.mark.parametrize(("build", "error"), [
    (lambda s, o: s.ConstantLR(o, factor=1.5), ValueError),
    (lambda s, o: s.LinearLR(o, start_factor=0), ValueError),
    (lambda s, o: s.LinearLR(o, end_factor=1.5), ValueError),
    (lambda s, o: s.LambdaLR(o, [lambda e: 1.0] * 2), ValueError),
    (lambda s, o: s.MultiplicativeLR(o, 0.9), TypeError),
    (lambda s, o: s.OneCycleLR(o, max_lr=0.1), ValueError),
    (lambda s, o: s.OneCycleLR(o, max_lr=0.1, total_steps=0), ValueError),
    (lambda s, o: s.OneCycleLR(o, max_lr=0.1, epochs=0, steps_per_epoch=2), ValueError),
    (lambda s, o: s.OneCycleLR(o, max_lr=0.1, epochs=2, steps_per_epoch=0), ValueError),
    (lambda s, o: s.OneCycleLR(o, max_lr=0.1, total_steps=5, pct_start=2.0), ValueError),
    (lambda s, o: s.OneCycleLR(o, max_lr=0.1, total_steps=5, anneal_strategy="x"), ValueError),
    (lambda s, o: s.OneCycleLR(o, max_lr=[0.1, 0.2], total_steps=5), ValueError),
    (lambda s, o: s.ReduceLROnPlateau(o, factor=1.0), ValueError),
    (lambda s, o: s.ReduceLROnPlateau(o, mode="mean"), ValueError),
    (lambda s, o: s.ReduceLROnPlateau(o, threshold_mode="x"), ValueError),
    (lambda s, o: s.ReduceLROnPlateau(o, min_lr=[0.1, 0.2]), ValueError),
    (lambda s, o: s.ReduceLROnPlateau([], mode="min"), TypeError),
    (lambda s, o: s.StepLR(o, 2, last_epoch=3), KeyError),
], ids=lambda value: getattr(value, "__name__", ""))
def test_scheduler_errors_are_torch_errors(build: Callable[[Any, Any], Any],
                                           error: type[Exception]) -> None:
    with pytest.raises(error) as theirs:
        build(torch.optim.lr_scheduler, torch.optim.SGD(_params(torch), lr=0.1))
    with pytest.raises(error) as ours:
        build(optim.lr_scheduler, optim.SGD(_params(tg), lr=0.1))
    assert str(ours.value) == str(theirs.value)


def test_one_cycle_needs_momentum_and_stops_at_total_steps() -> None:
    for lib in (torch, tg):
        with pytest.raises(ValueError, match="optimizer must support momentum or beta1"):
            _optim(lib).lr_scheduler.OneCycleLR(_optim(lib).Adagrad(_params(lib)), max_lr=0.1,
                                                total_steps=5)
    messages = []
    for lib in (torch, tg):
        opt = _optim(lib).SGD(_params(lib), lr=0.1, momentum=0.9)
        scheduler = _optim(lib).lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=3)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(3):
                scheduler.step()
        with pytest.raises(ValueError) as info:
            scheduler.step()
        messages.append(str(info.value))
    assert messages[0] == messages[1] == ("Tried to step 4 times. The specified number of "
                                          "total steps is 3")


def test_scheduler_warnings_are_torch_text() -> None:
    texts = []
    for lib in (torch, tg):
        opt = _optim(lib).SGD(_params(lib), lr=0.1)
        scheduler = _optim(lib).lr_scheduler.ExponentialLR(opt, gamma=0.5)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            scheduler.step()
            scheduler.step(4)
        texts.append([str(w.message) for w in caught])
    assert texts[0] == texts[1] and len(texts[1]) == 2


@pytest.mark.parametrize("name", ["MultiStepLR", "ExponentialLR", "LambdaLR",
                                  "MultiplicativeLR", "LinearLR", "ConstantLR", "OneCycleLR",
                                  "ReduceLROnPlateau"])
def test_scheduler_signatures_are_torch_signatures(name: str) -> None:
    def shape(cls: Any) -> list[tuple[str, Any, Any]]:
        return [(p.name, p.kind, p.default)
                for p in inspect.signature(cls.__init__).parameters.values()]
    ours, theirs = getattr(optim.lr_scheduler, name), getattr(torch.optim.lr_scheduler, name)
    assert shape(ours) == shape(theirs)
    assert issubclass(ours, optim.lr_scheduler.LRScheduler)
