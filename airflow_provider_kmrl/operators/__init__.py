"""Operators: thin wrappers that build hooks and run plain-Python pipeline steps."""
