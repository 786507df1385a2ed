// «Уведомления в браузере» in «Личный кабинет» → «Уведомления»: the browser asks for permission
// only when the client presses «Получать уведомления в браузере»; the device's subscription is
// then kept by the shop (POST /api/push/subscriptions), and «Отключить» forgets it on both sides.

import { api, ApiError, humanMessage } from "./api";
import { h } from "./dom";

/// The VAPID public key (base64url) as PushManager.subscribe takes it.
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/// `changed` runs after the device was subscribed or forgotten (the channels' grid offers push
/// only while the client has a device).
export function pushControls(changed: () => void): HTMLElement {
  const status = h("p", { "data-testid": "push-status" }, "Проверяем…");
  const button = h("button", { type: "button", hidden: true, "data-testid": "push-toggle" }) as HTMLButtonElement;
  const error = h("p", { class: "error", role: "alert" });
  const box = h(
    "div",
    { class: "push", "aria-live": "polite" },
    h("h3", {}, "Уведомления в браузере"),
    h("p", { class: "hint" }, "Оплата заказа и его путь — на этом устройстве, даже когда сайт закрыт."),
    status,
    button,
    error,
  );
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    status.textContent = "Этот браузер не умеет показывать уведомления.";
    return box;
  }

  const show = (on: boolean) => {
    status.textContent = on ? "Уведомления в браузере включены." : "Уведомления в браузере выключены.";
    button.textContent = on ? "Отключить" : "Получать уведомления в браузере";
    button.className = on ? "" : "primary";
    button.hidden = false;
    button.disabled = false;
  };

  async function current(): Promise<{ publicKey: string; subscription: PushSubscription | null; id?: string }> {
    const devices = await api.pushDevices();
    const registration = await navigator.serviceWorker.getRegistration("/");
    const subscription = registration ? await registration.pushManager.getSubscription() : null;
    const kept = subscription ? devices.subscriptions.find((d) => d.endpoint === subscription.endpoint) : undefined;
    return { publicKey: devices.publicKey, subscription: kept ? subscription : null, id: kept?.subscriptionId };
  }

  async function turnOn(publicKey: string) {
    if ((await Notification.requestPermission()) !== "granted") {
      error.textContent = "Браузер не разрешил уведомления: разрешите их для этого сайта в настройках браузера.";
      return show(false);
    }
    const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
    await api.pushSubscribe(subscription.toJSON());
    show(true);
  }

  async function turnOff(subscription: PushSubscription, id: string) {
    await api.pushUnsubscribe(id);
    await subscription.unsubscribe();
    show(false);
  }

  void (async () => {
    try {
      let state = await current();
      show(Boolean(state.subscription));
      button.addEventListener("click", async () => {
        button.disabled = true;
        error.textContent = "";
        try {
          if (state.subscription && state.id) await turnOff(state.subscription, state.id);
          else await turnOn(state.publicKey);
          state = await current();
          show(Boolean(state.subscription));
          changed();
        } catch (e) {
          error.textContent = e instanceof ApiError ? humanMessage(e) : "Не удалось включить уведомления в этом браузере.";
          button.disabled = false;
        }
      });
    } catch (e) {
      status.textContent = e instanceof ApiError && e.status === 503 ? "Уведомления в браузере сейчас недоступны." : humanMessage(e);
    }
  })();
  return box;
}
