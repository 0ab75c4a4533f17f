"""The notebook widgets under their short name: ``from journal_ext.widgets import Passport``."""

from journal_ext.kernel.widgets import Passport, PassportOverview, SelfPositioning

__all__ = ["Passport", "PassportOverview", "SelfPositioning"]
