"""SQLAlchemy models, the engine/session factory and the repositories.

The only package (with ``db/``) that speaks SQL. Repositories return plain
dataclasses from the domain packages, never ORM objects.
"""
