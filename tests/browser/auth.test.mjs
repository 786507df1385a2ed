// Scenario S1 (registration) as the spec words it, then logout, login and the personal account,
// clicked through in a real browser against the local stack.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, launch, unique, seen } from "./helpers.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function fillRegistration(page, user) {
  await page.getByLabel("Логин", { exact: true }).fill(user.username);
  await page.getByLabel("Имя", { exact: true }).fill("Мария");
  await page.getByLabel("Фамилия", { exact: true }).fill("Иванова");
  await page.getByLabel("Пароль", { exact: true }).fill(user.password);
  await page.getByLabel("E-mail", { exact: true }).fill(user.email);
  await page.getByLabel("Телефон", { exact: true }).fill("+7 912 345-67-89");
}

test("S1: registration, result page, logout, login, personal account", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const user = { username: unique("maria"), password: "Sekret-2026", email: `${unique("m")}@example.ru` };

  await page.goto(BASE + "/");
  await page.getByRole("link", { name: "Зарегистрироваться", exact: true }).click();
  await page.getByRole("heading", { name: "Регистрация", exact: true }).waitFor();

  // The form: name, masked password, e-mail, phone, and an inactive "Зарегистрировать".
  const submit = page.getByRole("button", { name: "Зарегистрировать", exact: true });
  assert.equal(await submit.isDisabled(), true);
  assert.equal(await page.getByLabel("Пароль", { exact: true }).getAttribute("type"), "password");

  await fillRegistration(page, { ...user, email: "not-an-email" });
  await page.getByLabel("Телефон", { exact: true }).focus();
  await page.getByLabel("E-mail", { exact: true }).blur();
  assert.equal(await submit.isDisabled(), true, "an invalid e-mail keeps the button inactive");
  await page.getByText("Проверьте адрес: например, ivan@mail.ru", { exact: true }).waitFor();

  await page.getByLabel("E-mail", { exact: true }).fill(user.email);
  assert.equal(await submit.isEnabled(), true, "a filled form activates the button");
  await seen(page, "register-filled");
  await submit.click();

  const result = page.getByTestId("register-result");
  await result.getByRole("heading", { name: "Регистрация завершена", exact: true }).waitFor();
  assert.match(await result.innerText(), new RegExp(user.username));
  assert.match(await result.innerText(), /\+79123456789/);
  await page.getByRole("button", { name: "Выйти", exact: true }).waitFor();
  await seen(page, "register-done");

  await page.getByRole("button", { name: "Выйти", exact: true }).click();
  await page.getByRole("link", { name: "Войти", exact: true }).waitFor();

  await page.getByRole("link", { name: "Войти", exact: true }).click();
  await page.getByLabel("Логин", { exact: true }).fill(user.username);
  await page.getByLabel("Пароль", { exact: true }).fill("Wrong-password-1");
  await page.getByRole("button", { name: "Войти", exact: true }).click();
  await page.getByText("Неверный логин или пароль", { exact: true }).waitFor();
  await seen(page, "login-refused");

  await page.getByLabel("Пароль", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Войти", exact: true }).click();
  await page.getByTestId("user-name").waitFor();
  assert.equal(await page.getByTestId("user-name").innerText(), "Мария");

  await page.getByRole("link", { name: "Личный кабинет", exact: true }).click();
  await page.getByRole("heading", { name: "Личный кабинет", exact: true }).waitFor();
  assert.equal(await page.getByTestId("account-username").innerText(), user.username);
  // The wallet is opened asynchronously (SQS → billing); reload until it shows.
  let balance = "";
  for (let i = 0; i < 20 && !balance; i++) {
    balance = (await page.getByTestId("wallet-balance").innerText({ timeout: 500 }).catch(() => "")).trim();
    if (!balance) { await page.reload(); await page.getByRole("heading", { name: "Личный кабинет", exact: true }).waitFor(); }
  }
  assert.equal(balance.replace(/\s/g, " "), "0,00 ₽");

  await page.getByLabel("Фамилия", { exact: true }).fill("Петрова");
  await page.getByRole("button", { name: "Сохранить", exact: true }).click();
  await page.getByText("Сохранено", { exact: true }).waitFor();
  await seen(page, "account");
  // Stored, not only shown: a reload reads it back.
  await page.reload();
  await page.getByRole("heading", { name: "Личный кабинет", exact: true }).waitFor();
  await page.getByTestId("account-username").waitFor();
  assert.equal(await page.getByLabel("Фамилия", { exact: true }).inputValue(), "Петрова");

  // The welcome e-mail is in the local mailbox, sent asynchronously: reload until it shows.
  let letters = 0;
  for (let i = 0; i < 30 && !letters; i++) {
    await page.goto(BASE + "/_local/mail");
    letters = await page.getByText(user.email).count();
    if (!letters) await page.waitForTimeout(500);
  }
  assert.ok(letters > 0, "the welcome e-mail within 15 s");
  await context.close();
});

test("registration with a taken username says so in Russian", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const user = { username: unique("dup"), password: "Sekret-2026", email: `${unique("d")}@example.ru` };
  const r = await page.request.post(BASE + "/api/register", { data: { username: user.username, password: user.password, email: `${unique("o")}@example.ru` } });
  assert.equal(r.status(), 200);
  await page.goto(BASE + "/register");
  await fillRegistration(page, user);
  await page.getByRole("button", { name: "Зарегистрировать", exact: true }).click();
  await page.getByText("Пользователь с таким логином или e-mail уже существует", { exact: true }).waitFor();
  await context.close();
});

test("the personal account needs a login and comes back after it", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const user = { username: unique("back"), password: "Sekret-2026" };
  await page.request.post(BASE + "/api/register", { data: { ...user, email: `${unique("b")}@example.ru` } });
  await page.goto(BASE + "/account");
  await page.getByRole("heading", { name: "Вход", exact: true }).waitFor();
  await page.getByLabel("Логин", { exact: true }).fill(user.username);
  await page.getByLabel("Пароль", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Войти", exact: true }).click();
  await page.getByRole("heading", { name: "Личный кабинет", exact: true }).waitFor();
  await context.close();
});

test("personal account: a new e-mail asks for the current password; «Выйти на всех устройствах» ends every session", async () => {
  const user = { username: unique("acc"), password: "Sekret-2026", email: `${unique("a")}@example.ru` };
  const laptop = await browser.newContext();
  laptop.setDefaultTimeout(10_000);
  const page = await laptop.newPage();
  assert.equal((await page.request.post(BASE + "/api/register", { data: user })).status(), 200);
  assert.equal((await page.request.post(BASE + "/api/login", { data: { username: user.username, password: user.password } })).status(), 200);
  const phone = await browser.newContext();
  const phonePage = await phone.newPage();
  assert.equal((await phonePage.request.post(BASE + "/api/login", { data: { username: user.username, password: user.password } })).status(), 200);

  await page.goto(BASE + "/account");
  await page.getByRole("heading", { name: "Личный кабинет", exact: true }).waitFor();
  const newEmail = `${unique("new")}@example.ru`;
  await page.getByLabel("E-mail", { exact: true }).fill(newEmail);
  await page.getByRole("button", { name: "Сохранить", exact: true }).click();
  await page.getByText("Чтобы сменить e-mail, введите текущий пароль", { exact: true }).waitFor();
  const current = page.getByLabel("Текущий пароль (нужен, чтобы сменить e-mail)", { exact: true });
  await current.fill("Wrong-2026");
  await page.getByRole("button", { name: "Сохранить", exact: true }).click();
  await page.getByText("Неверный текущий пароль", { exact: true }).waitFor();
  await current.fill(user.password);
  await page.getByRole("button", { name: "Сохранить", exact: true }).click();
  await page.getByText("Сохранено", { exact: true }).waitFor();
  assert.equal((await (await page.request.get(BASE + "/api/me")).json()).email, newEmail);

  await page.getByRole("button", { name: "Выйти на всех устройствах", exact: true }).click();
  await page.waitForURL(BASE + "/login");
  assert.equal((await page.request.get(BASE + "/api/auth")).status(), 401, "this device is logged out");
  assert.equal((await phonePage.request.get(BASE + "/api/auth")).status(), 401, "and the other one");
  await laptop.close();
  await phone.close();
});
