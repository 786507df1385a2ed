// Scenario S8 as the spec words it: the client follows "Активировать подарочную карту", enters
// the activation code, presses "активировать" and sees the card's balance and an invitation to
// the catalog. A wrong code says so. The personal account then lists the card.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { BASE, launch, unique, seen } from "./helpers.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

function issueCard(rubles) {
  const target = process.env.CARGO_TARGET_DIR ?? new URL("../../target", import.meta.url).pathname;
  return execFileSync(`${target}/debug/vitrina-giftcards`, ["issue", "--amount", String(rubles)], { encoding: "utf8" }).trim();
}

test("S8: activate a gift card by its code, see its balance and the way to the catalog", async () => {
  const code = issueCard(2500);
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const user = { username: unique("gift"), password: "Sekret-2026" };
  assert.equal((await page.request.post(BASE + "/api/register", { data: { ...user, email: `${unique("g")}@example.ru` } })).status(), 200);
  assert.equal((await page.request.post(BASE + "/api/login", { data: user })).status(), 200);

  await page.goto(BASE + "/account");
  await page.getByRole("link", { name: "Активировать подарочную карту", exact: true }).click();
  await page.getByRole("heading", { name: "Активация подарочной карты", exact: true }).waitFor();

  await page.getByLabel("Код активации", { exact: true }).fill("AAAA-BBBB-CCCC-DDDD");
  await page.getByRole("button", { name: "активировать", exact: true }).click();
  await page.getByText("Карта с таким кодом не найдена — проверьте код", { exact: true }).waitFor();

  await page.getByLabel("Код активации", { exact: true }).fill(code.toLowerCase());
  await page.getByRole("button", { name: "активировать", exact: true }).click();
  await page.getByRole("heading", { name: "Подарочная карта активирована", exact: true }).waitFor();
  assert.match(await page.getByTestId("gift-card-balance").innerText(), /2\s500,00\s₽/);
  await seen(page, "gift-card-activated");
  await page.getByRole("link", { name: "Перейти к каталогу товаров", exact: true }).click();
  await page.waitForURL(BASE + "/");

  await page.goto(BASE + "/account");
  await page.getByTestId("gift-card").first().waitFor();
  assert.match(await page.getByTestId("gift-card").first().innerText(), new RegExp(`${code.slice(-4)}.*2\\s500,00`));
  await context.close();
});
