"""The moments a run measures from. A run of a day scores the world as it is at the end of that
day (UTC): everything before midnight counts, nothing after it."""

import calendar
import datetime

UTC = datetime.UTC


def end_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=UTC)


def add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    """Calendar months, the day clamped to the month's last (31 January + 1 month = 28/29 February)."""
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)
