"""DfE's published children's social care statistics, shipped with selfeval.

``measures.yaml`` says how each indicator is derived from the EES downloads, ``derive`` works the
figures out (used by ``tools/build_published.py`` and ``selfeval data update``), ``data/`` is the
store, ``store`` reads it and ``indicators`` joins each measure to its definition in the standard
indicator catalogue (``selfeval/data/indicators.yaml``).
"""
