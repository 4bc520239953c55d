"""HTTP routers, one module per domain."""

__all__: list[str] = []
