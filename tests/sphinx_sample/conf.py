"""A tiny project that uses portinfo's Sphinx extension, built by tests/test_sphinx.py."""

project = "portinfo sample"
extensions = ["myst_parser", "portinfo.sphinx"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
