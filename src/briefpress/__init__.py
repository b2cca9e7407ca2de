"""Turn one Markdown source into three editions (PDF, Word file, web page) and a press PDF."""

__version__ = "0.1.0"
