// Scenario S5 as the spec words it: from "Моя корзина" the client presses "Оформить заказ" and
// chooses how the order travels. Pickup: choosing a point activates "Оплатить заказ". Courier:
// an address and a courier company show the cost and the box "подтвердить стоимость доставки";
// only ticking it (and, for the shop's own courier, picking a two-hour window) activates
// "Оплатить заказ". A city without couriers says so.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, launch, unique, seen, ownProduct } from "./helpers.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const rubles = (text) => Number(text.replace(/[^\d,]/g, "").replace(",", "."));

async function clientWithCart(context) {
  const page = await context.newPage();
  const user = { username: unique("chk"), password: "Sekret-2026" };
  let r = await page.request.post(BASE + "/api/register", { data: { ...user, email: `${unique("k")}@example.ru` } });
  assert.equal(r.status(), 200);
  r = await page.request.post(BASE + "/api/login", { data: user });
  assert.equal(r.status(), 200);
  r = await page.request.post(BASE + "/api/cart/items", { data: { productId: "p-000002", quantity: 1 } });
  assert.equal(r.status(), 201);
  return page;
}

test("S5: courier — address and company show the cost; confirming it (and the own courier's window) activates «Оплатить заказ»", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await clientWithCart(context);
  await page.goto(BASE + "/cart");
  const goodsTotal = rubles(await page.getByTestId("cart-total").innerText());
  await page.getByRole("button", { name: "Оформить заказ", exact: true }).click();
  await page.getByRole("heading", { name: "Оформление заказа", exact: true }).waitFor();
  const pay = page.getByRole("button", { name: "Оплатить заказ", exact: true });
  assert.ok(await pay.isDisabled());

  await page.getByLabel("Доставка курьером", { exact: true }).check();
  await page.getByLabel("Адрес доставки", { exact: true }).fill("Тверь, ул. Советская, 3");
  await page.getByLabel("Курьерская компания", { exact: true }).selectOption({ label: "СДЭК — До двери в городах, где есть «Витрина»" });
  await page.getByText("В город «Тверь» курьеры пока не возят: выберите пункт выдачи", { exact: true }).waitFor();
  assert.ok(await pay.isDisabled());

  await page.getByLabel("Адрес доставки", { exact: true }).fill("Москва, ул. Ленина, д. 5, кв. 12");
  await page.getByLabel("Адрес доставки", { exact: true }).press("Tab");
  await page.getByTestId("delivery-cost").waitFor();
  assert.equal(rubles(await page.getByTestId("delivery-cost").innerText()), 390);
  assert.ok(await pay.isDisabled(), "not before the cost is confirmed");
  await page.getByLabel("подтвердить стоимость доставки", { exact: true }).check();
  assert.ok(await pay.isEnabled());
  await seen(page, "checkout-courier");

  // The shop's own courier comes in a two-hour window the client picks.
  await page.getByLabel("Курьерская компания", { exact: true }).selectOption({ label: "Курьер Витрины — Наша доставка по Москве: в выбранные два часа" });
  const windowSelect = page.getByLabel("Время доставки", { exact: true });
  await windowSelect.waitFor();
  assert.equal(rubles(await page.getByTestId("delivery-cost").innerText()), 290);
  await page.getByLabel("подтвердить стоимость доставки", { exact: true }).check();
  assert.ok(await pay.isDisabled(), "not before a window is chosen");
  const firstFree = windowSelect.locator("option:not([disabled]):not([value=''])").first();
  const windowLabel = await firstFree.innerText();
  await windowSelect.selectOption({ label: windowLabel });
  assert.ok(await pay.isEnabled());
  await seen(page, "checkout-courier-window");

  await pay.click();
  await page.getByRole("heading", { name: "Оплата заказа", exact: true }).waitFor();
  const label = await page.getByTestId("delivery-label").innerText();
  assert.ok(label.includes(`Курьер Витрины, ${windowLabel}`), label);
  assert.match(label, /Москва, ул. Ленина, д. 5, кв. 12/);
  assert.equal(rubles(await page.getByTestId("grand-total").innerText()), goodsTotal + 290);
  await context.close();
});

test("S5: pickup — choosing a point activates «Оплатить заказ»", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await clientWithCart(context);
  await page.goto(BASE + "/checkout");
  await page.getByRole("heading", { name: "Оформление заказа", exact: true }).waitFor();
  const pay = page.getByRole("button", { name: "Оплатить заказ", exact: true });
  await page.getByLabel("Забрать товар на пункте выдачи", { exact: true }).check();
  assert.ok(await pay.isDisabled());
  await page.getByLabel(/Витрина на Невском/).check();
  assert.ok(await pay.isEnabled());
  await pay.click();
  await page.getByRole("heading", { name: "Оплата заказа", exact: true }).waitFor();
  assert.match(await page.getByTestId("delivery-label").innerText(), /Витрина на Невском/);

  // The choice went with the order "Оплатить заказ" placed: the server has it.
  const orderId = new URL(page.url()).pathname.split("/")[2];
  const order = await (await page.request.get(BASE + `/api/orders/${orderId}`)).json();
  assert.equal(order.delivery.method, "pickup");
  assert.equal(order.status, "awaiting_payment");
  await context.close();
});

// A product of this test's own with `units` in the store on Tverskaya — and still for sale
// elsewhere: only the pickup point on Tverskaya runs out.
function importProduct(name, units) {
  return ownProduct({ name, price: 31_000, units: { "msk-tverskaya": units, "spb-nevsky": 5 }, prefix: "t-last-" });
}

test("S5: the last unit put aside for another client's «Оплатить заказ» — the client is told in Russian and the cart stays", async () => {
  const name = `Термос последний ${unique("")}`;
  const productId = importProduct(name, 1);
  const pickup = { method: "pickup", pickupPointId: "msk-tverskaya" };
  // Two clients put it in the cart while it is there; the other one presses «Оплатить заказ» first.
  const mine = await browser.newContext();
  mine.setDefaultTimeout(10_000);
  const other = await browser.newContext();
  const pages = [];
  for (const context of [mine, other]) {
    const page = await context.newPage();
    const user = { username: unique("last"), password: "Sekret-2026" };
    let r = await page.request.post(BASE + "/api/register", { data: { ...user, email: `${unique("l")}@example.ru` } });
    assert.equal(r.status(), 200);
    r = await page.request.post(BASE + "/api/login", { data: user });
    assert.equal(r.status(), 200);
    r = await page.request.post(BASE + "/api/cart/items", { data: { productId, quantity: 1 } });
    assert.equal(r.status(), 201);
    pages.push(page);
  }
  const [page, first] = pages;
  let r = await first.request.put(BASE + "/api/cart/delivery", { data: pickup });
  assert.equal(r.status(), 200);
  r = await first.request.post(BASE + "/api/orders");
  assert.equal(r.status(), 201, "the other client's order holds the unit");

  await page.goto(BASE + "/checkout");
  await page.getByLabel("Забрать товар на пункте выдачи", { exact: true }).check();
  await page.getByLabel(/Витрина на Тверской/).check();
  await page.getByRole("button", { name: "Оплатить заказ", exact: true }).click();
  await page.getByText(`Пока вы оформляли заказ, закончилось: ${name}`).waitFor();
  await seen(page, "checkout-out-of-stock");
  assert.equal(new URL(page.url()).pathname, "/checkout", "no payment page");
  const cart = await (await page.request.get(BASE + "/api/cart")).json();
  assert.equal(cart.lines.length, 1, "the cart is as it was");
  await mine.close();
  await other.close();
});
