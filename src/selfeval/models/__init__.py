"""The data selfeval reads and works out, as pydantic models (and the pack's dataclasses).

The modules holding pydantic models (here, ``render.context_models`` and ``render.documents``)
do not postpone their annotations (no ``from __future__ import annotations``): pydantic would then
read each field's type back from a string, a compile and an eval per field, as each model is built
on every run's start (about 4 ms over the 37 models, 2% of what a generate does before its render
process is forked). A method that names its own class quotes it.
"""
