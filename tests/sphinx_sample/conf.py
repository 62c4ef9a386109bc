"""A tiny product's documentation, Quill's, that uses portinfo's Sphinx extension.

tests/test_sphinx.py builds it twice: these pages with ``-W`` (they must build without a
warning), and the pages of ``malformed/`` with this configuration (``-c``), whose mistakes
must each warn at their own line.
"""

project = "Quill"
extensions = ["myst_parser", "portinfo.sphinx"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["malformed"]  # a project of its own, built with this configuration
