"""``python -m perfeval_desktop.templates.vocabulary``: the README's table of names."""

from . import markdown

print(markdown(), end="")
