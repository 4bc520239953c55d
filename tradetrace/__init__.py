"""tradetrace: verifiable proof of origin, licence and custody for customs clearance."""

__version__ = "0.1.0"

__all__ = ["__version__"]
