"""The ``batch`` command (implemented in seospam.batch)."""
