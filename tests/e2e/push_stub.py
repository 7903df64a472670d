"""A stand-in for the push service in the browser (no Django here, so bench scripts can
use it): headless Chromium cannot reach a real one."""

# Counts permission requests, and stands in for the push service's subscribe.
FAKE_PUSH = """(() => {
  window.permissionRequests = 0;
  const request = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = () => { window.permissionRequests += 1; return request(); };
  let held = null;
  PushManager.prototype.getSubscription = async () => held;
  PushManager.prototype.subscribe = async (options) => {
    held = {
      endpoint: "%(endpoint)s",
      options: { applicationServerKey: options.applicationServerKey },
      toJSON: () => ({
        endpoint: "%(endpoint)s", keys: { p256dh: "%(p256dh)s", auth: "%(auth)s" },
      }),
      unsubscribe: async () => { held = null; return true; },
    };
    return held;
  };
})();"""
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
