"""Bad inputs raise the exception PyTorch raises, with a message that names the problem.

Each case runs the same code on tinygrad_edu and on PyTorch: both must raise the same
exception type, and our message must name what is wrong (the shapes, dtypes, dims or device
involved). Where an operation changes a tensor in place, a failure must leave the tensor's
values and version exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np
import pytest
import torch

import tinygrad_edu
from tinygrad_edu import cuda as our_cuda

LIBS = pytest.mark.parametrize("lib", [tinygrad_edu, torch], ids=["ours", "torch"])


def raises_like_torch(code: Callable[[ModuleType], Any], error: type[Exception],
                      *names: str) -> str:
    """Run ``code`` on both libraries: both raise ``error``; ours names every ``names``."""
    with pytest.raises(error):
        code(torch)
    with pytest.raises(error) as info:
        code(tinygrad_edu)
    message = str(info.value)
    missing = [n for n in names if n not in message]
    assert not missing, f"message {message!r} does not name {missing}"
    return message


# ------------------------------------------------------------------------- shapes


def test_matmul_shape_mismatch_names_both_shapes() -> None:
    message = raises_like_torch(lambda lib: lib.ones(2, 3) @ lib.ones(4, 5), RuntimeError,
                                "2x3", "4x5")
    assert message == "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"  # PyTorch's
    raises_like_torch(lambda lib: lib.mm(lib.ones(2, 3), lib.ones(2, 3)), RuntimeError,
                      "2x3 and 2x3")
    raises_like_torch(lambda lib: lib.ones(2, 2, 3) @ lib.ones(2, 4, 5), RuntimeError,
                      "[2, 2, 3]", "[2, 4, 5]")
    raises_like_torch(lambda lib: lib.ones(3) @ lib.ones(4), RuntimeError, "[3]", "[4]")
    raises_like_torch(lambda lib: lib.matmul(lib.ones(5, 3), lib.ones(2)), RuntimeError,
                      "[5, 3]", "[2]")
    raises_like_torch(lambda lib: lib.tensor(1.0) @ lib.ones(2), RuntimeError, "0D", "1D")


@pytest.mark.parametrize("operation", ["add", "mul", "sub", "div"])
def test_non_broadcastable_shapes(operation: str) -> None:
    def run(lib: ModuleType) -> Any:
        return getattr(lib, operation)(lib.ones(2, 3), lib.ones(4, 3))

    message = raises_like_torch(run, RuntimeError, "(2)", "(4)", "dimension 0", "[2, 3]",
                                "[4, 3]")
    assert message.startswith("The size of tensor a (2) must match the size of tensor b (4) "
                              "at non-singleton dimension 0")


def test_non_broadcastable_operators() -> None:
    raises_like_torch(lambda lib: lib.ones(2, 3) + lib.ones(2), RuntimeError,
                      "(3)", "(2)", "dimension 1")
    raises_like_torch(lambda lib: lib.ones(2, 3) * lib.ones(3, 2), RuntimeError,
                      "[2, 3]", "[3, 2]")
    raises_like_torch(lambda lib: lib.ones(5, 1, 4) - lib.ones(3, 5), RuntimeError,
                      "(4)", "(5)", "dimension 2")


def test_where_with_non_broadcastable_shapes() -> None:
    raises_like_torch(lambda lib: lib.where(lib.ones(2, 3) > 0, lib.ones(3, 3), lib.ones(2, 3)),
                      RuntimeError, "(2)", "(3)", "dimension 0")
    raises_like_torch(lambda lib: lib.where(lib.ones(4) > 0, lib.ones(3), 0.0), RuntimeError,
                      "(4)", "(3)")


def _unchanged(t: Any, before: list[Any], version: int) -> None:
    assert t.tolist() == before
    assert t._version == version


@LIBS
@pytest.mark.parametrize("change", [
    lambda lib, t: t.add_(lib.ones(2, 3)),  # would grow the tensor
    lambda lib, t: t.mul_(lib.ones(4)),
    lambda lib, t: t.sub_(lib.ones(3, 1)),
    lambda lib, t: t.copy_(lib.ones(2)),
    lambda lib, t: t.__setitem__(slice(0, 2), lib.ones(3)),
    lambda lib, t: t.__iadd__(lib.ones(2, 3)),
], ids=["add_ grows", "mul_", "sub_ grows", "copy_", "setitem", "+="])
def test_failed_in_place_shape_change_leaves_the_tensor_alone(
        lib: ModuleType, change: Callable[[ModuleType, Any], Any]) -> None:
    t = lib.tensor([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError, match=r"\[3\]|\(3\)") as info:
        change(lib, t)
    assert "3" in str(info.value)
    _unchanged(t, [1.0, 2.0, 3.0], 0)


def test_in_place_add_that_would_grow_names_both_shapes() -> None:
    message = raises_like_torch(lambda lib: lib.ones(3).add_(lib.ones(2, 3)), RuntimeError,
                                "[3]", "[2, 3]")
    assert message == "output with shape [3] doesn't match the broadcast shape [2, 3]"


def test_setitem_shape_mismatch_names_both_shapes() -> None:
    raises_like_torch(lambda lib: lib.ones(2, 3).__setitem__(0, lib.ones(4)), RuntimeError,
                      "[4]", "[3]")


def test_view_of_an_incompatible_size() -> None:
    message = raises_like_torch(lambda lib: lib.ones(2, 3).view(4, 2), RuntimeError,
                                "[4, 2]", "6")
    assert message == "shape '[4, 2]' is invalid for input of size 6"
    raises_like_torch(lambda lib: lib.ones(6).reshape(4, -1), RuntimeError, "[4, -1]", "6")
    raises_like_torch(lambda lib: lib.ones(2, 3).view(-1, -1), RuntimeError,
                      "only one dimension can be inferred")
    raises_like_torch(lambda lib: lib.ones(2, 3).t().view(6), RuntimeError,
                      "view size is not compatible", ".reshape(")
    assert tinygrad_edu.ones(2, 3).t().reshape(6).shape == (6,)  # the advice works


def test_expand_and_cat_with_mismatched_shapes() -> None:
    raises_like_torch(lambda lib: lib.ones(2, 3).expand(3, 3), RuntimeError,
                      "(3)", "(2)", "[3, 3]", "[2, 3]")
    message = raises_like_torch(lambda lib: lib.cat([lib.ones(2, 3), lib.ones(2, 4)]),
                                RuntimeError, "size 3", "size 4", "tensor number 1")
    assert "dimension 0" in message
    raises_like_torch(lambda lib: lib.cat([lib.ones(2, 3), lib.ones(3, 3)], dim=1),
                      RuntimeError, "size 2", "size 3")
    raises_like_torch(lambda lib: lib.cat([lib.ones(2, 3), lib.ones(3)]), RuntimeError,
                      "got 2 and 1")
    raises_like_torch(lambda lib: lib.stack([lib.ones(2, 3), lib.ones(2, 4)]), RuntimeError,
                      "[2, 3]", "[2, 4]")


# --------------------------------------------------------------------- indices and dims


def test_out_of_range_index() -> None:
    message = raises_like_torch(lambda lib: lib.ones(2, 3)[5], IndexError, "5", "dimension 0",
                                "size 2")
    assert message == "index 5 is out of bounds for dimension 0 with size 2"
    raises_like_torch(lambda lib: lib.ones(2, 3)[0, 7], IndexError, "7", "dimension 1",
                      "size 3")
    raises_like_torch(lambda lib: lib.ones(2, 3)[-3], IndexError, "-3", "size 2")
    raises_like_torch(lambda lib: lib.ones(2, 3)[0, 0, 0], IndexError, "too many indices",
                      "2")
    raises_like_torch(lambda lib: lib.ones(3)[lib.tensor([0, 3])], IndexError, "3")
    raises_like_torch(lambda lib: lib.ones(2, 3).select(1, 5), IndexError, "5", "[2, 3]")
    raises_like_torch(lambda lib: lib.ones(2, 3).gather(1, lib.tensor([[5]])), RuntimeError,
                      "5", "dimension 1", "size 3")


def test_bad_index_types() -> None:
    raises_like_torch(lambda lib: lib.ones(3)[1.0], IndexError, "float")
    raises_like_torch(lambda lib: lib.ones(3)[lib.tensor([1.0])], IndexError,
                      "long, int, byte or bool")


@pytest.mark.parametrize("code", [
    lambda lib: lib.ones(2, 3).sum(dim=5),
    lambda lib: lib.ones(2, 3).sum(-3),
    lambda lib: lib.ones(2, 3).mean(dim=2),
    lambda lib: lib.ones(2, 3).max(dim=2),
    lambda lib: lib.ones(2, 3).squeeze(3),
    lambda lib: lib.ones(2, 3).transpose(0, 2),
    lambda lib: lib.ones(2, 3).unsqueeze(4),
    lambda lib: lib.ones(2, 3).softmax(dim=2),
    lambda lib: lib.cat([lib.ones(2, 3), lib.ones(2, 3)], dim=2),
    lambda lib: lib.ones(2, 3).size(2),
], ids=["sum", "sum-neg", "mean", "max", "squeeze", "transpose", "unsqueeze", "softmax",
        "cat", "size"])
def test_out_of_range_dim(code: Callable[[ModuleType], Any]) -> None:
    message = raises_like_torch(code, IndexError, "Dimension out of range")
    assert "expected to be in range of [" in message and "but got" in message


def test_dim_out_of_range_names_the_range_and_the_dim() -> None:
    message = raises_like_torch(lambda lib: lib.ones(2, 3).sum(dim=5), IndexError)
    assert message == "Dimension out of range (expected to be in range of [-2, 1], but got 5)"
    raises_like_torch(lambda lib: lib.ones(2, 3).permute(0), RuntimeError, "input.dim() = 2",
                      "len(dims) = 1")


# ------------------------------------------------------------------------------- dtypes


def test_requires_grad_on_an_integer_tensor() -> None:
    raises_like_torch(lambda lib: lib.tensor([1, 2], requires_grad=True), RuntimeError,
                      "floating point", "int64")
    raises_like_torch(lambda lib: lib.tensor([1, 2]).requires_grad_(), RuntimeError,
                      "only Tensors of floating point dtype can require gradients", "int64")
    raises_like_torch(lambda lib: lib.arange(3, requires_grad=True), RuntimeError,
                      "floating point")
    t = tinygrad_edu.tensor([True, False])
    with pytest.raises(RuntimeError, match="bool"):
        t.requires_grad = True
    assert not t.requires_grad


def test_tensor_of_strings() -> None:
    with pytest.raises((TypeError, ValueError)):
        torch.tensor(["a"])
    with pytest.raises(TypeError, match="str") as info:
        tinygrad_edu.tensor(["a"])
    assert "numbers only" in str(info.value)
    with pytest.raises(TypeError, match="numbers only"):
        tinygrad_edu.tensor([[1.0, "b"]])
    raises_like_torch(lambda lib: lib.tensor("a"), TypeError, "str")


def test_ragged_nested_lists() -> None:
    message = raises_like_torch(lambda lib: lib.tensor([[1, 2], [3]]), ValueError)
    assert "rectangular" in message or "sequence" in message


@pytest.mark.parametrize("array", [np.ones(2, dtype=np.complex64),
                                   np.array([1, "a"], dtype=object),
                                   np.ones(2, dtype=np.uint32)],
                         ids=["complex64", "object", "uint32"])
def test_from_numpy_of_an_unsupported_dtype(array: np.ndarray) -> None:
    """PyTorch converts complex and uint32 arrays; we have no such dtypes, and say which we
    have. Object arrays fail in both."""
    with pytest.raises(TypeError) as info:
        tinygrad_edu.from_numpy(array)
    message = str(info.value)
    assert f"numpy.{array.dtype}" in message
    assert "float32" in message and "int64" in message  # lists what is supported
    with pytest.raises(TypeError, match=str(array.dtype)):
        tinygrad_edu.tensor(array)
    if array.dtype == object:
        with pytest.raises(TypeError, match="object"):
            torch.from_numpy(array)


def test_from_numpy_of_a_non_array() -> None:
    raises_like_torch(lambda lib: lib.from_numpy([1, 2]), TypeError, "np.ndarray", "list")


@LIBS
@pytest.mark.parametrize("change", [
    lambda lib, t: t.add_(1.5),
    lambda lib, t: t.mul_(lib.tensor([0.5, 0.5])),
    lambda lib, t: t.div_(2),
    lambda lib, t: t.sub_(lib.ones(2, dtype=lib.float64)),
    lambda lib, t: t.__iadd__(0.5),
], ids=["add_ 1.5", "mul_ float", "div_", "sub_ float64", "+= 0.5"])
def test_integer_tensor_cannot_take_a_float_in_place(
        lib: ModuleType, change: Callable[[ModuleType, Any], Any]) -> None:
    t = lib.tensor([1, 2])
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type") as info:
        change(lib, t)
    assert "Float" in str(info.value) or "Double" in str(info.value)
    _unchanged(t, [1, 2], 0)
    assert repr(t.dtype).endswith("int64")


def test_integer_in_place_message_names_both_dtypes() -> None:
    raises_like_torch(lambda lib: lib.tensor([1, 2]).add_(1.5), RuntimeError,
                      "result type Float can't be cast to the desired output type Long")


def test_mean_of_an_integer_tensor() -> None:
    raises_like_torch(lambda lib: lib.tensor([1, 2]).mean(), RuntimeError,
                      "could not infer output dtype", "Got: Long")


def test_index_put_with_another_dtype() -> None:
    def code(lib: ModuleType) -> None:
        t = lib.tensor([1, 2])
        t[[0]] = lib.tensor([1.5])

    raises_like_torch(code, RuntimeError, "got Long for the destination and Float for the source")


# --------------------------------------------------------------------------------- autograd


def test_backward_on_a_non_scalar_without_gradient() -> None:
    message = raises_like_torch(lambda lib: (lib.ones(2, 3, requires_grad=True) * 2).backward(),
                                RuntimeError,
                                "grad can be implicitly created only for scalar outputs")
    assert "[2, 3]" in message  # ours also names the shape and the fix
    raises_like_torch(lambda lib: (lib.ones(2, requires_grad=True) * 2).backward(lib.ones(3)),
                      RuntimeError, "Mismatch in shape", "[3]", "[2]")


def test_backward_of_a_tensor_without_grad() -> None:
    raises_like_torch(lambda lib: lib.ones(2).sum().backward(), RuntimeError,
                      "does not require grad and does not have a grad_fn")


def test_second_backward_without_retain_graph() -> None:
    def code(lib: ModuleType) -> None:
        x = lib.ones(2, requires_grad=True)
        y = (x * x).sum()
        y.backward()
        y.backward()

    message = raises_like_torch(code, RuntimeError,
                                "Trying to backward through the graph a second time",
                                "retain_graph=True")
    assert message == str(_torch_error(code))


def _torch_error(code: Callable[[ModuleType], Any]) -> Exception:
    try:
        code(torch)
    except Exception as exc:
        return exc
    raise AssertionError("PyTorch raised nothing")


def test_in_place_change_of_a_saved_tensor() -> None:
    def code(lib: ModuleType) -> None:
        x = lib.ones(2, 3, requires_grad=True)
        h = x * 2
        y = h.exp() * h  # h is saved by the product
        h.add_(1)
        y.sum().backward()

    message = raises_like_torch(code, RuntimeError, "modified by an inplace operation",
                                "[2, 3]", "version 1", "expected version 0")
    assert "[torch.FloatTensor [2, 3]], which is output 0 of Add," in message  # PyTorch's


def test_in_place_on_a_leaf_that_requires_grad() -> None:
    def code(lib: ModuleType) -> None:
        lib.ones(2, requires_grad=True).add_(1)

    raises_like_torch(code, RuntimeError, "a leaf Variable that requires grad",
                      "in-place operation")


def test_in_place_on_a_view_of_a_tensor_requiring_grad_is_refused_clearly() -> None:
    """Deliberate difference: PyTorch rewrites the base's graph; we refuse, saying so."""
    y = tinygrad_edu.ones(3, requires_grad=True) * 1
    with pytest.raises(RuntimeError, match="in-place operations on a view") as info:
        y[0:2].mul_(2)
    assert "out-of-place" in str(info.value)
    _unchanged(y, [1.0, 1.0, 1.0], 0)
    leaf = tinygrad_edu.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError):
        leaf[0:2].mul_(2)
    with pytest.raises(RuntimeError, match="view of a leaf Variable"):
        torch.ones(3, requires_grad=True)[0:2].mul_(2)


def test_changing_requires_grad_of_a_non_leaf() -> None:
    def code(lib: ModuleType) -> None:
        (lib.ones(2, requires_grad=True) * 2).requires_grad = False

    raises_like_torch(code, RuntimeError, "only change requires_grad flags of leaf variables",
                      ".detach()")


def test_autograd_grad_with_an_unused_input() -> None:
    def code(lib: ModuleType) -> None:
        a = lib.ones(2, requires_grad=True)
        b = lib.ones(2, requires_grad=True)
        lib.autograd.grad((a * 2).sum(), [a, b])

    raises_like_torch(code, RuntimeError, "index 1", "allow_unused=True")


def test_assigning_a_grad_of_the_wrong_shape() -> None:
    def code(lib: ModuleType) -> None:
        lib.ones(2, requires_grad=True).grad = lib.ones(3)

    raises_like_torch(code, RuntimeError, "[3]", "[2]")


# ---------------------------------------------------------------------- conversions


def test_numpy_of_a_tensor_that_requires_grad() -> None:
    message = raises_like_torch(lambda lib: lib.ones(2, requires_grad=True).numpy(),
                                RuntimeError, "requires grad", "detach().numpy()")
    assert message == ("Can't call numpy() on Tensor that requires grad. Use "
                       "tensor.detach().numpy() instead.")
    assert tinygrad_edu.ones(2, requires_grad=True).detach().numpy().tolist() == [1.0, 1.0]


def test_item_of_a_multi_element_tensor() -> None:
    message = raises_like_torch(lambda lib: lib.ones(2, 3).item(), RuntimeError, "6 elements")
    assert message == "a Tensor with 6 elements cannot be converted to Scalar"
    raises_like_torch(lambda lib: lib.ones(0).item(), RuntimeError, "0 elements")
    raises_like_torch(lambda lib: float(lib.ones(2)), ValueError, "only one element tensors")
    raises_like_torch(lambda lib: int(lib.ones(2, 2)), ValueError, "4 elements")


def test_bool_of_a_multi_element_tensor() -> None:
    raises_like_torch(lambda lib: bool(lib.ones(2)), RuntimeError, "ambiguous",
                      "more than one value")
    raises_like_torch(lambda lib: bool(lib.ones(0)), RuntimeError, "ambiguous", "no values")

    def in_an_if(lib: ModuleType) -> None:
        if lib.tensor([1.0, 2.0]) > 0:
            pass

    raises_like_torch(in_an_if, RuntimeError, "Boolean value of Tensor")
    assert bool(tinygrad_edu.tensor([3.0])) is True and bool(tinygrad_edu.tensor(0)) is False


def test_len_and_iteration_of_a_0d_tensor() -> None:
    raises_like_torch(lambda lib: len(lib.tensor(1.0)), TypeError, "0-d")
    raises_like_torch(lambda lib: list(lib.tensor(1.0)), TypeError, "0-d")


def test_operands_that_are_not_numbers() -> None:
    raises_like_torch(lambda lib: lib.ones(2) + "a", TypeError, "str")
    raises_like_torch(lambda lib: lib.zeros((2, "a")), TypeError, "str")


def test_shape_arguments() -> None:
    raises_like_torch(lambda lib: lib.ones(-1), RuntimeError, "negative dimension", "[-1]")
    raises_like_torch(lambda lib: lib.arange(0, 10, 0), RuntimeError, "step must be nonzero")
    raises_like_torch(lambda lib: lib.randint(5, 3, (2,)), RuntimeError, "from=5", "to=3")


# ---------------------------------------------------------------------------------- devices


NO_GPU = pytest.mark.skipif(our_cuda.is_available(), reason="a usable GPU is present here")


@NO_GPU
@pytest.mark.parametrize("code", [
    lambda lib: lib.ones(2, device="cuda"),
    lambda lib: lib.tensor([1.0], device="cuda:0"),
    lambda lib: lib.ones(2).to("cuda"),
    lambda lib: lib.ones(2).to(lib.device("cuda")),
    lambda lib: lib.ones(2).cuda(),
    lambda lib: lib.zeros_like(lib.ones(2), device="cuda"),
], ids=["ones", "tensor", "to-str", "to-device", "cuda()", "zeros_like"])
def test_cuda_without_a_gpu_says_why_and_what_to_install(
        code: Callable[[ModuleType], Any]) -> None:
    """PyTorch's CPU build raises an AssertionError here; ours is a RuntimeError (DESIGN.md
    section 5) that gives the reason and the install command."""
    with pytest.raises(RuntimeError) as info:
        code(tinygrad_edu)
    message = str(info.value)
    assert message.startswith("CUDA is not available: ")
    assert our_cuda.why_unavailable() in message
    assert "CuPy" in message or "cupy" in message
    assert "pip install" in message and "conda install" in message
    assert tinygrad_edu.device("cuda").type == "cuda"  # naming the device is fine


def test_an_unknown_device_type() -> None:
    raises_like_torch(lambda lib: lib.ones(2, device="tpu"), RuntimeError, "tpu", "cpu",
                      "cuda")
