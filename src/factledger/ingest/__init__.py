"""Inputs -> Articles (``readers``), and batches of them through extraction and storage (``batch``)."""
