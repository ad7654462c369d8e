"""Command-line interface `evaluation`: thin French wrappers over library functions."""

from evaluation.cli.commands import app, main

__all__ = ["app", "main"]
