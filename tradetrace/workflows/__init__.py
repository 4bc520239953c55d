"""Use cases: each function is one thing a user does, over the domain and storage."""

__all__: list[str] = []
