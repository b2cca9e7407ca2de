"""briefpress: one Markdown source, three editions (print PDF, editors' DOCX, web page)."""

import os

__version__ = "0.1.0"

# briefpress uses no pydantic plugins; looking for them scans every installed package's
# entry points, a noticeable part of start-up.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
