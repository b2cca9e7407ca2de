"""Turn a brief's source folder (and the project's config, brands, tokens) into a Brief.

``brief.py`` reads the brief (``read_brief``); the other modules read the files it names.
"""
