"""Batch output: the final writers, the resume sidecar and the one-run-per-output lock."""
