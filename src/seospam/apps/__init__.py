"""Programs built on the engine and the model: the HTTP service and the per-site report."""
