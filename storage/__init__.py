"""Persistence: SQLAlchemy 2 models, engines and sessions, repositories, Alembic migrations.

`storage` knows nothing of `review` or Scrapy; it stores the records of `rules.record`.
"""
