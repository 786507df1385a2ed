// Scenario S6 "Оплата заказа" as the spec words it, in Chromium: after "Оплатить заказ" the
// client chooses how to pay ("Выбор способа оплаты"). A bank card goes through the bank's own
// page (the local bank sandbox: number, expiry, CVC, then the 3-D Secure code) and comes back
// with "Оплатить" active; a wallet that holds enough makes "Оплатить" active at once. The
// result page shows "Оплачено"; a failure offers "Вернуться к редактированию заказа" and
// "Попробовать оплатить еще раз", and both work.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { BASE, launch, unique, seen, reloadUntil, ownProduct, cases, moveCase } from "./helpers.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const exact = { exact: true };

const target = process.env.CARGO_TARGET_DIR ?? new URL("../../target", import.meta.url).pathname;

// The bank sandbox's own record of a payment (YooKassa's GET /v3/payments/{id}).
async function atTheBank(page, bankPaymentId) {
  const bank = process.env.VITRINA_BANK_URL ?? "http://127.0.0.1:3002";
  const auth = "Basic " + Buffer.from("sandbox-shop:test_sandbox_secret").toString("base64");
  const r = await page.request.get(`${bank}/v3/payments/${bankPaymentId}`, { headers: { authorization: auth } });
  assert.equal(r.status(), 200, `the bank knows ${bankPaymentId}`);
  return r.json();
}

// A logged-in client with one product of its own in the cart (`price` kopecks), at
// "Оплата заказа" of its placed order.
async function atPayment(context, price = 123_400) {
  const page = await context.newPage();
  const productId = ownProduct({ price, prefix: "t-pay-" });
  const user = { username: unique("pay"), password: "Sekret-2026" };
  let r = await page.request.post(BASE + "/api/register", { data: { ...user, email: `${unique("p")}@example.ru` } });
  assert.equal(r.status(), 200);
  r = await page.request.post(BASE + "/api/login", { data: user });
  assert.equal(r.status(), 200);
  r = await page.request.post(BASE + "/api/cart/items", { data: { productId, quantity: 1 } });
  assert.equal(r.status(), 201);
  page.productId = productId;
  await page.goto(BASE + "/checkout");
  await page.getByLabel("Забрать товар на пункте выдачи", exact).check();
  await page.getByLabel(/Витрина на Тверской/).check();
  await page.getByRole("button", { name: "Оплатить заказ", ...exact }).click();
  await page.getByRole("heading", { name: "Оплата заказа", ...exact }).waitFor();
  await page.getByText("Выбор способа оплаты", exact).waitFor();
  return page;
}

// On the bank's page: the card, then (for a 3-D Secure card) the code; back at the shop.
async function payAtBank(page, number, code) {
  await page.getByLabel("банковской картой", exact).check();
  assert.ok(await page.getByRole("button", { name: "Оплатить", ...exact }).isDisabled(), "a card waits for the bank first");
  await page.getByRole("button", { name: "Ввести данные карты", ...exact }).click();
  await page.getByLabel("Номер карты", exact).waitFor();
  assert.ok(!page.url().startsWith(BASE), "the card is typed on the bank's page, not the shop's");
  const bankPaymentId = new URL(page.url()).pathname.split("/")[2];
  await page.getByLabel("Номер карты", exact).fill(number);
  await page.getByLabel("Срок действия (ММ/ГГ)", exact).fill("12/30");
  await page.getByLabel("CVC", exact).fill("123");
  await page.getByRole("button", { name: "Заплатить", ...exact }).click();
  if (code) {
    await page.getByLabel("Код из SMS", exact).fill(code);
    await page.getByRole("button", { name: "Подтвердить", ...exact }).click();
  }
  await page.waitForURL((url) => url.href.startsWith(BASE + "/payment/"));
  return bankPaymentId;
}

test("S6: a bank card with 3-D Secure — the bank's page, «Оплатить», «Оплачено», «Передан в доставку», «Отменить заказ»", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const page = await atPayment(context, 123_400);
  const bankPaymentId = await payAtBank(page, "5555 5555 5555 4477", "123456");
  const pay = page.getByRole("button", { name: "Оплатить", ...exact });
  await page.getByTestId("bank-done").waitFor();
  assert.ok(await pay.isEnabled(), "«Оплатить» is active once the bank holds the money");
  await pay.click();
  await page.getByRole("heading", { name: "Заказ оплачен", ...exact }).waitFor();
  assert.equal(await page.getByTestId("payment-result").innerText(), "Оплачено");
  await seen(page, "s6-paid");
  await page.getByRole("link", { name: "Мои заказы", ...exact }).first().click();
  await page.getByRole("heading", { name: "Мои заказы", ...exact }).waitFor();
  // The order saga takes the paid order on: reserved, handed to delivery, within seconds. The
  // list is read on opening, so the client looks again as a person would.
  const handed = page.getByTestId("order-status").filter({ hasText: "Передан в доставку" }).first();
  await reloadUntil(page, handed);
  // "Отменить заказ": confirmed in a window, the money goes back to the card.
  await page.getByRole("button", { name: "Отменить заказ", ...exact }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("heading", { name: "Отменить заказ?", ...exact }).waitFor();
  await dialog.getByRole("button", { name: "Отменить заказ", ...exact }).click();
  await page.getByText("Отменяется…", exact).waitFor();
  const cancelled = page.getByTestId("order-status").filter({ hasText: "Отменён" }).first();
  await reloadUntil(page, cancelled);
  assert.equal(await page.getByTestId("cancel-reason").first().innerText(), ": заказ отменён по вашей просьбе");
  // The money is back on the card, as the bank itself says: all of it, once.
  let atBank = await atTheBank(page, bankPaymentId);
  for (let i = 0; i < 30 && atBank.refunded_amount?.value !== "1234.00"; i++) {
    await page.waitForTimeout(1_000);
    atBank = await atTheBank(page, bankPaymentId);
  }
  assert.deepEqual(
    [atBank.status, atBank.amount.value, atBank.refunded_amount?.value],
    ["succeeded", "1234.00", "1234.00"],
    JSON.stringify(atBank),
  );
  await seen(page, "s6-cancelled");
  await context.close();
});


test("«Мои заказы»: the paid order's timeline — «Собирается», «Передан в доставку», then the operators' moves to «В пункте выдачи»", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const page = await atPayment(context);
  await payAtBank(page, "5555 5555 5555 4444", null);
  await page.getByRole("button", { name: "Оплатить", ...exact }).click();
  await page.getByRole("heading", { name: "Заказ оплачен", ...exact }).waitFor();
  let order;
  for (let i = 0; i < 30 && order?.status !== "handed_to_delivery"; i++) {
    if (i) await page.waitForTimeout(1_000);
    order = (await (await page.request.get(BASE + "/api/orders")).json()).orders.find((o) => o.kind === "goods");
  }
  assert.equal(order?.status, "handed_to_delivery");
  for (const step of ["picking", "packed", "handed_over"]) cases("pick", order.orderId, step);
  moveCase(order.orderId, "in_transit");
  moveCase(order.orderId, "at_pickup_point");

  await page.goto(BASE + "/orders");
  const row = page.getByTestId(`order-${order.orderId}`);
  await row.getByTestId("order-status").filter({ hasText: "В пункте выдачи" }).waitFor();
  const timeline = row.getByTestId("order-timeline");
  for (const stage of ["paid", "assembling", "handed_to_delivery", "in_transit", "at_pickup_point"]) {
    assert.equal(await timeline.locator(`li[data-stage="${stage}"]`).getAttribute("class"), "done", stage);
  }
  assert.match(await timeline.locator('li[data-stage="assembling"]').innerText(), /^Собирается /);
  assert.equal(await timeline.locator('li[data-stage="delivered"]').getAttribute("class"), "pending");
  assert.equal(await row.getByRole("button", { name: "Отменить заказ", ...exact }).count(), 0, "too late to cancel at the point");
  await seen(page, "orders-timeline");
  await context.close();
});

test("S6: a declined card offers both options, and both work", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const page = await atPayment(context);
  await payAtBank(page, "5555 5555 5555 4600", null);
  await page.getByRole("heading", { name: "Оплата не прошла", ...exact }).waitFor();
  assert.equal(await page.getByTestId("payment-failure").innerText(), "Недостаточно средств для оплаты заказа");
  await seen(page, "s6-declined");

  // "Попробовать оплатить еще раз": the choice again, another card, paid.
  await page.getByRole("button", { name: "Попробовать оплатить еще раз", ...exact }).click();
  await page.getByText("Выбор способа оплаты", exact).waitFor();
  await payAtBank(page, "2200 0000 0000 0004", null);
  await page.getByRole("button", { name: "Оплатить", ...exact }).click();
  await page.getByRole("heading", { name: "Заказ оплачен", ...exact }).waitFor();

  // "Вернуться к редактированию заказа": a new order, declined, back into the cart.
  const second = await atPayment(context);
  await payAtBank(second, "5555 5555 5555 4543", null);
  await second.getByRole("heading", { name: "Оплата не прошла", ...exact }).waitFor();
  assert.equal(await second.getByTestId("payment-failure").innerText(), "Срок действия карты истёк");
  await second.getByRole("button", { name: "Вернуться к редактированию заказа", ...exact }).click();
  await second.waitForURL(BASE + "/cart");
  await second.getByRole("button", { name: "Оформить заказ", ...exact }).waitFor();
  await context.close();
});

test("S6: the wallet — «Оплатить» inactive while it holds too little, then paid from it", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const page = await atPayment(context);
  const pay = page.getByRole("button", { name: "Оплатить", ...exact });
  await page.getByLabel(/из кошелька клиента/).check();
  await page.getByText("Недостаточно средств в кошельке для оплаты этого заказа.", exact).waitFor();
  assert.ok(await pay.isDisabled(), "too little money: «Оплатить» stays inactive");

  // An operator credits the wallet (vitrina-wallet), by the client's number.
  const me = await (await page.request.get(BASE + "/api/me")).json();
  execFileSync(`${target}/debug/vitrina-wallet`, ["credit", "--user", me.clientId, "--amount", "100000"], { encoding: "utf8" });
  await page.reload();
  await page.getByLabel(/из кошелька клиента/).check();
  assert.ok(await pay.isEnabled(), "enough money: «Оплатить» is active");
  await pay.click();
  await page.getByRole("heading", { name: "Заказ оплачен", ...exact }).waitFor();
  const wallet = await (await page.request.get(BASE + "/api/wallet")).json();
  assert.equal(wallet.balance, 100_000 * 100 - 123_400, "the order's total, and only it, left the wallet");
  await context.close();
});

test("S6: SBP — the QR code, the payer's banking app, «Оплатить»; a declined one fails", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const page = await atPayment(context);
  await page.getByLabel("через систему быстрых платежей", exact).check();
  await page.getByRole("button", { name: "Показать QR-код", ...exact }).click();
  await page.getByTestId("sbp-qr").locator("svg").waitFor();
  const link = await page.getByTestId("sbp-link").getAttribute("href");
  assert.match(link, /type=02/, "a dynamic SBP link");
  assert.ok(await page.getByRole("button", { name: "Оплатить", ...exact }).isDisabled());
  await seen(page, "s6-sbp-qr");

  // The payer's phone: the link the QR code carries opens the banking app (the sandbox's page).
  const phone = await context.newPage();
  await phone.goto(link);
  await phone.getByRole("button", { name: "Оплатить в приложении банка", ...exact }).click();
  await phone.getByText("Оплачено.", exact).waitFor();

  const pay = page.getByRole("button", { name: "Оплатить", ...exact });
  await page.getByText("Банк подтвердил оплату. Нажмите «Оплатить».", exact).waitFor();
  assert.ok(await pay.isEnabled());
  await pay.click();
  await page.getByRole("heading", { name: "Заказ оплачен", ...exact }).waitFor();

  // Another order, declined in the app: the failure page with its two options.
  const second = await atPayment(context);
  await second.getByLabel("через систему быстрых платежей", exact).check();
  await second.getByRole("button", { name: "Показать QR-код", ...exact }).click();
  const declineLink = await second.getByTestId("sbp-link").getAttribute("href");
  await phone.goto(declineLink);
  await phone.getByRole("button", { name: "Отклонить", ...exact }).click();
  await second.getByRole("heading", { name: "Оплата не прошла", ...exact }).waitFor();
  await second.getByRole("button", { name: "Попробовать оплатить еще раз", ...exact }).waitFor();
  await context.close();
});

test("S6: a card kept by the bank («Запомнить карту») pays the next order without its page", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const page = await atPayment(context);
  await page.getByLabel("банковской картой", exact).check();
  await page.getByLabel("Запомнить карту для следующих покупок", exact).check();
  await payAtBank(page, "5555 5555 5555 4444", null);
  await page.getByRole("button", { name: "Оплатить", ...exact }).click();
  await page.getByRole("heading", { name: "Заказ оплачен", ...exact }).waitFor();

  // The next order (same client, same context): the linked card is offered.
  await page.request.post(BASE + "/api/cart/items", { data: { productId: page.productId, quantity: 1 } });
  await page.goto(BASE + "/checkout");
  await page.getByLabel("Забрать товар на пункте выдачи", exact).check();
  await page.getByLabel(/Витрина на Тверской/).check();
  await page.getByRole("button", { name: "Оплатить заказ", ...exact }).click();
  await page.getByText("Выбор способа оплаты", exact).waitFor();
  await page.getByLabel("банковской картой", exact).check();
  const pay = page.getByRole("button", { name: "Оплатить", ...exact });
  await page.getByLabel("MasterCard *4444, до 12/30", exact).check();
  assert.ok(await pay.isEnabled(), "a linked card needs no bank page");
  await pay.click();
  await page.getByRole("heading", { name: "Заказ оплачен", ...exact }).waitFor();
  await context.close();
});

test("S6: «подарочной картой» — «новая подарочная карта» is activated in place and pays", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const code = execFileSync(`${target}/debug/vitrina-giftcards`, ["issue", "--amount", "50000"], { encoding: "utf8" }).trim();
  const page = await atPayment(context);
  await page.getByLabel("подарочной картой", exact).check();
  await page.getByRole("link", { name: "новая подарочная карта", ...exact }).click();
  await page.getByRole("heading", { name: "Активация подарочной карты", ...exact }).waitFor();
  await page.getByLabel("Код активации", exact).fill(code);
  await page.getByRole("button", { name: "активировать", ...exact }).click();
  // Back at the payment with the new card chosen: "Оплатить" is active.
  await page.getByText("Выбор способа оплаты", exact).waitFor();
  const pay = page.getByRole("button", { name: "Оплатить", ...exact });
  await page.waitForFunction(() => {
    const button = document.querySelector("button.primary:not([hidden])");
    return button !== null && !button.disabled;
  });
  assert.ok(await page.getByLabel(/Подарочная карта …/).isChecked(), "the new card is chosen");
  assert.ok(await pay.isEnabled());
  await pay.click();
  await page.getByRole("heading", { name: "Заказ оплачен", ...exact }).waitFor();
  const cards = await (await page.request.get(BASE + "/api/gift-cards")).json();
  assert.equal(cards.giftCards.length, 1, JSON.stringify(cards));
  assert.equal(cards.giftCards[0].balance, 50_000 * 100 - 123_400, "the order's total, and only it, left the card");
  await context.close();
});
