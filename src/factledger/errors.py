"""Every error factledger raises on purpose, in one place.

Messages say what was wrong, with which input, and what to do about it.
"""

from __future__ import annotations


class FactledgerError(Exception):
    """Base class of factledger's own errors."""


class InputError(FactledgerError):
    """An input could not be read (binary, bad encoding, empty, too large, malformed)."""


class ExtractionError(FactledgerError):
    """An article could not be analysed (over a size limit, out of time)."""


class RulesError(FactledgerError):
    """A rules/data file is invalid."""


class StoreError(FactledgerError):
    """The ledger could not be opened or written."""
