"""Announce stored documents on ``kmrl_ready_for_extraction`` exactly once, whichever run stored them.

The ledger, not the run, decides what to announce: every ``success`` row without ``announced_at``.
So documents committed by a run that failed later are announced by the next run that succeeds
(its retry, the next schedule, a reprocess), and a document is never announced twice.

Airflow sends outlet events when the task succeeds, after ``execute`` returns; the rows are marked
just before that, so the only gap is a task that dies between its last line and its success
being recorded (Airflow then retries the task, which finds them marked).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from airflow_provider_kmrl.assets import INGEST_ANNOUNCEMENTS, READY_FOR_EXTRACTION

if TYPE_CHECKING:
    from airflow.sdk import Context

    from airflow_provider_kmrl.pipeline.catalog import Catalog, RunContext

#: Document ids per Asset event; a larger set becomes several events.
IDS_PER_EVENT = 1000


def announce_stored(
    catalog: Catalog, context: Context, run: RunContext, outlets: list[Any], source_system: str | None = None
) -> int:
    """Add one event per chunk of unannounced documents (of one source, or all) and mark them."""
    if INGEST_ANNOUNCEMENTS not in (outlets or []):
        return 0  # the DAG author took the outlet away: announcing is theirs to do
    announced = 0
    for source, doc_ids in catalog.unannounced(source_system).items():
        for start in range(0, len(doc_ids), IDS_PER_EVENT):
            chunk: list[Any] = doc_ids[start:start + IDS_PER_EVENT]
            context["outlet_events"][INGEST_ANNOUNCEMENTS].add(
                READY_FOR_EXTRACTION, extra={"source": source, "doc_ids": chunk, "truncated": False}
            )
        catalog.mark_announced(doc_ids, run)
        announced += len(doc_ids)
    return announced
