"""Airflow provider that gathers documents from every source into one scanned, classified store."""

from __future__ import annotations

__version__ = "0.1.0"

_STRING = {"type": ["string", "null"]}


def get_provider_info() -> dict:
    """Describe the provider to Airflow (hooks, operators, connection types and their UI forms).

    Airflow reads this through the ``apache_airflow_provider`` entry point; ``package-name`` must be
    the canonical distribution name or every ``airflow`` command fails.
    """
    return {
        "package-name": "airflow-provider-kmrl",
        "name": "KMRL document ingestion",
        "description": "Fetches documents from mail, drives, Maximo, SFTP and upload folders; "
        "scans, deduplicates, stores and classifies them.",
        "versions": [__version__],
        "integrations": [
            {"integration-name": "KMRL document ingestion", "tags": ["software"]},
        ],
        "hooks": [
            {
                "integration-name": "KMRL document ingestion",
                "python-modules": [
                    "airflow_provider_kmrl.hooks.clamav",
                    "airflow_provider_kmrl.hooks.imap",
                    "airflow_provider_kmrl.hooks.minio",
                    "airflow_provider_kmrl.hooks.maximo",
                ],
            }
        ],
        "operators": [
            {
                "integration-name": "KMRL document ingestion",
                "python-modules": ["airflow_provider_kmrl.operators.ingest", "airflow_provider_kmrl.operators.maintenance"],
            }
        ],
        "sensors": [
            {
                "integration-name": "KMRL document ingestion",
                "python-modules": ["airflow_provider_kmrl.sensors.documents"],
            }
        ],
        "triggers": [
            {
                "integration-name": "KMRL document ingestion",
                "python-modules": ["airflow_provider_kmrl.triggers.documents"],
            }
        ],
        "connection-types": [
            {
                "connection-type": "kmrl_maximo",
                "hook-class-name": "airflow_provider_kmrl.hooks.maximo.MaximoHook",
                "hook-name": "IBM Maximo (REST/OSLC)",
                "conn-fields": {
                    "auth_type": {
                        "label": "Authentication",
                        "description": "apikey: the password field holds an API key, sent as the apikey header. "
                        "maxauth: Maximo native login with login and password.",
                        "schema": {"type": ["string", "null"], "enum": ["apikey", "maxauth", None]},
                    },
                    "site": {
                        "label": "Site filter",
                        "description": "Default siteid of the work orders to read; a source's options.site overrides it.",
                        "schema": _STRING,
                    },
                    "api_path": {
                        "label": "API path",
                        "description": "oslc (Maximo 7.6, the default) or api (MAS Manage).",
                        "schema": _STRING,
                    },
                    "timeout": {"label": "Timeout (seconds)", "schema": {"type": ["number", "null"]}},
                    "verify": {
                        "label": "Verify TLS",
                        "description": "false only for tests; or the path of a CA bundle.",
                        "schema": {"type": ["boolean", "string", "null"]},
                    },
                    "max_retries": {
                        "label": "Retries on 429/503",
                        "description": "Retry-After is honoured; default 5.",
                        "schema": {"type": ["integer", "null"]},
                    },
                    "max_retry_wait": {
                        "label": "Longest wait between retries (seconds)",
                        "schema": {"type": ["number", "null"]},
                    },
                },
                "ui-field-behaviour": {
                    "hidden-fields": ["schema", "port", "extra"],
                    "relabeling": {"host": "Base URL", "login": "User (maxauth only)", "password": "API key or password"},
                    "placeholders": {"host": "https://maximo.example.org/maximo", "auth_type": "apikey",
                                     "site": "MUTTOM", "api_path": "oslc"},
                },
            },
            {
                "connection-type": "kmrl_clamav",
                "hook-class-name": "airflow_provider_kmrl.hooks.clamav.ClamAVHook",
                "hook-name": "ClamAV (clamd)",
                "conn-fields": {
                    "socket": {
                        "label": "Unix socket path",
                        "description": "Use clamd's unix socket instead of host and port.",
                        "schema": _STRING,
                    },
                    "timeout": {
                        "label": "Timeout (seconds)",
                        "description": "Socket timeout for one scan; large files need more.",
                        "schema": {"type": ["number", "null"]},
                    },
                },
                "ui-field-behaviour": {
                    "hidden-fields": ["schema", "login", "password", "extra"],
                    "relabeling": {"host": "clamd host", "port": "clamd TCP port"},
                    "placeholders": {"host": "127.0.0.1", "port": "3310", "socket": "/run/clamav/clamd.ctl"},
                },
            },
            {
                "connection-type": "kmrl_minio",
                "hook-class-name": "airflow_provider_kmrl.hooks.minio.MinioHook",
                "hook-name": "MinIO / S3 document store",
                "conn-fields": {
                    "region": {"label": "Region", "schema": _STRING},
                    "part_size_mb": {
                        "label": "Multipart part size (MiB)",
                        "description": "Memory per upload is about one part.",
                        "schema": {"type": ["integer", "null"]},
                    },
                },
                "ui-field-behaviour": {
                    "hidden-fields": ["schema", "port", "extra"],
                    "relabeling": {"host": "Endpoint URL", "login": "Access key", "password": "Secret key"},
                    "placeholders": {"host": "https://minio.example.org:9000", "region": "us-east-1"},
                },
            },
        ],
    }
