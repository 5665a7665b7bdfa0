"""Developer tools for tinygrad-edu (not part of the installed package)."""
