"""One page of a list: the rows, where it is, and how many pages there are.
The ``pagination`` macro of ``templates/_macros.html`` draws its links."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from phpnet.extensions import db

PER_PAGE = 25


@dataclass(frozen=True)
class Page:
    """Rows ``items`` of page ``number`` (from 1) of ``total`` rows."""

    items: list[Any]
    number: int
    total: int
    per_page: int = PER_PAGE

    @property
    def count(self) -> int:
        """How many pages (at least one, even for an empty list)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def first_item(self) -> int:
        """The position of the page's first row (0 on an empty list)."""
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_item(self) -> int:
        """The position of the page's last row."""
        return min(self.number * self.per_page, self.total)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.count

    @property
    def numbers(self) -> list[int | None]:
        """The page links to show: the first, the last and two around this
        page; None marks a gap."""
        shown = sorted(
            {1, self.count, *range(max(1, self.number - 2), min(self.count, self.number + 2) + 1)}
        )
        numbers: list[int | None] = []
        previous = 0
        for number in shown:
            if number - previous > 1:
                numbers.append(None)
            numbers.append(number)
            previous = number
        return numbers


def paginate(statement: Select[Any], number: int, per_page: int = PER_PAGE) -> Page:
    """Page ``number`` of ``statement``'s rows (ORM entities when it selects
    one); a page past the end shows the last one."""
    total = db.session.execute(
        select(func.count()).select_from(statement.order_by(None).subquery())
    ).scalar_one()
    number = min(max(number, 1), max(1, -(-total // per_page)))
    rows = db.session.execute(statement.limit(per_page).offset((number - 1) * per_page))
    # One entity or one column: its values (select(Entry) selects every column).
    items = list(rows.scalars() if len(statement.column_descriptions) == 1 else rows)
    return Page(items, number, total, per_page)
