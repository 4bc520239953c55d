"""The server-rendered web console and public portal (Jinja templates, no build step)."""

from tradetrace.web.views import NAVIGATION, mount

__all__ = ["NAVIGATION", "mount"]
