"""The REST API shell: FastAPI routes over the workflows."""

from tradetrace.api.app import create_app

__all__ = ["create_app"]
