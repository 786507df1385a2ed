import "./style.css";
import { api, ApiError, humanMessage, Profile } from "./api";
import { h, field } from "./dom";
import { mount } from "./page";
import { categoriesBlock, categoryPage, productPage, searchPage } from "./catalog";
import { addToCartButton, cartPage, setNavigator, watchCart } from "./cart";
import { checkoutPage } from "./checkout";
import { ordersPage, payOrderPage, paymentReturnPage } from "./payment";
import { activateGiftCardPage, buyGiftCardPage, giftCardsBox } from "./giftcards";
import { walletBox } from "./wallet";
import { notificationsBox, unsubscribePage } from "./notifications";
import { linkPage, outcomeNotice, pendingIdentity, providerButtons, signInWaysBox } from "./sso";
import { validateEmail, validateName, validatePassword, validatePhone, validateUsername } from "./validation";

const app = document.getElementById("app") as HTMLElement;
const nav = document.getElementById("account-nav") as HTMLElement;

// Who is logged in, as GET /api/auth says; undefined until asked.
let current: Profile | null | undefined;

let cartCount = 0;

async function refreshSession(): Promise<Profile | null> {
  try {
    current = await api.auth();
  } catch {
    current = null;
  }
  cartCount = 0;
  if (current) {
    try {
      cartCount = (await api.cart()).itemCount;
    } catch {
      // The header shows the link without a count.
    }
  }
  renderNav();
  return current;
}

watchCart((count) => {
  cartCount = count;
  renderNav();
});

function link(href: string, text: string, attrs: Record<string, string> = {}): HTMLElement {
  return h("a", { href, "data-link": "true", ...attrs }, text);
}

function renderNav() {
  nav.replaceChildren();
  if (current) {
    const name = current.firstName || current.username;
    nav.append(
      link("/cart", cartCount ? `Моя корзина (${cartCount})` : "Моя корзина", { "data-testid": "cart-link" }),
      link("/orders", "Мои заказы", { "data-testid": "orders-link" }),
      link("/account", "Личный кабинет", { "data-testid": "account-link" }),
      link("/gift-cards/buy", "Купить подарочную карту"),
      h("span", { class: "user-name", "data-testid": "user-name" }, name),
      h("button", { type: "button", class: "link-button", onclick: logout }, "Выйти"),
    );
  } else {
    nav.append(link("/register", "Зарегистрироваться"), link("/login", "Войти"));
  }
}

async function logout() {
  try {
    await api.logout();
  } catch {
    // Already logged out server-side: the cookie is cleared either way.
  }
  current = null;
  renderNav();
  navigate("/");
}

// ------------------------------------------------------------------ pages

async function homePage(root: HTMLElement) {
  const greeting = current ? `Здравствуйте, ${current.firstName || current.username}!` : "Добро пожаловать в «Витрину»";
  const intro = [
    h("h1", {}, greeting),
    current
      ? h("p", {}, "Найдите товар через поиск или выберите раздел каталога.")
      : h("p", {}, link("/register", "Зарегистрируйтесь"), " или ", link("/login", "войдите"), ", чтобы делать покупки."),
  ];
  root.replaceChildren(...intro, h("p", { class: "loading" }, "Загружаем каталог…"));
  const categories = await categoriesBlock();
  root.replaceChildren(...intro, categories);
}

// Scenario S1: the registration form; "Зарегистрировать" stays disabled until it is valid.
// After a provider's sign-in (`?sso=<provider>`) it opens pre-filled with what the provider said,
// the password optional, and completes the registration through the provider.
async function registerPage(root: HTMLElement, params: URLSearchParams) {
  const pending = params.get("sso") ? await pendingIdentity() : null;
  const username = field({ id: "username", label: "Логин", autocomplete: "username", required: true, hint: "Латинские буквы, цифры, «.», «_», «-»" });
  const firstName = field({ id: "firstName", label: "Имя", autocomplete: "given-name", required: true });
  const lastName = field({ id: "lastName", label: "Фамилия", autocomplete: "family-name" });
  const password = pending
    ? field({ id: "password", label: "Пароль (необязательно)", type: "password", autocomplete: "new-password", hint: `Входить можно через ${pending.providerName}; пароль — ещё один способ` })
    : field({ id: "password", label: "Пароль", type: "password", autocomplete: "new-password", required: true, hint: "Не короче 8 символов, буква и цифра" });
  const email = field({ id: "email", label: "E-mail", type: "email", autocomplete: "email", required: true });
  const phone = field({ id: "phone", label: "Телефон", type: "tel", autocomplete: "tel", required: true, hint: "Например, +7 999 123-45-67" });
  const submit = h("button", { type: "submit", disabled: true }, "Зарегистрировать") as HTMLButtonElement;
  const formError = h("div", { class: "form-error", role: "alert" });

  const checks: [ReturnType<typeof field>, (v: string) => string | undefined][] = [
    [username, validateUsername],
    [firstName, (v) => validateName(v, true)],
    [lastName, (v) => validateName(v, false)],
    [password, (v) => (pending && !v ? undefined : validatePassword(v))],
    [email, validateEmail],
    [phone, (v) => validatePhone(v, true)],
  ];
  const touched = new Set<string>();

  function validate(): boolean {
    let ok = true;
    for (const [f, check] of checks) {
      const msg = check(f.input.value);
      if (msg) ok = false;
      // A field speaks up once the client has left it, not while the first letters are typed.
      f.error.textContent = touched.has(f.input.id) && msg ? msg : "";
      f.input.setAttribute("aria-invalid", touched.has(f.input.id) && msg ? "true" : "false");
    }
    submit.disabled = !ok;
    return ok;
  }
  for (const [f] of checks) {
    f.input.addEventListener("input", validate);
    f.input.addEventListener("blur", () => {
      touched.add(f.input.id);
      validate();
    });
  }

  const form = h(
    "form",
    { class: "card form", novalidate: true, "aria-labelledby": "register-title" },
    h("h1", { id: "register-title" }, "Регистрация"),
    pending ? h("p", { class: "hint", "data-testid": "sso-register" }, `Данные получены от ${pending.providerName}: проверьте их и нажмите «Зарегистрировать».`) : null,
    params.get("sso") && !pending ? h("div", { class: "form-error", role: "alert" }, humanMessage(new ApiError(400, "sso_expired", ""))) : null,
    ...checks.map(([f]) => f.wrap),
    formError,
    submit,
    pending ? null : providerButtons("/"),
  ) as HTMLFormElement;
  if (pending) {
    username.input.value = pending.username;
    firstName.input.value = pending.firstName;
    lastName.input.value = pending.lastName;
    email.input.value = pending.email;
    phone.input.value = pending.phone;
    validate();
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    checks.forEach(([f]) => touched.add(f.input.id));
    if (!validate()) return;
    submit.disabled = true;
    submit.textContent = "Регистрируем…";
    formError.textContent = "";
    const data = Object.fromEntries(checks.map(([f]) => [f.input.id, f.input.value.trim()]));
    data.password = password.input.value;
    try {
      if (pending) {
        if (!data.password) delete data.password;
        const done = await api.ssoRegister(data);
        await refreshSession();
        resultProfile = { ...done, clientId: "" } as Profile;
        navigate(done.returnTo === "/" ? "/register/done" : done.returnTo);
        return;
      }
      const profile = await api.register(data);
      // Registered: log straight in, so the result page greets a signed-in client.
      try {
        await api.login(profile.username, password.input.value);
      } catch {
        // The account exists; the result page offers to log in by hand.
      }
      await refreshSession();
      resultProfile = profile;
      navigate("/register/done");
    } catch (e) {
      const code = e instanceof ApiError ? e.code : "";
      const target = { invalid_username: username, invalid_email: email, invalid_phone: phone, weak_password: password, invalid_name: firstName }[code];
      if (target) target.error.textContent = humanMessage(e);
      else formError.textContent = humanMessage(e);
      submit.textContent = "Зарегистрировать";
      submit.disabled = false;
    }
  });
  root.replaceChildren(form);
  username.input.focus();
}

let resultProfile: Profile | null = null;

function registerDonePage(root: HTMLElement) {
  const p = resultProfile ?? current;
  if (!p) return navigate("/register");
  root.replaceChildren(
    h(
      "section",
      { class: "card", "data-testid": "register-result" },
      h("h1", {}, "Регистрация завершена"),
      h("p", {}, `Добро пожаловать, ${p.firstName || p.username}! Ваш кошелёк открыт, а на ${p.email} отправлено приветственное письмо.`),
      h(
        "dl",
        { class: "profile" },
        h("dt", {}, "Логин"), h("dd", {}, p.username),
        h("dt", {}, "Имя"), h("dd", {}, [p.firstName, p.lastName].filter(Boolean).join(" ") || "—"),
        h("dt", {}, "E-mail"), h("dd", {}, p.email),
        h("dt", {}, "Телефон"), h("dd", {}, p.phone || "—"),
      ),
      current ? h("p", {}, link("/account", "Перейти в личный кабинет")) : h("p", {}, link("/login", "Войти")),
    ),
  );
}

/// Where «Войти» returns to: a path of the shop only.
function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

function loginPage(root: HTMLElement) {
  const username = field({ id: "username", label: "Логин", autocomplete: "username", required: true });
  const password = field({ id: "password", label: "Пароль", type: "password", autocomplete: "current-password", required: true });
  const submit = h("button", { type: "submit", disabled: true }, "Войти") as HTMLButtonElement;
  const formError = h("div", { class: "form-error", role: "alert" });
  const sync = () => (submit.disabled = !username.input.value.trim() || !password.input.value);
  username.input.addEventListener("input", sync);
  password.input.addEventListener("input", sync);
  const form = h(
    "form",
    { class: "card form", novalidate: true },
    h("h1", {}, "Вход"),
    outcomeNotice(new URLSearchParams(location.search)),
    username.wrap,
    password.wrap,
    formError,
    submit,
    providerButtons(safeNext(new URLSearchParams(location.search).get("next"))),
    h("p", { class: "aside" }, "Нет учётной записи? ", link("/register", "Зарегистрироваться")),
  ) as HTMLFormElement;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    formError.textContent = "";
    try {
      await api.login(username.input.value.trim(), password.input.value);
      await refreshSession();
      navigate(safeNext(new URLSearchParams(location.search).get("next")));
    } catch (e) {
      formError.textContent = humanMessage(e);
      submit.disabled = false;
    }
  });
  root.replaceChildren(form);
  username.input.focus();
}

// "Личный кабинет": the client's data (editable), the wallet (balance, top-up, history) and the
// activated gift cards.
async function accountPage(root: HTMLElement) {
  if (!current) return navigate("/login?next=/account");
  root.replaceChildren(h("p", { class: "loading" }, "Загружаем…"));
  let me: Profile;
  try {
    me = await api.me();
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return navigate("/login?next=/account");
    root.replaceChildren(h("p", { class: "form-error" }, humanMessage(e)));
    return;
  }
  const wallet = walletBox(navigate);

  const firstName = field({ id: "firstName", label: "Имя", value: me.firstName, autocomplete: "given-name" });
  const lastName = field({ id: "lastName", label: "Фамилия", value: me.lastName, autocomplete: "family-name" });
  const email = field({ id: "email", label: "E-mail", type: "email", value: me.email, autocomplete: "email", required: true });
  const phone = field({ id: "phone", label: "Телефон", type: "tel", value: me.phone, autocomplete: "tel" });
  // Asked only when the e-mail changes: where a password reset would go is the account's key.
  const currentPassword = field({ id: "currentPassword", label: "Текущий пароль (нужен, чтобы сменить e-mail)", type: "password", autocomplete: "current-password" });
  const status = h("div", { class: "form-status", role: "status" });
  const save = h("button", { type: "submit" }, "Сохранить") as HTMLButtonElement;
  const form = h(
    "form",
    { class: "card form", novalidate: true },
    h("h2", {}, "Учётные данные"),
    h("p", {}, "Логин: ", h("b", { "data-testid": "account-username" }, me.username)),
    me.clientId ? h("p", { class: "hint" }, "Номер клиента: ", h("span", { "data-testid": "client-id" }, me.clientId)) : null,
    firstName.wrap,
    lastName.wrap,
    email.wrap,
    phone.wrap,
    currentPassword.wrap,
    status,
    save,
  ) as HTMLFormElement;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const errors: [ReturnType<typeof field>, string | undefined][] = [
      [firstName, validateName(firstName.input.value, false)],
      [lastName, validateName(lastName.input.value, false)],
      [email, validateEmail(email.input.value)],
      [phone, validatePhone(phone.input.value, false)],
    ];
    errors.forEach(([f, msg]) => (f.error.textContent = msg ?? ""));
    if (errors.some(([, msg]) => msg)) return;
    save.disabled = true;
    status.textContent = "";
    try {
      const emailChanged = email.input.value.trim().toLowerCase() !== me.email.toLowerCase();
      const saved = await api.updateMe({
        firstName: firstName.input.value.trim(),
        lastName: lastName.input.value.trim(),
        email: email.input.value.trim(),
        phone: phone.input.value.trim(),
        ...(emailChanged ? { currentPassword: currentPassword.input.value } : {}),
      });
      phone.input.value = saved.phone;
      me.email = saved.email;
      currentPassword.input.value = "";
      await refreshSession();
      status.textContent = "Сохранено";
    } catch (e) {
      status.textContent = humanMessage(e);
    } finally {
      save.disabled = false;
    }
  });
  const everywhere = h("button", { type: "button" }, "Выйти на всех устройствах") as HTMLButtonElement;
  const everywhereStatus = h("div", { class: "form-status", role: "status" });
  everywhere.addEventListener("click", async () => {
    everywhere.disabled = true;
    try {
      await api.logoutEverywhere();
      current = null;
      renderNav();
      navigate("/login");
    } catch (e) {
      everywhereStatus.textContent = humanMessage(e);
      everywhere.disabled = false;
    }
  });
  const sessions = h(
    "section",
    { class: "card" },
    h("h2", {}, "Сеансы"),
    h("p", { class: "hint" }, "Завершит вход везде, где вы вошли: на этом и на других устройствах."),
    everywhere,
    everywhereStatus,
  );
  root.replaceChildren(h("h1", {}, "Личный кабинет"), h("div", { class: "account-grid" }, h("div", {}, form, signInWaysBox(), sessions), h("div", {}, wallet, giftCardsBox(), notificationsBox())));
}

function notFoundPage(root: HTMLElement) {
  root.replaceChildren(h("h1", {}, "Страница не найдена"), h("p", {}, link("/", "На главную")));
}

// ------------------------------------------------------------------ routing

// One router: a route's pattern, whether it needs a logged-in client (the guard sends anyone
// else to «Войти», back here after), and the page. The first pattern that matches wins.
type Route = {
  path: RegExp;
  auth?: true;
  page: (root: HTMLElement, match: RegExpMatchArray, params: URLSearchParams) => unknown;
};

const routes: Route[] = [
  { path: /^\/$/, page: (root) => homePage(root) },
  { path: /^\/register$/, page: (root, _m, params) => registerPage(root, params) },
  { path: /^\/sso\/link$/, page: (root) => linkPage(root, refreshSession, navigate) },
  { path: /^\/register\/done$/, page: (root) => registerDonePage(root) },
  { path: /^\/login$/, page: (root) => loginPage(root) },
  { path: /^\/account$/, auth: true, page: (root) => accountPage(root) },
  { path: /^\/search$/, page: (root, _, params) => searchPage(root, params) },
  { path: /^\/catalog\/([a-z0-9-]+)$/, page: (root, m, params) => categoryPage(root, m[1], params) },
  {
    path: /^\/product\/([^/]+)$/,
    page: (root, m) => {
      const id = decodeURIComponent(m[1]);
      return productPage(root, id, addToCartButton(id, () => Boolean(current), navigate));
    },
  },
  { path: /^\/cart$/, auth: true, page: (root) => cartPage(root) },
  { path: /^\/checkout$/, auth: true, page: (root) => checkoutPage(root, navigate) },
  { path: /^\/orders$/, auth: true, page: (root) => ordersPage(root) },
  { path: /^\/order\/([0-9a-f-]{1,64})\/pay$/, auth: true, page: (root, m) => payOrderPage(root, m[1], navigate) },
  { path: /^\/payment\/([0-9a-f-]{1,64})$/, auth: true, page: (root, m) => paymentReturnPage(root, m[1], navigate) },
  {
    path: /^\/gift-cards\/activate$/,
    auth: true,
    page: (root, _, params) => {
      // Back to a payment page only: "новая подарочная карта" comes from there.
      const next = params.get("next") ?? "";
      const back = /^\/order\/[0-9a-f-]{1,64}\/pay$/.test(next) ? next : undefined;
      return activateGiftCardPage(root, back, navigate);
    },
  },
  { path: /^\/gift-cards\/buy$/, auth: true, page: (root) => buyGiftCardPage(root, navigate) },
  // A letter's «Отписаться»: no session needed, the link's token says whose.
  { path: /^\/unsubscribe$/, page: (root, _, params) => unsubscribePage(root, params.get("token") ?? "") },
];

function navigate(path: string) {
  if (path !== location.pathname + location.search) history.pushState({}, "", path);
  render();
}

function render() {
  const path = location.pathname;
  const route = routes.find((r) => r.path.test(path));
  if (route?.auth && !current) return navigate(`/login?next=${encodeURIComponent(path + location.search)}`);
  const root = mount(app);
  const match = route ? path.match(route.path) : null;
  void (route && match ? route.page(root, match, new URLSearchParams(location.search)) : notFoundPage(root));
  app.focus();
}

// The search bar in the header, on every page.
function renderSearch() {
  const input = h("input", {
    id: "search-input",
    type: "search",
    name: "q",
    placeholder: "Поиск товаров",
    "aria-label": "Поиск товаров",
    maxlength: "200",
    autocomplete: "off",
  }) as HTMLInputElement;
  input.value = new URLSearchParams(location.search).get("q") ?? "";
  const form = h("form", { class: "search", role: "search" }, input, h("button", { type: "submit" }, "Найти"));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    navigate(`/search?${new URLSearchParams({ q: input.value.trim() })}`);
  });
  document.getElementById("search-slot")?.replaceChildren(form);
}

document.addEventListener("click", (ev) => {
  const a = (ev.target as HTMLElement).closest("a[data-link]") as HTMLAnchorElement | null;
  if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
  ev.preventDefault();
  navigate(a.getAttribute("href") ?? "/");
});
window.addEventListener("popstate", render);

setNavigator(navigate);
renderSearch();
refreshSession().then(render);
