// Scenarios S7 "Оформление подарочной карты" and S9 "Пополнение кошелька" as the spec words them,
// in Chromium. Both run "Оплата заказа": the gift card by a bank card (not by a gift card), the
// top-up by SBP (neither the wallet nor a gift card is offered). The gift card's code reaches
// only the recipient's mailbox; the top-up shows the new balance and a link to the catalog.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, launch, unique, seen } from "./helpers.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const exact = { exact: true };

async function loggedIn(context) {
  const page = await context.newPage();
  const user = { username: unique("buy"), password: "Sekret-2026" };
  let r = await page.request.post(BASE + "/api/register", { data: { ...user, email: `${unique("b")}@example.ru`, firstName: "Олег" } });
  assert.equal(r.status(), 200);
  r = await page.request.post(BASE + "/api/login", { data: user });
  assert.equal(r.status(), 200);
  return page;
}

test("S9: «Личный кабинет» — «Пополнить баланс кошелька» by SBP, the new balance and the history", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const page = await loggedIn(context);
  await page.goto(BASE + "/");
  await page.getByRole("link", { name: "Личный кабинет", ...exact }).click();
  await page.getByRole("heading", { name: "Кошелёк", ...exact }).waitFor();
  await page.getByTestId("wallet-balance").waitFor();
  const topUp = page.getByRole("button", { name: "Пополнить баланс кошелька", ...exact });
  assert.ok(await topUp.isDisabled(), "inactive until the amount is valid");
  const amount = page.getByLabel("Сумма пополнения", exact);
  await amount.fill("50");
  await amount.blur();
  await page.getByText("Сумма от 100 до 100 000 ₽ целым числом", exact).waitFor();
  assert.ok(await topUp.isDisabled());
  await amount.fill("750");
  assert.ok(await topUp.isEnabled());
  await topUp.click();

  await page.getByText("Выбор способа оплаты", exact).waitFor();
  assert.equal(await page.getByLabel(/из кошелька клиента/).count(), 0, "the wallet does not top itself up");
  assert.equal(await page.getByLabel("подарочной картой", exact).count(), 0);
  await page.getByLabel("через систему быстрых платежей", exact).check();
  await page.getByRole("button", { name: "Показать QR-код", ...exact }).click();
  const link = await page.getByTestId("sbp-link").getAttribute("href");
  const phone = await context.newPage();
  await phone.goto(link);
  await phone.getByRole("button", { name: "Оплатить в приложении банка", ...exact }).click();
  await page.getByText("Банк подтвердил оплату. Нажмите «Оплатить».", exact).waitFor();
  await page.getByRole("button", { name: "Оплатить", ...exact }).click();
  await page.getByRole("heading", { name: "Кошелёк пополнен", ...exact }).waitFor();
  await page.getByTestId("wallet-balance").filter({ hasText: /Баланс кошелька: 750,00/ }).waitFor();
  await page.getByRole("link", { name: "Перейти в каталог", ...exact }).waitFor();
  await seen(page, "s9-topped-up");

  await page.getByRole("link", { name: "Личный кабинет", ...exact }).first().click();
  await page.getByTestId("wallet-history").getByText("Пополнение кошелька", exact).waitFor();
  assert.match(await page.getByTestId("wallet-balance").innerText(), /750,00/);
  await context.close();
});

test("S7: «Купить подарочную карту» — the form, «Оплатить», a bank card, the recipient's letter with the code", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const page = await loggedIn(context);
  await page.goto(BASE + "/");
  await page.getByRole("link", { name: "Купить подарочную карту", ...exact }).click();
  await page.getByRole("heading", { name: "Купить подарочную карту", ...exact }).waitFor();
  const pay = page.getByRole("button", { name: "Оплатить", ...exact });
  assert.ok(await pay.isDisabled(), "«Оплатить» is inactive on an empty form");
  const recipient = `${unique("gift")}@example.ru`;
  await page.getByLabel("Имя одаряемого", exact).fill("Маша");
  await page.getByLabel("E-mail", exact).fill(recipient);
  const amount = page.getByLabel("Сумма на карте", exact);
  await amount.fill("300");
  await amount.blur();
  await page.getByText("Сумма от 500 до 50 000 ₽ целым числом", exact).waitFor();
  await amount.fill("1500");
  assert.ok(await pay.isDisabled(), "no design yet");
  assert.equal(await page.locator(".design img").count(), 4, "four designs, each with a preview");
  await page.getByLabel("Цветы", exact).check();
  assert.ok(await pay.isEnabled(), "a valid form makes «Оплатить» active");
  await seen(page, "s7-form");
  await pay.click();

  await page.getByText("Выбор способа оплаты", exact).waitFor();
  assert.equal(await page.getByLabel("подарочной картой", exact).count(), 0, "a gift card buys no gift card");
  await page.getByLabel("банковской картой", exact).check();
  await page.getByRole("button", { name: "Ввести данные карты", ...exact }).click();
  await page.getByLabel("Номер карты", exact).fill("5555 5555 5555 4444");
  await page.getByLabel("Срок действия (ММ/ГГ)", exact).fill("12/30");
  await page.getByLabel("CVC", exact).fill("123");
  await page.getByRole("button", { name: "Заплатить", ...exact }).click();
  await page.waitForURL((url) => url.href.startsWith(BASE + "/payment/"));
  await page.getByRole("button", { name: "Оплатить", ...exact }).click();
  await page.getByRole("heading", { name: "Подарочная карта оплачена", ...exact }).waitFor();
  assert.match(await page.getByTestId("gift-card-sent").innerText(), new RegExp(recipient.replace(/[.]/g, "\\.")));
  await page.getByRole("link", { name: "Перейти в каталог", ...exact }).waitFor();
  await seen(page, "s7-paid");

  // The recipient's mailbox holds the code and the postcard; the buyer's page never did.
  let letter;
  for (let i = 0; i < 30 && !letter; i++) {
    const mail = await (await page.request.get(BASE + "/_local/mail.json")).json();
    letter = mail.find((m) => (m.destinations?.ToAddresses ?? []).includes(recipient));
    if (!letter) await page.waitForTimeout(500);
  }
  assert.ok(letter, "the recipient's letter");
  assert.match(letter.subject, /Олег дарит вам подарочную карту/);
  const code = letter.body.match(/<b data-code>([A-Z0-9-]+)<\/b>/)[1];
  assert.ok(!(await page.content()).includes(code), "the buyer's page does not show the code");
  await page.goto(BASE + "/orders");
  await page.getByTestId("order-status").first().waitFor();
  assert.ok(!(await page.content()).includes(code));
  await context.close();
});
