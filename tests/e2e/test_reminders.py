"""Settings → Reminders in Chromium, and the service worker's push and notificationclick.

Headless Chromium has no route to a real push service, so PushManager.subscribe is
replaced by one that returns a subscription with keys the test made (everything else is
the browser's own: the permission, the service worker, the notifications)."""

import pytest

from pages.models import PushSubscription
from tests.e2e.conftest import PHONE, open_log_form
from tests.e2e.push_stub import FAKE_PUSH, IPHONE_SAFARI

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ENDPOINT = "https://fcm.googleapis.com/fcm/send/e2e-device"
WORKER_ACTIVE = """navigator.serviceWorker.ready.then((registration) => {
  const worker = registration.active;
  return worker.state === "activated" || new Promise((resolve) => {
    worker.addEventListener("statechange", () => worker.state === "activated" && resolve(true));
  });
})"""


@pytest.fixture
def reminders_page(browser, live_server, user, vapid, make_browser_keys):
    keys = make_browser_keys()
    context = browser.new_context(**PHONE, locale="en-GB")
    fake = {"endpoint": ENDPOINT, "p256dh": keys.p256dh, "auth": keys.auth}
    context.add_init_script(FAKE_PUSH % fake)
    page = context.new_page()
    open_log_form(page, live_server.url, user)
    page.goto(f"{live_server.url}/settings/")
    page.evaluate(WORKER_ACTIVE)
    yield page
    context.close()


def test_reminders_turn_on_asks_permission_only_after_the_tap_and_stores_device(
    reminders_page, live_server, user
):
    page = reminders_page
    card = page.locator(".reminders")
    card.get_by_text("Off on this device.", exact=True).wait_for()
    assert page.evaluate("window.permissionRequests") == 0
    page.context.grant_permissions(["notifications"], origin=live_server.url)

    card.get_by_label("Reminder time").fill("07:45")
    card.get_by_role("button", name="Turn on reminders").click()

    status = card.locator(".reminder-status:visible")
    status.get_by_text("07:45").wait_for()
    assert status.inner_text() == "On for this device, at 07:45 each day."
    assert page.evaluate("window.permissionRequests") == 1
    device = PushSubscription.objects.get()
    assert (device.user, device.endpoint, f"{device.remind_at:%H:%M}") == (user, ENDPOINT, "07:45")
    assert not card.get_by_role("button", name="Turn on reminders").is_visible()

    card.get_by_role("button", name="Turn off on this device").click()
    card.get_by_text("Off on this device.", exact=True).wait_for()
    assert not PushSubscription.objects.exists()


def test_reminders_permission_refused_says_reminders_stay_off(reminders_page):
    page = reminders_page
    page.evaluate("Notification.requestPermission = async () => 'default'")
    page.locator(".reminders").get_by_role("button", name="Turn on reminders").click()
    page.get_by_text("Notifications were not allowed, so reminders stay off.").wait_for()
    assert not PushSubscription.objects.exists()


def test_reminders_iphone_safari_not_installed_shows_home_screen_hint(
    browser, live_server, user, vapid
):
    context = browser.new_context(**PHONE, user_agent=IPHONE_SAFARI)
    page = context.new_page()
    try:
        open_log_form(page, live_server.url, user)
        page.goto(f"{live_server.url}/settings/")
        card = page.locator(".reminders")
        card.get_by_text("reminders work once backpain is on your home screen").wait_for()
        assert not card.get_by_role("button", name="Turn on reminders").is_visible()
    finally:
        context.close()


PUSH_AND_TAP = """async () => {
          // The push handler shows what the server sent.
          const data = JSON.stringify({title: "How is your back today?", body: "Log today.",
                                       url: "/log/", tag: "backpain-reminder"});
          self.dispatchEvent(new PushEvent("push", {data}));
          for (let i = 0; i < 50; i++) {
            const [notification] = await self.registration.getNotifications();
            if (notification) {
              // A tap on it.
              self.dispatchEvent(new NotificationEvent("notificationclick", {notification}));
              return notification.title;
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          return null;
        }"""


def test_notification_click_opens_todays_form_in_the_open_window(reminders_page, live_server):
    page = reminders_page
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    shown = page.context.service_workers[0].evaluate(PUSH_AND_TAP)
    assert shown == "How is your back today?"
    page.wait_for_url(f"{live_server.url}/log/")
