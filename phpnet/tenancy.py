"""Tenancy for rows: while a request for one regency is served, every ORM
SELECT of a regency-scoped model is limited to that regency.

The URL guard (``phpnet.access``) decides who may open a regency's pages;
this module makes sure that what such a page reads belongs to that regency,
even where a query forgets to say so. It is SQLAlchemy's documented recipe
for global criteria: a ``do_orm_execute`` hook adds ``with_loader_criteria``
for both mixins below to every SELECT, aliases and lazy loads included.

Reading across regencies inside such a request is a decision, so it is
spelled out: ``with across_regencies(): ...``."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import ForeignKey, event, or_
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)

# The regency whose rows this request (or command) may read; None: any.
_current_regency: ContextVar[int | None] = ContextVar("phpnet_regency", default=None)
_across: ContextVar[bool] = ContextVar("phpnet_across_regencies", default=False)


class RegencyScoped:
    """Mixin for a table whose every row belongs to one regency (tenant):
    inside a regency's request only that regency's rows are read."""

    @declared_attr
    def regency_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("regency.id"), index=True)


class RegencyOrProvince:
    """Mixin for a table whose rows belong to one regency or, with no regency,
    to the province as a whole (shared lists, the province's own meetings and
    documents, province accounts): inside a regency's request, that
    regency's rows and the province's are read, never another regency's."""

    @declared_attr
    def regency_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("regency.id"), index=True)


@contextmanager
def regency_scope(regency_id: int) -> Iterator[None]:
    """Limit the ORM reads in the block to ``regency_id`` (the guard does it
    for each regency request; a command working for one regency may too)."""
    token = _current_regency.set(regency_id)
    try:
        yield
    finally:
        _current_regency.reset(token)


def enter_regency(regency_id: int) -> None:
    """Limit this request's ORM reads to ``regency_id`` until ``leave_regency``."""
    _current_regency.set(regency_id)


def leave_regency(_error: BaseException | None = None) -> None:
    """Request teardown: the next request starts unscoped."""
    _current_regency.set(None)


@contextmanager
def across_regencies() -> Iterator[None]:
    """The visible opt-out: ORM reads in the block see every regency's rows,
    for the few reads of a regency's page that are about the province."""
    token = _across.set(True)
    try:
        yield
    finally:
        _across.reset(token)


def current_scope() -> int | None:
    """The regency id ORM reads are limited to now, or None."""
    return None if _across.get() else _current_regency.get()


def _limit_to_regency(state: ORMExecuteState) -> None:
    regency_id = current_scope()
    if (
        regency_id is None
        or not state.is_select
        or state.is_column_load
        or state.is_relationship_load  # carried there by the statement's own options
    ):
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            RegencyScoped, lambda cls: cls.regency_id == regency_id, include_aliases=True
        ),
        with_loader_criteria(
            RegencyOrProvince,
            lambda cls: or_(cls.regency_id == regency_id, cls.regency_id.is_(None)),
            include_aliases=True,
        ),
    )


def install() -> None:
    """Listen on every ORM session (once per process)."""
    if not event.contains(Session, "do_orm_execute", _limit_to_regency):
        event.listen(Session, "do_orm_execute", _limit_to_regency)
