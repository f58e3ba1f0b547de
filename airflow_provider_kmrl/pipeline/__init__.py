"""The ingest pipeline as plain Python: no Airflow imports below this package.

fetch (spool) -> hash and size -> type check -> scan -> store -> record -> classify -> event.
"""
