"""Knowledge layer: the two source documents as validated, cited data (data/ → models)."""
