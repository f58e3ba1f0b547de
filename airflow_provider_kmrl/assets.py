"""Assets the provider emits; downstream DAGs schedule on them."""

from __future__ import annotations

from airflow.sdk import Asset, AssetAlias

#: One event per ingest or backfill run that stored new documents; ``extra["doc_ids"]`` lists them.
READY_FOR_EXTRACTION = Asset(name="kmrl_ready_for_extraction", uri="kmrl://ready_for_extraction")

#: Declared as the operator's outlet so that a run with nothing new emits no event at all.
INGEST_ANNOUNCEMENTS = AssetAlias(name="kmrl_ingest_announcements")
