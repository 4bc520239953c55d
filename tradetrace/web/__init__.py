"""The server-rendered web console and public portal (Jinja templates, no build step)."""

from tradetrace.web.render import NAVIGATION
from tradetrace.web.views import mount

__all__ = ["NAVIGATION", "mount"]
