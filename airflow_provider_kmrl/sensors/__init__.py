"""Sensors for DAG authors who compose their own pipelines on the documents table."""
