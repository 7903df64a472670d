from datetime import date, datetime, time

import pytest

from pages.reminders import REMINDER_WORDS, Device, Reminder, due

TODAY = date(2026, 6, 10)
AT_8 = time(8, 0)


def at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    return datetime.combine(day, time(hour, minute))


@pytest.mark.parametrize(
    ("now", "device", "today_logged", "ran_yesterday", "expected"),
    [
        # the chosen time, not logged: one reminder
        (at(8), Device(AT_8, None, None), False, False, Reminder.TODAY),
        (at(9, 30), Device(AT_8, None, None), False, False, Reminder.TODAY),
        # the morning after a run: the 24-hour check-in instead
        (at(8, 5), Device(AT_8, None, None), False, True, Reminder.AFTER_RUN),
        # before the time: nothing yet
        (at(7, 59), Device(AT_8, None, None), False, False, None),
        # more than LATE_LIMIT past the time: too late for today
        (at(10, 1), Device(AT_8, None, None), False, False, None),
        (at(10, 0), Device(AT_8, None, None), False, False, Reminder.TODAY),
        # already logged: nothing, run or not
        (at(8), Device(AT_8, None, None), True, False, None),
        (at(8), Device(AT_8, None, None), True, True, None),
        # already sent today: never twice
        (at(8, 10), Device(AT_8, TODAY, None), False, False, None),
        # sent yesterday: today is a new day
        (at(8), Device(AT_8, date(2026, 6, 9), None), False, False, Reminder.TODAY),
        # paused until a later day: nothing; the pause ends on its day
        (at(8), Device(AT_8, None, date(2026, 6, 11)), False, True, None),
        (at(8), Device(AT_8, None, TODAY), False, False, Reminder.TODAY),
        (at(8), Device(AT_8, None, date(2026, 6, 1)), False, False, Reminder.TODAY),
        # after a run day, the check-in comes in the morning, whatever the evening time
        (at(8, 30), Device(time(20, 0), None, None), False, True, Reminder.AFTER_RUN),
        (at(8, 29), Device(time(20, 0), None, None), False, True, None),
        (at(20, 0), Device(time(20, 0), None, None), False, True, None),
        (at(20, 0), Device(time(20, 0), None, None), False, False, Reminder.TODAY),
        # ...or at the runner's own time when that is earlier
        (at(7, 0), Device(time(7, 0), None, None), False, True, Reminder.AFTER_RUN),
        # a late-evening time still fires before midnight
        (at(23, 59), Device(time(23, 30), None, None), False, False, Reminder.TODAY),
        # just after midnight, yesterday's late time is not today's reminder
        (at(0, 10), Device(time(23, 30), None, None), False, False, None),
    ],
)
def test_due_table(now, device, today_logged, ran_yesterday, expected):
    result = due(now=now, device=device, today_logged=today_logged, ran_yesterday=ran_yesterday)
    assert result == expected


@pytest.mark.parametrize("kind", list(Reminder))
def test_reminder_words_each_kind_asks_a_question_without_streaks_or_guilt(kind):
    words = REMINDER_WORDS[kind]
    assert words.title.endswith("?")
    text = f"{words.title} {words.body}".lower()
    for word in ("streak", "forgot", "missed", "don't break", "again"):
        assert word not in text
