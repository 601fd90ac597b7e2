"""Example orbdiff plugin: a parameter set and a model, registered by entry point."""

__version__ = "0.1.0"
