"""REST API over the fintech-policy data package: clauses, documents, topics and releases.

``create_app(store)`` (in :mod:`api.app`) builds the Litestar application for a
:class:`api.store.Store`; ``python -m api`` serves the repository's own data.
"""
