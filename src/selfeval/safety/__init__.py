"""Safety checks made on every input before (and while) it is read, and on every text before it is written.

This package sits below ``load``, ``render`` and ``write`` and imports none of them (only
``selfeval.errors``), so every layer can use the same checks: the zip and size guards on Office
files, the personal-data screening, and the bounds on work done for one input.
"""
