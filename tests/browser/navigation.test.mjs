// The page kit (web/src/page.ts): a page the client has left never draws over the one they went
// to. The race is driven, not timed: the test holds «Мои заказы»'s request in the browser, goes
// to «Личный кабинет», and only then lets the answer through.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, launch, unique, seen } from "./helpers.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("a page left while it loads does not draw over the next one, and shows itself when the client comes back", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const user = { username: unique("nav"), password: "Sekret-2026" };
  const r = await page.request.post(BASE + "/api/register", { data: { ...user, email: `${unique("n")}@example.ru`, firstName: "Вера" } });
  assert.equal(r.status(), 200);
  await page.goto(BASE + "/login");
  await page.getByLabel("Логин", { exact: true }).fill(user.username);
  await page.getByLabel("Пароль", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Войти", exact: true }).click();
  await page.getByTestId("user-name").waitFor();

  // «Мои заказы» asks for the orders; the answer waits until the client is elsewhere.
  let held;
  const asked = new Promise((resolve) => {
    void page.route("**/api/orders", (route) => { held = route; resolve(); });
  });
  await page.getByTestId("orders-link").click();
  await asked;
  await page.getByRole("heading", { name: "Мои заказы", exact: true }).waitFor();

  await page.getByTestId("account-link").click();
  await page.getByRole("heading", { name: "Личный кабинет", exact: true }).waitFor();
  const answered = page.waitForResponse("**/api/orders");
  await held.continue();
  await answered;
  // The left page's code runs right after its answer: two frames are more than it needs.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.equal(await page.getByRole("heading", { name: "Мои заказы", exact: true }).count(), 0, "«Мои заказы» drew over «Личный кабинет»");
  await page.getByRole("heading", { name: "Личный кабинет", exact: true }).waitFor();
  await seen(page, "account-after-a-left-page");

  // Back: the orders page renders in full.
  await page.unroute("**/api/orders");
  await page.goBack();
  await page.getByText("Заказов пока нет.", { exact: true }).waitFor();
  assert.equal(await page.getByRole("heading", { name: "Личный кабинет", exact: true }).count(), 0);
  await seen(page, "orders-after-coming-back");
  await context.close();
});
