// «Личный кабинет» → «Уведомления»: for each kind of message, the channels the client wants
// (GET/PUT /api/notifications/preferences). What the shop always sends by e-mail is marked so
// and cannot be turned off; a channel the client does not have (no phone, no device) is not
// offered. Below, web push on this device.

import { api, ApiError, humanMessage, NotificationPreferences } from "./api";
import { h } from "./dom";
import { pushControls } from "./push";

type Kind = NotificationPreferences["kinds"][number]["kind"];
type Channel = NotificationPreferences["kinds"][number]["channels"][number]["channel"];

export const KIND_LABELS: Record<Kind, string> = {
  orders: "Заказы и оплата",
  delivery: "Доставка и получение",
  gift_cards: "Подарочные карты",
};

const CHANNEL_LABELS: Record<Channel, string> = {
  email: "E-mail",
  sms: "SMS",
  push: "В браузере",
};

const MISSING: Record<Channel, string> = {
  email: "нет e-mail",
  sms: "нет телефона",
  push: "не включены",
};

export function notificationsBox(): HTMLElement {
  const contacts = h("p", { "data-testid": "notification-contacts" }, "Загружаем…");
  const grid = h("div", {});
  const saved = h("p", { class: "hint", role: "status" });
  const error = h("p", { class: "error", role: "alert" });

  function render(view: NotificationPreferences) {
    contacts.textContent =
      `Письма приходят на ${view.email ?? "адрес, указанный при регистрации"}` + (view.phone ? `, SMS — на ${view.phone}.` : ". Чтобы получать SMS, укажите телефон в данных клиента.");
    const channels: Channel[] = ["email", "sms", "push"];
    grid.replaceChildren(
      h(
        "table",
        { class: "channels", "data-testid": "channels" },
        h("caption", {}, "Как сообщать"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Сообщения"), ...channels.map((c) => h("th", { scope: "col" }, CHANNEL_LABELS[c])))),
        h(
          "tbody",
          {},
          ...view.kinds.map((k) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, KIND_LABELS[k.kind]),
              ...channels.map((c) => {
                const cell = k.channels.find((x) => x.channel === c);
                if (!cell) return h("td", {}, "—");
                if (cell.required) return h("td", {}, h("input", { type: "checkbox", checked: true, disabled: true, "aria-label": `${KIND_LABELS[k.kind]}: ${CHANNEL_LABELS[c]}` }), " всегда");
                if (!cell.available) return h("td", { class: "hint" }, MISSING[c]);
                const box = h("input", { type: "checkbox", "aria-label": `${KIND_LABELS[k.kind]}: ${CHANNEL_LABELS[c]}` }) as HTMLInputElement;
                box.checked = cell.on;
                box.addEventListener("change", async () => {
                  box.disabled = true;
                  saved.textContent = "";
                  error.textContent = "";
                  try {
                    render(await api.chooseChannels([{ kind: k.kind, channel: c, on: box.checked }]));
                    saved.textContent = "Сохранено";
                  } catch (e) {
                    box.checked = !box.checked;
                    box.disabled = false;
                    error.textContent = humanMessage(e);
                  }
                });
                return h("td", {}, box);
              }),
            ),
          ),
        ),
      ),
      h("p", { class: "hint" }, "Результат оплаты и коды подарочных карт всегда приходят на e-mail."),
    );
  }

  async function load() {
    try {
      render(await api.notificationPreferences());
    } catch (e) {
      contacts.textContent = e instanceof ApiError ? humanMessage(e) : "Нет связи с магазином, проверьте подключение";
    }
  }
  void load();
  return h("section", { class: "card notifications", "aria-live": "polite" }, h("h2", {}, "Уведомления"), contacts, grid, saved, error, pushControls(() => void load()));
}

// The page a letter's «Отписаться» opens: one press turns that kind of letter off (the same
// signed token the mail client's one-click unsubscribe posts).
export function unsubscribePage(root: HTMLElement, token: string) {
  const kind = token.split(".")[1] as Kind;
  const what = KIND_LABELS[kind] ?? "Письма";
  const result = h("p", { role: "status" });
  const button = h("button", { type: "button", class: "primary" }, "Отписаться") as HTMLButtonElement;
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await api.unsubscribe(token);
      button.hidden = true;
      result.replaceChildren("Готово: такие письма больше не придут. Вернуть их можно в ", h("a", { href: "/account", "data-link": "true" }, "«Личный кабинет» → «Уведомления»"), ".");
    } catch (e) {
      button.disabled = false;
      result.textContent = humanMessage(e);
    }
  });
  root.replaceChildren(
    h("h1", {}, "Отписка от писем"),
    h("p", {}, `«${what}»: такие письма перестанут приходить на e-mail. SMS и уведомления в браузере останутся, как вы выбрали.`),
    button,
    result,
  );
}
