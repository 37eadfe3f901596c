"""One database engine per gradebook for as long as a grading process works in its course.

nbgrader opens its gradebook as ``Gradebook(db_url)``, and each one creates a new SQLAlchemy
engine: autograding one submission makes eleven, and SQLAlchemy compiles every query again for
each (it caches compiled statements per engine). While a process grades in one course (a worker in
its shard, a Dask worker in its scratch course, the command in its course folder), :func:`keep`
makes every ``Gradebook`` on that course's database share one engine, until :func:`release`
disposes of it. The database must stay the same file meanwhile: shards, scratch courses and the
command's course folder do, for as long as their process grades in them.

A *scratch* gradebook (a worker's shard, a Dask worker's scratch course) is thrown away with its
process, and the students it held are graded again if the process dies, so its engine does not
wait for the disk at each commit (SQLite's ``synchronous = OFF``: autograding one submission
commits about forty times, each a few tenths of a millisecond of CPU and most of a millisecond of
waiting). The course's own gradebook, the one the instructor keeps, is synced as always.

Written here because nbgrader takes a URL, not an engine: the one seam is the ``create_engine``
name that ``nbgrader.api`` imported, which :func:`keep` wraps (once per process). For any other
database, and for a kept one once released, the wrapper calls SQLAlchemy's own ``create_engine``.
"""

from __future__ import annotations

import threading
from typing import Any

import nbgrader.api
import sqlalchemy

#: The engine of each kept database, by URL (None until a gradebook first opens it).
_engines: dict[str, sqlalchemy.Engine | None] = {}
#: The kept databases that are scratch (see the module's documentation).
_scratch: set[str] = set()
_lock = threading.Lock()


def _create_engine(url: Any, *args: Any, **kwargs: Any) -> sqlalchemy.Engine:
    """``sqlalchemy.create_engine``, but one engine per kept database."""
    with _lock:
        if not isinstance(url, str) or url not in _engines:
            return sqlalchemy.create_engine(url, *args, **kwargs)
        if _engines[url] is None:
            _engines[url] = sqlalchemy.create_engine(url, *args, **kwargs)
            if url in _scratch:
                sqlalchemy.event.listen(_engines[url], "connect", _unsynced)
        return _engines[url]


def _unsynced(connection: Any, _record: Any) -> None:
    """A new SQLite connection of a scratch gradebook: commits do not wait for the disk."""
    connection.execute("PRAGMA synchronous = OFF")


def keep(db_url: str, scratch: bool = False) -> None:
    """From now on, every nbgrader ``Gradebook`` on ``db_url`` in this process uses one engine;
    ``scratch``: the database is thrown away with this process (see the module's documentation)."""
    nbgrader.api.create_engine = _create_engine
    with _lock:
        _engines.setdefault(db_url, None)
        if scratch:
            _scratch.add(db_url)


def release(db_url: str | None = None) -> None:
    """Dispose of the engine of ``db_url`` (of every kept database when None): later gradebooks on
    it get engines of their own again."""
    with _lock:
        urls = list(_engines) if db_url is None else [db_url]
        engines = [_engines.pop(url, None) for url in urls]
        _scratch.difference_update(urls)
    for engine in engines:
        if engine is not None:
            engine.dispose()
