"""The web interface: a FastAPI app over the same services as the command line."""
