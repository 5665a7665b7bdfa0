"""``python -m tinygrad_edu COMMAND``; the one command is ``doctor``.

    python -m tinygrad_edu doctor   # is this setup ready for the course? (exit code 0: yes)

An unknown or missing command prints the usage and exits with code 2.
"""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tinygrad_edu",
        description="tinygrad_edu: a small tensor library with PyTorch's API.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands.add_parser("doctor", help="check Python, NumPy, JupyterLab, graphviz and the GPU "
                                       "(exit code 0 when the core works)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # exits with code 2 and the usage when wrong
    if args.command == "doctor":
        from .diagnostics import main as doctor_main

        return doctor_main()
    raise AssertionError(args.command)  # argparse allows only the commands above


if __name__ == "__main__":
    sys.exit(main())
