// Scenarios S2, S3 and S4 as the spec words them: a client with an empty cart finds a product and
// presses "Добавить в корзину" (a new order with one item); then another (added to the order);
// then opens "Моя корзина", asks to remove one, cancels, asks again and confirms.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, launch, unique, seen } from "./helpers.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function registeredUser(page) {
  const user = { username: unique("cart"), password: "Sekret-2026" };
  const r = await page.request.post(BASE + "/api/register", { data: { ...user, email: `${unique("c")}@example.ru`, firstName: "Ольга" } });
  assert.equal(r.status(), 200);
  return user;
}

async function login(page, user) {
  await page.getByLabel("Логин", { exact: true }).fill(user.username);
  await page.getByLabel("Пароль", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Войти", exact: true }).click();
}

async function openFirstResult(page, q) {
  await page.getByRole("searchbox", { name: "Поиск товаров", exact: true }).fill(q);
  await page.getByRole("button", { name: "Найти", exact: true }).click();
  await page.getByRole("heading", { name: `Результаты поиска «${q}»`, exact: true }).waitFor();
  const name = await page.getByTestId("card-name").first().innerText();
  await page.getByTestId("card-name").first().click();
  await page.getByRole("heading", { name }).waitFor();
  return name;
}

const rubles = (text) => Number(text.replace(/[^\d,]/g, "").replace(",", "."));

test("S2–S4: add creates the order, add again adds to it, remove asks first", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const user = await registeredUser(page);

  // Not logged in: "Добавить в корзину" leads to login and back to the product.
  await page.goto(BASE + "/");
  const first = await openFirstResult(page, "чай");
  const productUrl = page.url();
  await page.getByRole("button", { name: "Добавить в корзину", exact: true }).click();
  await page.getByRole("heading", { name: "Вход", exact: true }).waitFor();
  await login(page, user);
  await page.getByRole("heading", { name: first }).waitFor();
  assert.equal(page.url(), productUrl);
  assert.equal(await page.getByTestId("cart-link").innerText(), "Моя корзина");

  // S2: the first add creates the order with one item.
  await page.getByRole("button", { name: "Добавить в корзину", exact: true }).click();
  await page.getByText("Товар добавлен в корзину", { exact: true }).waitFor();
  await page.getByRole("link", { name: "Моя корзина (1)", exact: true }).waitFor();

  // S3: another product is added to the same order.
  const second = await openFirstResult(page, "пылесос");
  await page.getByRole("button", { name: "Добавить в корзину", exact: true }).click();
  await page.getByRole("link", { name: "Моя корзина (2)", exact: true }).waitFor();

  // S4: the cart, its lines and total, and removal with confirmation.
  await page.getByRole("link", { name: "Моя корзина (2)", exact: true }).click();
  await page.getByRole("heading", { name: "Моя корзина", exact: true }).waitFor();
  const lines = page.getByTestId("cart-line");
  await lines.first().waitFor();
  assert.equal(await lines.count(), 2);
  const texts = await lines.allInnerTexts();
  assert.ok(texts.some((t) => t.includes(first)) && texts.some((t) => t.includes(second)), texts.join("\n"));
  const lineTotals = (await page.getByTestId("line-total").allInnerTexts()).map(rubles);
  assert.equal(rubles(await page.getByTestId("cart-total").innerText()), lineTotals.reduce((a, b) => a + b, 0));
  await page.getByRole("button", { name: "Оформить заказ", exact: true }).waitFor();
  await seen(page, "cart");

  const removeFirst = lines.filter({ hasText: first }).getByRole("button", { name: "удалить товар из корзины", exact: true });
  await removeFirst.click();
  const dialog = page.getByRole("dialog");
  await dialog.getByText("Удалить товар из корзины?", { exact: true }).waitFor();
  await dialog.getByRole("button", { name: "Отмена", exact: true }).click();
  await dialog.waitFor({ state: "hidden" });
  assert.equal(await lines.count(), 2, "cancelling keeps the item");
  // And the order still has it: what the page shows after a reload comes from the server.
  await page.reload();
  await lines.nth(1).waitFor();
  assert.equal(await lines.count(), 2, "cancelling keeps the item in the order");

  await removeFirst.click();
  await page.getByRole("dialog").getByRole("button", { name: "Удалить", exact: true }).click();
  await page.getByRole("link", { name: "Моя корзина (1)", exact: true }).waitFor();
  await lines.nth(1).waitFor({ state: "detached" });
  assert.equal(await lines.count(), 1);
  assert.match(await lines.first().innerText(), new RegExp(second.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  assert.equal(rubles(await page.getByTestId("cart-total").innerText()), rubles(await page.getByTestId("line-total").first().innerText()));
  await context.close();
});
