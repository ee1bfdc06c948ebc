"""The factory as a service: a FastAPI app over every stage (see :func:`create_app`).

Routers live in ``routes/`` (one per stage), auth in ``auth``, error mapping in ``errors``,
long work in ``jobs`` / ``tasks`` (Celery or an in-process pool), the dashboard's static
files in ``static/``.
"""
