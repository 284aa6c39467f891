"""The dashboard and JSON API (``factledger serve``): FastAPI + Jinja2, every page has a .json twin.

Needs the ``web`` extra (``pip install 'factledger[web]'``). See docs/dashboard.md.
"""
