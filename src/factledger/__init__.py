"""factledger: conflict news into a sourced, queryable ledger of events and figures."""

__version__ = "0.1.0"
