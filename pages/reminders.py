"""Which reminder, if any, is due on one device now (PRODUCT.md, "Reminders"). Pure Python:
facts in, a kind of reminder out; REMINDER_WORDS says it. pages/push.py reads the facts
from the database and sends what this decides."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum


class Reminder(StrEnum):
    TODAY = "today"  # the day is not logged by the chosen time
    AFTER_RUN = "after_run"  # the same, on the day after a run: the 24-hour check-in


# A reminder missed by more than this (the server was down, or the time was just set for
# earlier today) waits for tomorrow: a late-evening "How is your back today?" for a
# morning time would only be noise.
LATE_LIMIT = timedelta(hours=2)
# The pain-monitoring model reads the back the morning after a run (Silbernagel et al.
# 2007): after a run day the check-in comes at this time, or at the runner's own time if
# that is earlier. Still one notification that day.
CHECK_IN_AT = time(8, 30)


@dataclass(frozen=True)
class Device:
    remind_at: time  # the runner's local time
    last_sent_on: date | None  # the local day of the last reminder sent to this device
    paused_until: date | None  # no reminders before this day (the runner is away)


def due(
    *, now: datetime, device: Device, today_logged: bool, ran_yesterday: bool
) -> Reminder | None:
    """What to send to `device` at `now` (naive, the device's local time): at most one
    reminder a day, and only while today is not logged."""
    today = now.date()
    remind_at = min(device.remind_at, CHECK_IN_AT) if ran_yesterday else device.remind_at
    chosen = datetime.combine(today, remind_at)
    if device.last_sent_on == today or today_logged:
        return None
    if device.paused_until is not None and today < device.paused_until:
        return None
    if not chosen <= now <= chosen + LATE_LIMIT:
        return None
    return Reminder.AFTER_RUN if ran_yesterday else Reminder.TODAY


@dataclass(frozen=True)
class Words:
    title: str
    body: str


# Neither streaks nor guilt: a question, and what logging gives back.
REMINDER_WORDS = {
    Reminder.TODAY: Words("How is your back today?", "Log today in a few taps."),
    Reminder.AFTER_RUN: Words(
        "How is your back after yesterday’s run?",
        "The day after shows how a run sat with your back. Log today in a few taps.",
    ),
}
TEST_WORDS = Words("Reminders are on", "This is how a reminder looks on this device.")
