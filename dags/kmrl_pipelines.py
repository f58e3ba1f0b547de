"""All KMRL document DAGs, generated from kmrl_sources.yaml next to this file (or $KMRL_SOURCES_FILE)."""

from airflow_provider_kmrl.dags import build_dags, dag_folder_of

globals().update(build_dags(dag_folder=dag_folder_of(__file__)))
