// The shop's service worker: shows what web push brings (the notification service's payload:
// title, body, the page to open, a tag per order) and opens that page on a click.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "Витрина", {
      body: data.body || "",
      tag: data.tag,
      lang: "ru",
      data: { url: data.url || "/" },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url || "/", self.location.origin);
  // Only the shop's own pages.
  if (url.origin !== self.location.origin) return;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const w of windows) {
        if ("navigate" in w) {
          await w.navigate(url.href);
          return w.focus();
        }
      }
      return self.clients.openWindow(url.href);
    })(),
  );
});
