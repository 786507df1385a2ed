// Single sign-on in the web client: «Войти через …» on the login and registration pages (a plain
// navigation to the shop's start, which sends the browser to the provider), what the callback's
// `?sso=<reason>` means, «Связать с существующей учётной записью», and the providers of
// «Личный кабинет» (link, unlink).
import { api, ApiError, humanMessage, SSO_OUTCOMES, SsoPending } from "./api";
import { h, field } from "./dom";

/// The start of a provider's sign-in, coming back to `returnTo` (a path of the shop).
export function startUrl(provider: string, returnTo: string, link = false): string {
  const params = new URLSearchParams({ returnTo });
  if (link) params.set("link", "true");
  return `/api/sso/${encodeURIComponent(provider)}/start?${params}`;
}

/// «Войти через …» for every provider the shop has (nothing when it has none).
export function providerButtons(returnTo: string): HTMLElement {
  const box = h("div", { class: "sso-buttons", "data-testid": "sso-buttons" });
  api
    .ssoProviders()
    .then((providers) => {
      if (!providers.length) return;
      box.append(
        h("p", { class: "aside" }, "или"),
        ...providers.map((p) => h("a", { class: "button sso", href: startUrl(p.id, returnTo) }, `Войти через ${p.name}`)),
      );
    })
    .catch(() => {
      // Without the list the page still offers the password.
    });
  return box;
}

/// What the callback's `?sso=<reason>` says, for an alert on the page it sent the browser to.
export function outcomeNotice(params: URLSearchParams): HTMLElement | null {
  const code = params.get("sso");
  const text = code ? SSO_OUTCOMES[code] : undefined;
  if (!text) return null;
  return h("div", { class: code === "linked" ? "form-status" : "form-error", role: "alert", "data-testid": "sso-outcome" }, text);
}

/// The provider's identity waiting to be registered or linked; null when there is none.
export async function pendingIdentity(): Promise<SsoPending | null> {
  try {
    return await api.ssoPending();
  } catch {
    return null;
  }
}

/// `/sso/link`: the account with the provider's e-mail takes the identity with its password.
export async function linkPage(root: HTMLElement, signedIn: () => Promise<unknown>, navigate: (to: string) => void) {
  const pending = await pendingIdentity();
  if (!pending) {
    root.replaceChildren(h("section", { class: "card" }, h("h1", {}, "Вход через провайдера"), h("p", { class: "form-error" }, humanMessage(new ApiError(400, "sso_expired", ""))), h("a", { href: "/login", "data-link": "true" }, "Ко входу")));
    return;
  }
  const password = field({ id: "password", label: "Пароль этой учётной записи", type: "password", autocomplete: "current-password", required: true });
  const submit = h("button", { type: "submit" }, "Связать с существующей учётной записью") as HTMLButtonElement;
  const formError = h("div", { class: "form-error", role: "alert" });
  const form = h(
    "form",
    { class: "card form", novalidate: true },
    h("h1", {}, "Связать вход"),
    h("p", {}, `У нас уже есть учётная запись с адресом ${pending.email}. Чтобы входить в неё через ${pending.providerName}, один раз введите её пароль.`),
    password.wrap,
    formError,
    submit,
    h("p", { class: "aside" }, h("a", { href: "/login", "data-link": "true" }, "Отмена")),
  ) as HTMLFormElement;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!password.input.value) {
      password.error.textContent = "Введите пароль";
      return;
    }
    submit.disabled = true;
    formError.textContent = "";
    try {
      const done = await api.ssoLink(password.input.value);
      await signedIn();
      navigate(done.returnTo);
    } catch (e) {
      formError.textContent = e instanceof ApiError && e.code === "wrong_password" ? "Неверный пароль" : humanMessage(e);
      submit.disabled = false;
    }
  });
  root.replaceChildren(form);
  password.input.focus();
}

/// «Личный кабинет» → «Вход через провайдеров»: each provider, linked or not; link or unlink.
export function signInWaysBox(): HTMLElement {
  const box = h("section", { class: "card", "data-testid": "sign-in-ways" }, h("h2", {}, "Вход через провайдеров"));
  const status = h("div", { class: "form-status", role: "status" });
  const outcome = outcomeNotice(new URLSearchParams(location.search));
  async function render() {
    let ways;
    try {
      ways = await api.signInWays();
    } catch (e) {
      box.replaceChildren(box.firstChild as Node, h("p", { class: "form-error" }, humanMessage(e)));
      return;
    }
    if (!ways.providers.length) {
      box.remove();
      return;
    }
    const rows = ways.providers.map((p) => {
      const linked = p.linkedAt != null;
      const action = linked
        ? (h("button", { type: "button", class: "link-button", "data-testid": `unlink-${p.provider}` }, "Отвязать") as HTMLButtonElement)
        : h("a", { class: "button", href: startUrl(p.provider, "/account", true), "data-testid": `link-${p.provider}` }, "Привязать");
      if (action instanceof HTMLButtonElement) {
        action.addEventListener("click", async () => {
          action.disabled = true;
          status.textContent = "";
          try {
            await api.ssoUnlink(p.provider);
            status.textContent = `Вход через ${p.name} отвязан`;
            await render();
          } catch (e) {
            status.textContent = humanMessage(e);
            action.disabled = false;
          }
        });
      }
      return h("li", { "data-testid": `provider-${p.provider}` }, h("b", {}, p.name), " — ", linked ? `привязан (${p.email || "без e-mail"})` : "не привязан", " ", action);
    });
    box.replaceChildren(
      box.firstChild as Node,
      ...(outcome ? [outcome] : []),
      h("ul", { class: "plain" }, ...rows),
      ways.hasPassword ? h("p", { class: "hint" }, "Войти можно и по паролю.") : h("p", { class: "hint" }, "Пароля у учётной записи нет: последний вход через провайдера отвязать нельзя."),
      status,
    );
  }
  void render();
  return box;
}
