"""Second looks at what is stored: audit, reprocess (retry, rescan), reclassify, lineage, evaluation.

Plain Python over the pipeline's parts (no Airflow); the operators in
``airflow_provider_kmrl.operators.maintenance`` run them as the supervisory DAGs.
"""
