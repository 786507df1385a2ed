// «Уведомления» in «Личный кабинет», in Chromium: «Получать уведомления в браузере» asks for
// permission on that click only, subscribes the service worker and hands the subscription to the
// shop; the paid order's push reaches the local platform's push service, and delivered to the
// service worker it shows «Оплачено» as a notification that opens the order; «Отключить»
// forgets the device.
//
// Chromium here cannot reach its vendor's push service, so `PushManager.subscribe` is stubbed to
// hand out a subscription of the local platform's push service (what the shop sends to), and the
// push that arrived there is delivered to the service worker through the DevTools protocol
// (`ServiceWorker.deliverPushMessage`), as the browser would after decrypting it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { BASE, launch, unique, seen, ownProduct } from "./helpers.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const exact = { exact: true };
const target = process.env.CARGO_TARGET_DIR ?? new URL("../../target", import.meta.url).pathname;

// The stub keeps the subscription in localStorage, as the browser keeps it across reloads.
function stubPushManager() {
  if (!("PushManager" in self) || typeof localStorage === "undefined") return;
  const subscription = (json) => json && {
    endpoint: json.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true },
    toJSON: () => json,
    getKey: () => null,
    unsubscribe: async () => { localStorage.removeItem("stub-push"); return true; },
  };
  PushManager.prototype.subscribe = async function () {
    const json = await (await fetch("/_push/subscriptions", { method: "POST" })).json();
    localStorage.setItem("stub-push", JSON.stringify(json));
    return subscription(json);
  };
  PushManager.prototype.getSubscription = async function () {
    return subscription(JSON.parse(localStorage.getItem("stub-push") ?? "null"));
  };
}

async function pushesTo(page, endpoint) {
  const id = endpoint.split("/").pop();
  const all = await (await page.request.get(BASE + "/_local/push.json")).json();
  return all.received.filter((p) => p.subscriptionId === id);
}

test("«Получать уведомления в браузере»: the paid order shows «Оплачено» as a notification that opens the order; «Отключить» forgets the device", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  await context.grantPermissions(["notifications"], { origin: BASE });
  await context.addInitScript(stubPushManager);
  const page = await context.newPage();
  const user = { username: unique("push"), password: "Sekret-2026" };
  let r = await page.request.post(BASE + "/api/register", { data: { ...user, email: `${unique("push")}@example.ru` } });
  assert.equal(r.status(), 200);
  r = await page.request.post(BASE + "/api/login", { data: user });
  assert.equal(r.status(), 200);

  await page.goto(BASE + "/account");
  const status = page.getByTestId("push-status");
  await status.getByText("Уведомления в браузере выключены.", exact).waitFor();
  await page.getByRole("button", { name: "Получать уведомления в браузере", ...exact }).click();
  await status.getByText("Уведомления в браузере включены.", exact).waitFor();
  await seen(page, "account-push-on");
  const endpoint = await page.evaluate(() => JSON.parse(localStorage.getItem("stub-push")).endpoint);
  const devices = await (await page.request.get(BASE + "/api/push/subscriptions")).json();
  assert.deepEqual(devices.subscriptions.map((d) => d.endpoint), [endpoint], "the shop keeps this device");
  // Still on after a reload: the page asks the browser, not its own memory.
  await page.reload();
  await status.getByText("Уведомления в браузере включены.", exact).waitFor();

  // An order paid from the wallet.
  const productId = ownProduct({ price: 45_600, prefix: "t-push-" });
  r = await page.request.post(BASE + "/api/cart/items", { data: { productId, quantity: 1 } });
  assert.equal(r.status(), 201);
  r = await page.request.put(BASE + "/api/cart/delivery", { data: { method: "pickup", pickupPointId: "msk-tverskaya" } });
  assert.equal(r.status(), 200, await r.text());
  const order = await (await page.request.post(BASE + "/api/orders")).json();
  const me = await (await page.request.get(BASE + "/api/me")).json();
  execFileSync(`${target}/debug/vitrina-wallet`, ["credit", "--user", me.clientId, "--amount", "1000"], { encoding: "utf8" });
  const headers = { "idempotency-key": unique("key-") };
  const payment = await (await page.request.post(BASE + "/api/payments", { data: { orderId: order.orderId, method: "wallet" }, headers })).json();
  const paid = await (await page.request.post(BASE + `/api/payments/${payment.paymentId}/confirm`)).json();
  assert.equal(paid.status, "paid");

  let push;
  for (let i = 0; i < 60 && !push; i++) {
    push = (await pushesTo(page, endpoint)).find((p) => p.payload.title?.includes("Оплачено"));
    if (!push) await page.waitForTimeout(500);
  }
  assert.ok(push, "the payment's result reached the push service");

  // The browser's part: the push handed to the service worker, which shows it.
  const cdp = await context.newCDPSession(page);
  const registration = new Promise((resolve) => {
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      const mine = registrations.find((x) => x.scopeURL === BASE + "/" && !x.isDeleted);
      if (mine) resolve(mine.registrationId);
    });
  });
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.deliverPushMessage", { origin: BASE, registrationId: await registration, data: JSON.stringify(push.payload) });
  let shown = [];
  for (let i = 0; i < 40 && !shown.length; i++) {
    shown = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return (await reg.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: n.data?.url }));
    });
    if (!shown.length) await page.waitForTimeout(250);
  }
  assert.equal(shown.length, 1, JSON.stringify(shown));
  assert.match(shown[0].title, /Оплачено/);
  assert.equal(shown[0].url, `/orders#order-${order.orderId}`);
  // Where its click goes: the order, shown and marked among the client's orders.
  await page.goto(BASE + shown[0].url);
  await page.locator(`#order-${order.orderId}.shown`).waitFor();

  await page.goto(BASE + "/account");
  await page.getByRole("button", { name: "Отключить", ...exact }).click();
  await status.getByText("Уведомления в браузере выключены.", exact).waitFor();
  const after = await (await page.request.get(BASE + "/api/push/subscriptions")).json();
  assert.deepEqual(after.subscriptions, [], "the shop forgot the device");
  await context.close();
});
