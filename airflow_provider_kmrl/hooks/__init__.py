"""Airflow hooks: each wraps one client and one Airflow connection."""
