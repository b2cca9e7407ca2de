"""Turn a Brief into findings (file, line, message, fix): the checks ``build`` and ``check`` run.

``brief.py`` runs them all (``check_brief``); each other module checks one kind of thing.
"""
