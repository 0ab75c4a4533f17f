"""The journal's REST API handlers, one module per resource; the routes are in ``server.routes``."""
