"""Turn a built edition (a PDF, a Word file) back into its outline, to compare with the source.

The web page's reader is in ``render/web.py``; ``outline.py`` picks the reader by suffix.
"""
