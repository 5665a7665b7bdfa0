# The two commands: `make lab` and `make test`.
VENV ?= .venv
PY = $(VENV)/bin/python
PIP = $(PY) -m pip
PYTHON ?= python3
PYTEST_ARGS ?=
PIP_FLAGS ?= -q

# An editable install made before tinygrad_edu/__init__.py existed maps a namespace package and
# keeps doing so; the stamps carry whether the package was there, so its arrival reinstalls once.
PKG_STATE = $(if $(wildcard tinygrad_edu/__init__.py),pkg,nopkg)
STAMP_COURSE = $(VENV)/.stamp-course-$(PKG_STATE)
STAMP_TEST = $(VENV)/.stamp-test-$(PKG_STATE)

# lint only the folders that exist (benchmarks/ may not yet)
LINT_PATHS = $(wildcard tinygrad_edu tests benchmarks tools course/*.py)
# what runs on cuda: the PyTorch parity suites (our side on the device) and cuda-vs-cpu
CUDA_SUITES = tests/test_gpu.py tests/test_parity.py tests/test_nn_functional.py \
	tests/test_more_ops.py tests/test_api_aliases.py tests/test_nn_more.py tests/test_special.py \
	tests/test_numerics.py tests/test_indexing_semantics.py tests/test_optim_more.py \
	tests/test_loss_targets.py tests/test_printoptions.py tests/test_setup_calls.py

.PHONY: lab test test-gpu install install-test notebooks clean

lab: $(STAMP_COURSE)
	$(VENV)/bin/jupyter lab $$( [ "$$(id -u)" = 0 ] && echo --allow-root ) course/

test: $(STAMP_TEST)
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/mypy  # the package's type hints ([tool.mypy] in pyproject.toml)
	$(PY) -m pytest --nbval --nbval-current-env --nbval-sanitize-with course/sanitize.cfg \
		-p no:cacheprovider $(PYTEST_ARGS)
	@echo "+ the cuda code path again, on the NumPy-backed CuPy stand-in (tests/cupy_standin.py)"
	TINYGRAD_EDU_TEST_DEVICE=cuda-standin $(PY) -m pytest -p no:cacheprovider -q \
		$(CUDA_SUITES) $(PYTEST_ARGS)

# On a machine with a GPU and CuPy (`pip install -e ".[gpu]"`): the same suites on the device.
test-gpu: $(STAMP_TEST)
	TINYGRAD_EDU_TEST_DEVICE=cuda $(PY) -m pytest -p no:cacheprovider -rs $(CUDA_SUITES) \
		$(PYTEST_ARGS)
	$(PY) benchmarks/bench_gpu.py

# Re-execute every chapter in place (after a change to what they print, e.g. chapter 03 shows
# the engine's source); `make test` then checks the stored outputs with nbval.
notebooks: $(STAMP_TEST)
	for nb in course/*.ipynb; do \
		$(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace \
			--ExecutePreprocessor.record_timing=False "$$nb" || exit 1; \
	done

install: $(STAMP_COURSE)
install-test: $(STAMP_TEST)

$(PY):
	$(PYTHON) -m venv $(VENV)

# Stamps: reinstall only when pyproject.toml changed (order-only on the interpreter, whose
# mtime a venv rebuild would change).
$(STAMP_COURSE): pyproject.toml | $(PY)
	$(PIP) install $(PIP_FLAGS) -e ".[course]"
	touch $@

$(STAMP_TEST): pyproject.toml | $(PY)
	$(PIP) install $(PIP_FLAGS) -e ".[course,test]"
	touch $@ $(STAMP_COURSE)

clean:
	rm -rf $(VENV) *.egg-info build .pytest_cache .hypothesis .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -type d -prune -exec rm -rf {} +
