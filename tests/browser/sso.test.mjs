// Single sign-on in Chromium, through the local OpenID provider's own pages (npm oidc-provider):
// a new client registers with the form pre-filled by the provider and comes back signed in; the
// provider is its only way in, so «Отвязать» refuses; a returning client signs in with one click;
// an e-mail that a local account has is linked only with that account's password, then unlinked
// and linked again from «Личный кабинет»; an unverified e-mail is refused in Russian.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, launch, unique, seen } from "./helpers.mjs";

const OIDC = process.env.VITRINA_OIDC_URL ?? "http://127.0.0.1:3003";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const exact = { exact: true };

/// `maria-<suffix>`: a person of the local provider no other test signs in as.
function person(base) {
  const login = `${base}-${unique("").toLowerCase()}`;
  return { login, email: `${login}@sso.example` };
}

/// Through the provider's pages as `login` (its login form, any password; its consent), until
/// the browser is back at the shop. A provider that remembers the person asks nothing.
async function atProvider(page, login) {
  for (let i = 0; i < 6; i++) {
    await page.waitForLoadState();
    if (page.url().startsWith(BASE)) return;
    if (!page.url().startsWith(OIDC)) {
      await page.waitForURL((u) => u.toString().startsWith(OIDC) || u.toString().startsWith(BASE));
      continue;
    }
    const loginInput = page.locator('input[name="login"]');
    if (await loginInput.count()) {
      await loginInput.fill(login);
      await page.locator('input[name="password"]').fill("any");
    }
    await Promise.all([page.waitForEvent("framenavigated"), page.locator('button[type="submit"]').first().click()]);
  }
  await page.waitForURL((u) => u.toString().startsWith(BASE));
}

async function register(user) {
  const r = await fetch(`${BASE}/api/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: user.username, password: user.password, email: user.email }),
  });
  assert.equal(r.status, 200, await r.text());
}

test("a new client registers through the provider, and then signs in with it", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const { login, email } = person("maria");

  await page.goto(BASE + "/login");
  await page.getByRole("link", { name: "Войти через Sandbox ID", ...exact }).click();
  await atProvider(page, login);

  // The registration form (S1), pre-filled with what the provider said; no password needed.
  await page.getByRole("heading", { name: "Регистрация", ...exact }).waitFor();
  await page.getByTestId("sso-register").waitFor();
  assert.equal(await page.getByLabel("E-mail", exact).inputValue(), email);
  assert.equal(await page.getByLabel("Имя", exact).inputValue(), "Мария");
  assert.equal(await page.getByLabel("Фамилия", exact).inputValue(), "Соколова");
  assert.equal(await page.getByLabel("Телефон", exact).inputValue(), "+79990001122");
  assert.equal(await page.getByLabel("Логин", exact).inputValue(), login);
  assert.equal(await page.getByLabel("Пароль (необязательно)", exact).inputValue(), "");
  await seen(page, "sso-register");
  await page.getByRole("button", { name: "Зарегистрировать", ...exact }).click();

  const result = page.getByTestId("register-result");
  await result.getByRole("heading", { name: "Регистрация завершена", ...exact }).waitFor();
  assert.match(await result.innerText(), new RegExp(email));
  assert.equal(await page.getByTestId("user-name").innerText(), "Мария");

  // «Личный кабинет»: linked, and the only way in, so it stays.
  await page.getByTestId("account-link").click();
  const ways = page.getByTestId("sign-in-ways");
  await ways.getByText(`привязан (${email})`).waitFor();
  await seen(page, "sso-account");
  await ways.getByRole("button", { name: "Отвязать", ...exact }).click();
  await ways.getByText("Это единственный способ войти: сначала задайте пароль", exact).waitFor();

  // Out, and back in with one click (the provider remembers the person).
  await page.getByRole("button", { name: "Выйти", ...exact }).click();
  await page.getByRole("link", { name: "Войти", ...exact }).click();
  await page.getByRole("link", { name: "Войти через Sandbox ID", ...exact }).click();
  await atProvider(page, login);
  await page.getByTestId("user-name").waitFor();
  assert.equal(await page.getByTestId("user-name").innerText(), "Мария");
  await context.close();
});

test("an e-mail a local account has: linked with its password, unlinked, linked again in the personal account", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const { login, email } = person("maria");
  const owner = { username: unique("owner"), password: "Sekret-2026", email };
  await register(owner);

  await page.goto(BASE + "/login");
  await page.getByRole("link", { name: "Войти через Sandbox ID", ...exact }).click();
  await atProvider(page, login);
  await page.getByRole("heading", { name: "Связать вход", ...exact }).waitFor();
  await page.getByText(`У нас уже есть учётная запись с адресом ${email}`).waitFor();
  await seen(page, "sso-link");
  await page.getByLabel("Пароль этой учётной записи", exact).fill("Wrong-2026");
  await page.getByRole("button", { name: "Связать с существующей учётной записью", ...exact }).click();
  await page.getByText("Неверный пароль", exact).waitFor();
  await page.getByLabel("Пароль этой учётной записи", exact).fill(owner.password);
  await page.getByRole("button", { name: "Связать с существующей учётной записью", ...exact }).click();
  await page.getByTestId("user-name").waitFor();
  assert.equal(await page.getByTestId("user-name").innerText(), owner.username);

  await page.getByTestId("account-link").click();
  const ways = page.getByTestId("sign-in-ways");
  await ways.getByText(`привязан (${email})`).waitFor();
  await ways.getByRole("button", { name: "Отвязать", ...exact }).click();
  await ways.getByText("Вход через Sandbox ID отвязан", exact).waitFor();
  await ways.getByText("не привязан").waitFor();

  // «Привязать»: the provider again, and back to the personal account, linked.
  await ways.getByRole("link", { name: "Привязать", ...exact }).click();
  await atProvider(page, login);
  await page.getByText("Вход через провайдера привязан", exact).waitFor();
  await page.getByTestId("sign-in-ways").getByText(`привязан (${email})`).waitFor();
  await context.close();
});

test("an unverified e-mail that a local account has is refused, in Russian", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const { login, email } = person("pavel");
  await register({ username: unique("pavel"), password: "Sekret-2026", email });
  await page.goto(BASE + "/login");
  await page.getByRole("link", { name: "Войти через Sandbox ID", ...exact }).click();
  await atProvider(page, login);
  await page.getByText("Учётная запись с этим e-mail уже есть, а провайдер не подтвердил адрес", { exact: false }).waitFor();
  assert.ok(page.url().endsWith("/login?sso=email_unverified"), page.url());
  await seen(page, "sso-refused");
  assert.equal(await page.getByTestId("user-name").count(), 0, "not signed in");
  await context.close();
});
