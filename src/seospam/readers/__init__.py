"""Batch readers: every input format turned into records, split into parts an engine can schedule."""
