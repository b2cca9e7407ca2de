"""Turn pandoc's JSON and the validated YAML into the typed model of a brief every stage reads.

``brief.py`` is the Brief, ``blocks.py`` pandoc's AST as msgspec Structs, ``schema.py`` the
YAML's schemas.
"""
