// Scenario S8 "Активация подарочной карты": the client follows "Активировать подарочную карту",
// enters the code and presses "активировать"; the page shows the card's balance and invites to
// the catalog. The personal account lists the client's cards.

import { api, ApiError, humanMessage } from "./api";
import { field, h } from "./dom";
import { validateEmail } from "./validation";

// `next`: where to go back with the new card (the payment page, "новая подарочная карта").
export function activateGiftCardPage(app: HTMLElement, next?: string, navigate?: (path: string) => void) {
  const code = h("input", {
    id: "gift-code",
    type: "text",
    autocomplete: "off",
    autocapitalize: "characters",
    spellcheck: "false",
    placeholder: "XXXX-XXXX-XXXX-XXXX",
    maxlength: "64",
    "aria-describedby": "gift-code-error",
  }) as HTMLInputElement;
  const error = h("div", { class: "field-error", id: "gift-code-error", role: "alert" });
  const button = h("button", { type: "submit", class: "primary" }, "активировать") as HTMLButtonElement;
  const form = h(
    "form",
    { class: "card form", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "gift-code" }, "Код активации"), code, h("div", { class: "hint" }, "16 символов с карты, дефисы можно не вводить"), error),
    button,
  ) as HTMLFormElement;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    error.textContent = "";
    if (!code.value.trim()) {
      error.textContent = "Введите код активации";
      return;
    }
    button.disabled = true;
    try {
      const card = await api.activateGiftCard(code.value);
      if (next && navigate) {
        navigate(`${next}?card=${encodeURIComponent(card.cardId)}`);
        return;
      }
      app.replaceChildren(
        h("h1", {}, "Подарочная карта активирована"),
        h("p", {}, `Карта …${card.last4}. Баланс: `, h("b", { "data-testid": "gift-card-balance" }, card.formatted)),
        h("p", {}, h("a", { href: "/", "data-link": "true" }, "Перейти к каталогу товаров")),
      );
    } catch (e) {
      error.textContent = humanMessage(e);
      button.disabled = false;
    }
  });
  app.replaceChildren(h("h1", {}, "Активация подарочной карты"), form);
}

/// The personal account's list of activated cards, with the link to activate another.
export function giftCardsBox(): HTMLElement {
  const box = h("section", { class: "card", "aria-live": "polite" }, h("h2", {}, "Подарочные карты"), h("p", {}, "Загружаем…"));
  const activateLink = h("a", { href: "/gift-cards/activate", "data-link": "true" }, "Активировать подарочную карту");
  api
    .giftCards()
    .then(({ giftCards }) =>
      box.replaceChildren(
        h("h2", {}, "Подарочные карты"),
        giftCards.length
          ? h("ul", { class: "gift-cards" }, ...giftCards.map((c) => h("li", { "data-testid": "gift-card" }, `Карта …${c.last4}: ${c.formatted}`)))
          : h("p", { class: "hint" }, "Активированных карт нет"),
        h("p", {}, activateLink),
      ),
    )
    .catch((e) => box.replaceChildren(h("h2", {}, "Подарочные карты"), h("p", { class: "hint" }, humanMessage(e)), h("p", {}, activateLink)));
  return box;
}

// Scenario S7 "Оформление подарочной карты": whom it is for, their e-mail, the amount, the
// postcard's design; «Оплатить» is inactive until the form is valid, then it creates the
// gift-card order and runs "Оплата заказа" for it. The code goes only to the recipient's mail.
const DESIGNS: [string, string][] = [
  ["birthday", "С днём рождения"],
  ["new-year", "С Новым годом"],
  ["thanks", "Спасибо"],
  ["flowers", "Цветы"],
];
export const GIFT_CARD_RUBLES = { min: 500, max: 50_000 };

export function buyGiftCardPage(app: HTMLElement, navigate: (path: string) => void) {
  const name = field({ id: "recipientName", label: "Имя одаряемого", required: true });
  const email = field({ id: "recipientEmail", label: "E-mail", type: "email", required: true, hint: "Сюда придёт письмо с кодом активации" });
  const amount = field({
    id: "amount",
    label: "Сумма на карте",
    type: "number",
    required: true,
    hint: `От ${GIFT_CARD_RUBLES.min} до ${GIFT_CARD_RUBLES.max.toLocaleString("ru-RU")} ₽, целым числом рублей`,
  });
  amount.input.min = String(GIFT_CARD_RUBLES.min);
  amount.input.max = String(GIFT_CARD_RUBLES.max);
  amount.input.step = "1";
  let design: string | null = null;
  const designError = h("div", { class: "field-error", role: "alert" });
  const designs = h(
    "fieldset",
    { class: "designs" },
    h("legend", {}, "Дизайн открытки"),
    ...DESIGNS.map(([id, title]) => {
      const radio = h("input", { type: "radio", name: "design", id: `design-${id}`, value: id }) as HTMLInputElement;
      radio.addEventListener("change", () => {
        design = id;
        check();
      });
      return h(
        "label",
        { class: "design", for: `design-${id}` },
        radio,
        h("img", { src: `/gift-cards/${id}.svg`, alt: "", width: "160", height: "100" }),
        h("span", {}, title),
      );
    }),
    designError,
  );
  const pay = h("button", { type: "submit", class: "primary", disabled: true }, "Оплатить") as HTMLButtonElement;
  const status = h("div", { class: "form-error", role: "alert" });

  const problems = (): Record<string, string | undefined> => {
    const rubles = Number(amount.input.value);
    return {
      recipientName: name.input.value.trim() ? (name.input.value.trim().length > 100 ? "Не длиннее 100 символов" : undefined) : "Введите имя",
      recipientEmail: validateEmail(email.input.value),
      amount:
        amount.input.value.trim() && Number.isInteger(rubles) && rubles >= GIFT_CARD_RUBLES.min && rubles <= GIFT_CARD_RUBLES.max
          ? undefined
          : `Сумма от ${GIFT_CARD_RUBLES.min} до ${GIFT_CARD_RUBLES.max.toLocaleString("ru-RU")} ₽ целым числом`,
      design: design ? undefined : "Выберите дизайн открытки",
    };
  };
  // One order per version of the form: pressing twice sends the same key; a change, a new one.
  let key = crypto.randomUUID();
  // The button follows the form; a field's message shows once the client has left the field.
  const check = () => {
    key = crypto.randomUUID();
    pay.disabled = Object.values(problems()).some(Boolean);
  };
  const fields = { recipientName: name, recipientEmail: email, amount };
  for (const [key, f] of Object.entries(fields)) {
    f.input.addEventListener("input", check);
    f.input.addEventListener("blur", () => {
      f.error.textContent = problems()[key] ?? "";
    });
  }
  const form = h("form", { class: "card form", novalidate: true }, name.wrap, email.wrap, amount.wrap, designs, status, pay);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const p = problems();
    for (const [key, f] of Object.entries(fields)) f.error.textContent = p[key] ?? "";
    designError.textContent = p.design ?? "";
    if (Object.values(p).some(Boolean) || !design) return;
    pay.disabled = true;
    status.textContent = "";
    try {
      const order = await api.buyGiftCard(key, {
        recipientName: name.input.value.trim(),
        recipientEmail: email.input.value.trim(),
        amount: Number(amount.input.value),
        design,
      });
      navigate(`/order/${order.orderId}/pay`);
    } catch (e) {
      const fieldName = e instanceof ApiError ? (e.details?.field as string | undefined) : undefined;
      const target = fieldName && fieldName in fields ? fields[fieldName as keyof typeof fields] : null;
      if (target) target.error.textContent = humanMessage(e);
      else if (fieldName === "design") designError.textContent = humanMessage(e);
      else status.textContent = humanMessage(e);
      pay.disabled = false;
    }
  });
  app.replaceChildren(h("h1", {}, "Купить подарочную карту"), form);
}
