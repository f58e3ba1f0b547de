"""Triggers the provider's deferrable sensors wait on, in Airflow's triggerer."""
