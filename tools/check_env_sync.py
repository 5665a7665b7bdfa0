#!/usr/bin/env python3
"""Check that environment.yml (conda, for students) agrees with pyproject.toml (pip, CI).

Both files are parsed; no conda is needed. conda-forge names are mapped to PyPI names, then:

1. every core dependency of pyproject (plus the chosen extras) is in environment.yml, either
   as a conda package or in its ``pip:`` section, so ``pip install -e .`` inside the conda env
   fetches nothing from PyPI behind conda's back;
2. every package in environment.yml maps to a pyproject requirement, or is allowed as
   env-only (the interpreter, pip, binaries such as the graphviz ``dot`` program);
3. a version the environment pins (``=``, ``==``, ``>=``) is admitted by pyproject, and the
   environment's python satisfies ``requires-python``;
4. channels start with conda-forge and do not include ``defaults``.

Usage::

    python tools/check_env_sync.py [--env environment.yml] [--pyproject pyproject.toml]
                                   [--extras course]

Exit status: 0 in sync, 1 drift (each problem printed), 2 a file could not be read.
Needs PyYAML and packaging (both come with jupyterlab).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 (tomli comes with jupyterlab there)
    import tomli as tomllib

# conda-forge name -> PyPI name, only where they differ. Never strip "python-" blindly:
# python-dateutil is called that on PyPI as well.
CONDA_TO_PYPI: dict[str, str] = {
    "python-graphviz": "graphviz",  # conda "graphviz" is the C package with `dot`
    "matplotlib-base": "matplotlib",
    "pytorch": "torch",
    "cupy": "cupy-cuda12x",
    "cupy-core": "cupy-cuda12x",
    "msgpack-python": "msgpack",
    "pytables": "tables",
}

# conda packages with no PyPI requirement behind them: interpreter, tooling, binaries.
CONDA_ONLY: frozenset[str] = frozenset(
    {"python", "pip", "graphviz", "nodejs", "git", "make", "compilers", "cuda-version"}
)

# PyPI names the environment may carry without pyproject declaring them.
DEFAULT_ENV_ONLY: frozenset[str] = frozenset(
    {"jupyterlab", "ipykernel", "notebook", "ipywidgets", "nbval", "pytest", "jupytext"}
)

_CONDA_SPEC = re.compile(r"^(?P<name>[A-Za-z0-9_.\-]+)\s*(?P<rest>.*)$")
_CONSTRAINT = re.compile(r"^(?P<op>==|=|>=|<=|>|<|!=|~=)?\s*(?P<ver>[^\s,]+)$")
# operators whose version is the lowest one the constraint admits
_LOWER_BOUND_OPS = frozenset({"=", "==", "===", ">=", "~="})


@dataclass(frozen=True)
class EnvPackage:
    """One environment.yml entry, under its PyPI name."""

    name: str
    origin: str  # "conda:<name>" or "pip"
    pins: tuple[tuple[str, str], ...]  # (operator, version) pairs


def parse_conda_spec(spec: str) -> tuple[str, list[tuple[str, str]]]:
    """``'numpy>=1.26,<3'``, ``'python=3.11'``, ``'conda-forge::numpy 1.26.*'`` -> name, pins.

    A bare version after a space (``numpy 1.26.*``) means ``=1.26.*`` as in conda.
    """
    spec = spec.split("#", 1)[0].split("::")[-1].strip()
    match = _CONDA_SPEC.match(spec)
    if not match:
        raise ValueError(f"cannot parse conda spec {spec!r}")
    pins: list[tuple[str, str]] = []
    rest = match["rest"].strip()
    if rest:
        rest = rest.split()[0]  # drop a build string ("1.26 py311_0")
        for part in rest.split(","):
            constraint = _CONSTRAINT.match(part.strip())
            if not constraint:
                raise ValueError(f"cannot parse version constraint {part!r} in {spec!r}")
            pins.append((constraint["op"] or "=", constraint["ver"]))
    return match["name"].lower(), pins


def _lowest(version: str) -> Version | None:
    try:
        return Version(version.rstrip("*").rstrip("."))
    except InvalidVersion:
        return None


def conflicting_pins(
    pins: Iterable[tuple[str, str]], specifier: SpecifierSet
) -> list[tuple[str, str]]:
    """The pins whose lowest admitted version ``specifier`` rejects (upper bounds: unchecked)."""
    bad = []
    for op, version in pins:
        lowest = _lowest(version)
        if (
            op in _LOWER_BOUND_OPS
            and lowest is not None
            and not specifier.contains(lowest, prereleases=True)
        ):
            bad.append((op, version))
    return bad


def _env_packages(env: dict[str, Any]) -> tuple[dict[str, EnvPackage], list[tuple[str, str]]]:
    """environment.yml dependencies by PyPI name, and the pins on python itself."""
    packages: dict[str, EnvPackage] = {}
    python_pins: list[tuple[str, str]] = []
    for dep in env.get("dependencies") or []:
        if isinstance(dep, dict):
            for line in dep.get("pip") or []:
                line = str(line).split("#", 1)[0].strip()
                if not line or line.startswith("-"):  # -e ., -r file, --options
                    continue
                req = Requirement(line)
                name = canonicalize_name(req.name)
                pip_pins = tuple((s.operator, s.version) for s in req.specifier)
                packages[name] = EnvPackage(name, "pip", pip_pins)
            continue
        conda_name, pins = parse_conda_spec(str(dep))
        if conda_name == "python":
            python_pins = pins
        if conda_name in CONDA_ONLY:
            continue
        name = canonicalize_name(CONDA_TO_PYPI.get(conda_name, conda_name))
        packages[name] = EnvPackage(name, f"conda:{conda_name}", tuple(pins))
    return packages, python_pins


def _wanted(
    project: dict[str, Any], extras: Sequence[str], problems: list[str]
) -> dict[str, SpecifierSet]:
    """pyproject requirements (core + extras) by PyPI name, for the running interpreter."""
    optional: dict[str, list[str]] = project.get("optional-dependencies", {})
    lines = list(project.get("dependencies", []))
    for extra in extras:
        if extra not in optional:
            problems.append(f"extra [{extra}] is not defined in pyproject.toml")
        lines += optional.get(extra, [])
    own_name = canonicalize_name(project.get("name", ""))
    wanted: dict[str, SpecifierSet] = {}
    for line in lines:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        if name == own_name:  # an extra that pulls in another extra of this project
            continue
        if req.marker and not req.marker.evaluate({"extra": ""}):
            continue
        wanted[name] = req.specifier
    return wanted


def check(
    env_path: str | Path,
    pyproject_path: str | Path,
    extras: Sequence[str] = (),
    env_only: Iterable[str] = DEFAULT_ENV_ONLY,
) -> list[str]:
    """Return the drift between environment.yml and pyproject.toml, one line per problem.

    Raises OSError, yaml.YAMLError, ValueError (toml and requirement errors included) or
    KeyError (no [project] table) when a file cannot be read.
    """
    env = yaml.safe_load(Path(env_path).read_text(encoding="utf-8")) or {}
    if not isinstance(env, dict):
        raise ValueError(f"{env_path}: expected a mapping at the top level")
    project = tomllib.loads(Path(pyproject_path).read_text(encoding="utf-8"))["project"]

    problems: list[str] = []
    channels = [str(c) for c in env.get("channels") or []]
    if not channels or channels[0] != "conda-forge":
        problems.append(f"channels should start with conda-forge, got {channels}")
    if "defaults" in channels:
        problems.append("channel 'defaults' is listed (use conda-forge and nodefaults)")

    have, python_pins = _env_packages(env)
    wanted = _wanted(project, extras, problems)

    for name, specifier in sorted(wanted.items()):
        package = have.get(name)
        if package is None:
            problems.append(f"pyproject needs {name}{specifier} but environment.yml lacks it")
            continue
        for op, version in conflicting_pins(package.pins, specifier):
            problems.append(
                f"environment.yml pins {package.origin} {op}{version}, "
                f"which pyproject's {name}{specifier} rejects"
            )

    allowed = {canonicalize_name(n) for n in env_only}
    for name, package in sorted(have.items()):
        if name not in wanted and name not in allowed:
            problems.append(f"environment.yml has {package.origin} ({name}), not in pyproject")

    requires_python = project.get("requires-python")
    if not python_pins:
        problems.append("environment.yml does not pin python")
    elif requires_python:
        for op, version in conflicting_pins(python_pins, SpecifierSet(requires_python)):
            problems.append(f"environment.yml python {op}{version} violates {requires_python}")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--env", default="environment.yml")
    parser.add_argument("--pyproject", default="pyproject.toml")
    parser.add_argument("--extras", default="course", help="comma-separated extras mirrored")
    args = parser.parse_args(argv)
    extras = [e.strip() for e in args.extras.split(",") if e.strip()]
    try:
        problems = check(args.env, args.pyproject, extras)
    except (OSError, ValueError, KeyError, yaml.YAMLError) as exc:
        print(f"cannot check: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(f"DRIFT: {problem}")
    print(f"{args.env} vs {args.pyproject} [{','.join(extras)}]: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
