// Scenario S9 "Пополнение кошелька", in the personal account: the wallet's balance, "сумма
// пополнения" with its bounds, «Пополнить баланс кошелька» (which runs "Оплата заказа" by card or
// SBP), and the wallet's history: date, operation, amount, balance after.

import { api, ApiError, humanMessage, WalletEntry } from "./api";
import { rub } from "./catalog";
import { field, h } from "./dom";

export const TOP_UP_RUBLES = { min: 100, max: 100_000 };

function historyTable(entries: WalletEntry[]): HTMLElement {
  if (!entries.length) return h("p", { class: "hint" }, "Операций пока не было");
  return h(
    "table",
    { class: "wallet-history", "data-testid": "wallet-history" },
    h("thead", {}, h("tr", {}, h("th", {}, "Дата"), h("th", {}, "Операция"), h("th", {}, "Сумма"), h("th", {}, "Баланс после"))),
    h(
      "tbody",
      {},
      ...entries.map((e) =>
        h(
          "tr",
          {},
          h("td", {}, new Date(e.at).toLocaleString("ru-RU")),
          h("td", {}, e.description),
          h("td", {}, `${e.amount > 0 ? "+" : "−"}${rub(Math.abs(e.amount))}`),
          h("td", {}, rub(e.balanceAfter)),
        ),
      ),
    ),
  );
}

export function walletBox(navigate: (path: string) => void): HTMLElement {
  const box = h("section", { class: "card wallet", "aria-live": "polite" }, h("h2", {}, "Кошелёк"), h("p", {}, "Загружаем баланс…"));
  const amount = field({
    id: "topUpAmount",
    label: "Сумма пополнения",
    type: "number",
    hint: `От ${TOP_UP_RUBLES.min} до ${TOP_UP_RUBLES.max.toLocaleString("ru-RU")} ₽, целым числом рублей`,
  });
  amount.input.min = String(TOP_UP_RUBLES.min);
  amount.input.max = String(TOP_UP_RUBLES.max);
  amount.input.step = "1";
  const topUp = h("button", { type: "submit", class: "primary", disabled: true }, "Пополнить баланс кошелька") as HTMLButtonElement;
  const valid = () => {
    const n = Number(amount.input.value);
    return amount.input.value.trim() !== "" && Number.isInteger(n) && n >= TOP_UP_RUBLES.min && n <= TOP_UP_RUBLES.max;
  };
  // One order per amount typed: pressing twice sends the same key.
  let key = crypto.randomUUID();
  amount.input.addEventListener("input", () => {
    key = crypto.randomUUID();
    topUp.disabled = !valid();
    amount.error.textContent = "";
  });
  amount.input.addEventListener("blur", () => {
    amount.error.textContent = amount.input.value.trim() && !valid() ? `Сумма от ${TOP_UP_RUBLES.min} до ${TOP_UP_RUBLES.max.toLocaleString("ru-RU")} ₽ целым числом` : "";
  });
  const form = h("form", { class: "top-up", novalidate: true }, amount.wrap, topUp);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!valid()) return;
    topUp.disabled = true;
    try {
      const order = await api.topUp(key, Number(amount.input.value));
      navigate(`/order/${order.orderId}/pay`);
    } catch (e) {
      amount.error.textContent = e instanceof ApiError ? humanMessage(e) : String(e);
      topUp.disabled = false;
    }
  });
  Promise.all([api.wallet(), api.walletHistory().catch(() => ({ entries: [] as WalletEntry[] }))])
    .then(([w, history]) =>
      box.replaceChildren(
        h("h2", {}, "Кошелёк"),
        h("p", { class: "balance", "data-testid": "wallet-balance" }, w.formatted),
        form,
        h("h3", {}, "История кошелька"),
        historyTable(history.entries),
      ),
    )
    .catch((e) => box.replaceChildren(h("h2", {}, "Кошелёк"), h("p", { class: "hint" }, humanMessage(e))));
  return box;
}
