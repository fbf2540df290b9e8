"""One module per document: the context model its template receives and the builder that fills it.

``shared`` holds what several documents show (the cover fields, KPI rows, the plan's rows); the
list of documents itself is ``selfeval.render.registry``.
"""
