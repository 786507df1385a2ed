// Scenario S8 "Активация подарочной карты": the client follows "Активировать подарочную карту",
// enters the code and presses "активировать"; the page shows the card's balance and invites to
// the catalog. The personal account lists the client's cards.

import { api, humanMessage } from "./api";
import { h } from "./dom";

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
