"""The admin's tools: the registry import, the demo seed, the command line's work."""
