"""Web layer: FastAPI app, JSON API under /api, server-rendered Chinese pages."""
