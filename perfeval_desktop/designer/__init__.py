"""表样设计: copy a form and change its outline, indicator framework and rules without
editing YAML by hand (no Qt here).  See :mod:`.draft`, :mod:`.rules`, :mod:`.save`."""

from .draft import DesignError, TemplateDraft

__all__ = ["DesignError", "TemplateDraft"]
