"""briefpress: one Markdown source, three editions (print PDF, editors' DOCX, web page)."""

__version__ = "0.1.0"
