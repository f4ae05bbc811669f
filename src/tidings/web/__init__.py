"""The read-only REST API over a store (``tidings serve``): :func:`tidings.web.api.create_app`."""
