"""Document sources: one adapter per kind, all speaking :class:`~.base.DocumentSource`."""
