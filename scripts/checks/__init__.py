"""Validation of the data package as small check units (see :mod:`scripts.checks.base`), run by
:func:`scripts.checks.runner.validate`; ``python -m scripts.validate`` is the command."""
