// «Уведомления» in «Личный кабинет», in Chromium: «Получать уведомления в браузере» asks for
// permission on that click only, subscribes the service worker and hands the subscription to the
// shop; the paid order's push reaches the local platform's push service, and delivered to the
// service worker it shows «Оплачено» as a notification that opens the order; «Отключить»
// forgets the device. SMS turned off for delivery: the order at the pickup point is told by
// e-mail and not by text; a changed e-mail gets the next letter.
//
// Chromium here cannot reach its vendor's push service, so `PushManager.subscribe` is stubbed to
// hand out a subscription of the local platform's push service (what the shop sends to), and the
// push that arrived there is delivered to the service worker through the DevTools protocol
// (`ServiceWorker.deliverPushMessage`), as the browser would after decrypting it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { BASE, launch, unique, seen, ownProduct, cases, moveCase, reloadUntil } from "./helpers.mjs";

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

// A goods order of the client's own product, placed for the pickup point on Tverskaya and paid
// from the wallet (the operator's credit first); answers the order.
async function paidOrder(page) {
  const productId = ownProduct({ price: 45_600, prefix: "t-notify-" });
  let r = await page.request.post(BASE + "/api/cart/items", { data: { productId, quantity: 1 } });
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
  return order;
}

async function until(probe, what, tries = 60) {
  for (let i = 0; i < tries; i++) {
    const found = await probe();
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.fail(what);
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

  const order = await paidOrder(page);
  const push = await until(
    async () => (await pushesTo(page, endpoint)).find((p) => p.payload.title?.includes("Оплачено")),
    "the payment's result reached the push service",
  );

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

test("«Уведомления»: SMS off for delivery — the order at the pickup point comes by e-mail, not by text; a changed e-mail gets the next letter, whose «Отписаться» stops such letters", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const user = { username: unique("notify"), password: "Sekret-2026" };
  const email = `${unique("old")}@example.ru`;
  let r = await page.request.post(BASE + "/api/register", { data: { ...user, email, phone: "+7 999 765-43-21" } });
  assert.equal(r.status(), 200);
  r = await page.request.post(BASE + "/api/login", { data: user });
  assert.equal(r.status(), 200);

  await page.goto(BASE + "/account");
  await reloadUntil(page, page.getByText(`Письма приходят на ${email}, SMS — на +79997654321.`, exact));
  const sms = page.getByRole("checkbox", { name: "Доставка и получение: SMS", ...exact });
  assert.ok(await sms.isChecked(), "every channel the client has, until the client chooses");
  assert.ok(await page.getByRole("checkbox", { name: "Заказы и оплата: E-mail", ...exact }).isDisabled(), "the payment's result always goes by e-mail");
  await sms.uncheck();
  await page.getByRole("status").getByText("Сохранено", exact).waitFor();
  await seen(page, "account-notifications");

  // The e-mail changed in «Личный кабинет»: «Уведомления» shows it once notification has it.
  const moved = `${unique("new")}@example.ru`;
  await page.getByLabel("E-mail", exact).fill(moved);
  await page.getByLabel("Текущий пароль (нужен, чтобы сменить e-mail)", exact).fill(user.password);
  await page.getByRole("button", { name: "Сохранить", ...exact }).click();
  await reloadUntil(page, page.getByText(`Письма приходят на ${moved}, SMS — на +79997654321.`, exact));
  await page.reload();
  assert.equal(await page.getByRole("checkbox", { name: "Доставка и получение: SMS", ...exact }).isChecked(), false, "the choice is kept");

  const order = await paidOrder(page);
  const number = order.orderId.slice(-8);
  const mail = async () => (await (await page.request.get(BASE + "/_local/mail.json")).json());
  const to = (letters, address) => letters.filter((m) => JSON.stringify(m.destinations ?? m.destination ?? m).includes(address));
  await until(async () => to(await mail(), moved).some((m) => m.subject?.includes("оплачен")), "the payment's letter went to the new e-mail");
  await until(async () => (await (await page.request.get(BASE + "/api/orders")).json()).orders.some((o) => o.orderId === order.orderId && o.status === "handed_to_delivery"), "the saga handed the order to delivery");
  for (const step of ["picking", "packed", "handed_over"]) cases("pick", order.orderId, step);
  moveCase(order.orderId, "in_transit");
  moveCase(order.orderId, "at_pickup_point");
  const arrival = await until(
    async () => to(await mail(), moved).find((m) => m.subject?.includes(number) && m.subject.includes("пункте выдачи")),
    "the arrival's letter went to the new e-mail",
  );
  assert.ok(arrival);
  const texts = await (await page.request.get(BASE + "/_local/sms.json")).json();
  assert.deepEqual(texts.filter((t) => t.message?.includes(number)), [], "no text about the order: SMS is off for delivery");
  assert.deepEqual(to(await mail(), email).filter((m) => m.subject?.includes(number)), [], "nothing about the order to the old e-mail");

  // The letter's «Отписаться», opened by someone the shop does not know (another browser): one
  // press, and letters about delivery stop.
  const link = arrival.text.match(/Отписаться: (\S+)/)?.[1];
  assert.ok(link?.startsWith(BASE + "/unsubscribe?token="), arrival.text);
  const stranger = await browser.newContext();
  const letterPage = await stranger.newPage();
  await letterPage.goto(link);
  await letterPage.getByText("«Доставка и получение»: такие письма перестанут приходить на e-mail.", { exact: false }).waitFor();
  await letterPage.getByRole("button", { name: "Отписаться", ...exact }).click();
  await letterPage.getByRole("status").getByText("Готово: такие письма больше не придут.", { exact: false }).waitFor();
  await seen(letterPage, "unsubscribed");
  await stranger.close();
  await page.reload();
  assert.equal(await page.getByRole("checkbox", { name: "Доставка и получение: E-mail", ...exact }).isChecked(), false, "«Уведомления» shows it off");
  await context.close();
});
