// Scenario S6 "Оплата заказа". After "Оплатить заказ" the client chooses how to pay ("Выбор
// способа оплаты"). By bank card: the bank's own page takes the card (and its 3-D Secure code)
// and sends the client back here, where "Оплатить" becomes active. Through SBP: a QR code of
// the bank's payment link, paid in the client's banking app; "Оплатить" becomes active when
// the bank has the money. From the wallet: "Оплатить" is active when the wallet holds enough. Pressing it takes the money; the result page shows
// the order "Оплачено", or what went wrong with "Вернуться к редактированию заказа" and
// "Попробовать оплатить еще раз".

import { api, ApiError, GiftCard, humanMessage, OrderSummary, Payment, PlacedOrder, SavedCard, Wallet } from "./api";
import { rub } from "./catalog";
import { cartChanged } from "./cart";
import { confirmDialog } from "./dialog";
import { h } from "./dom";
import { poll } from "./page";
import QRCode from "qrcode";

type Navigate = (path: string) => void;

const STATUS: Record<string, string> = {
  draft: "Корзина",
  awaiting_payment: "Ожидает оплаты",
  paid: "Оплачено",
  assembling: "Собирается",
  handed_to_delivery: "Передан в доставку",
  in_transit: "В пути",
  at_pickup_point: "В пункте выдачи",
  out_for_delivery: "У курьера",
  delivered: "Получен",
  cancelled: "Отменён",
  returned_to_cart: "Возвращён в корзину",
};

// Paid, whatever the order saga and delivery have done with it since.
function paidAlready(status: string): boolean {
  return ["paid", "assembling", "handed_to_delivery", "in_transit", "at_pickup_point", "out_for_delivery", "delivered"].includes(status);
}

// The client may cancel until the goods leave the warehouse («В пути»).
function cancellable(status: string): boolean {
  return status === "paid" || status === "assembling" || status === "handed_to_delivery";
}

// A paid order's way: оплачен → собирается → передан в доставку → в пути → в пункте выдачи / у
// курьера → получен, or отменён with the reason (then only the stages it reached); each reached
// shows when.
function timeline(o: OrderSummary): HTMLElement | null {
  // The cart (status "draft") has no way yet.
  if (o.status === "draft" || o.kind !== "goods" || !o.stages || !(paidAlready(o.status) || o.status === "cancelled")) return null;
  const arrival = o.delivery?.method === "courier" ? "out_for_delivery" : "at_pickup_point";
  const way = o.status === "cancelled"
    ? ["paid", "assembling", "handed_to_delivery", "cancelled"]
    : ["paid", "assembling", "handed_to_delivery", "in_transit", arrival, "delivered"];
  const when = (at: string) => new Date(at).toLocaleString("ru-RU", { day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit" });
  return h(
    "ol",
    { class: "timeline", "data-testid": "order-timeline" },
    ...way
      .filter((stage) => o.status !== "cancelled" || stage === "paid" || stage === "cancelled" || o.stages?.[stage])
      .map((stage) => {
        const at = o.stages?.[stage];
        return h(
          "li",
          { class: at ? "done" : "pending", "data-stage": stage },
          STATUS[stage] ?? stage,
          at ? h("time", { datetime: at }, ` ${when(at)}`) : null,
        );
      }),
  );
}

function loading(app: HTMLElement, title: string) {
  app.replaceChildren(h("h1", {}, title), h("p", { class: "loading", role: "status" }, "Загружаем…"));
}

function failed(app: HTMLElement, title: string, e: unknown) {
  app.replaceChildren(h("h1", {}, title), h("p", { class: "form-error", role: "alert" }, humanMessage(e)));
}

function summary(order: PlacedOrder): HTMLElement {
  const d = order.delivery;
  if (order.kind !== "goods") {
    return h(
      "dl",
      { class: "order-summary" },
      h("dt", {}, order.kind === "gift_card" ? "Подарочная карта" : "Пополнение"),
      h("dd", { "data-testid": "delivery-label" }, order.lines[0]?.name ?? ""),
      order.kind === "gift_card" ? h("dt", {}, "Получатель") : null,
      order.kind === "gift_card" ? h("dd", {}, `${order.giftCard?.recipientName ?? ""}, ${d.address}`) : null,
      h("dt", {}, "Итого к оплате"),
      h("dd", { "data-testid": "grand-total" }, rub(order.total)),
    );
  }
  return h(
    "dl",
    { class: "order-summary" },
    h("dt", {}, "Доставка"),
    h("dd", { "data-testid": "delivery-label" }, `${d.label}: ${d.address}`),
    h("dt", {}, "Товары"),
    h("dd", {}, `${order.itemCount} шт. на ${rub(order.goodsTotal)}`),
    h("dt", {}, "Стоимость доставки"),
    h("dd", {}, d.cost ? rub(d.cost) : "бесплатно"),
    h("dt", {}, "Итого к оплате"),
    h("dd", { "data-testid": "grand-total" }, rub(order.total)),
  );
}

function newKey(): string {
  return crypto.randomUUID();
}

type MethodId = "card" | "wallet" | "sbp" | "gift_card";

/** The payment page's state: the way chosen and how far its payment has come. */
interface PayState {
  method: MethodId | null;
  /** A card the bank keeps, chosen (`null`: a new card, paid on the bank's page). */
  savedCard: string | null;
  giftCard: string | null;
  /** The SBP payment whose QR code is shown, and whether the payer's bank has the money. */
  sbp: { paymentId: string; authorized: boolean } | null;
  /** «Оплатить» is taking the money. */
  busy: boolean;
  error: string;
  key: string;
}

/** One way to pay: when «Оплатить» may be pressed, and what it does. */
interface PayWay {
  ready(state: PayState): boolean;
  pay(state: PayState): Promise<Payment>;
}

// "Выбор способа оплаты" for an order awaiting payment.
export async function payOrderPage(app: HTMLElement, orderId: string, navigate: Navigate) {
  loading(app, "Оплата заказа");
  // The order, and what the client may pay with (each of those may be missing: the way is
  // then simply not offered), asked at once.
  let loaded: [PlacedOrder, Wallet | null, SavedCard[], GiftCard[]];
  try {
    loaded = await Promise.all([
      api.order(orderId),
      api.wallet().catch(() => null),
      api.paymentMethods().then((m) => m.cards, () => []),
      api.giftCards().then((g) => g.giftCards, () => []),
    ]);
  } catch (e) {
    failed(app, "Оплата заказа", e);
    return;
  }
  const [order, wallet, saved, giftCards] = loaded;
  if (paidAlready(order.status)) {
    resultPage(app, order, null, navigate);
    return;
  }
  if (order.status === "cancelled") {
    app.replaceChildren(
      h("h1", {}, "Оплата заказа"),
      h("p", { role: "status" }, `Заказ отменён: ${order.cancelReason ?? "причина не указана"}. Деньги возвращены.`),
      h("p", {}, h("a", { href: "/", "data-link": "true" }, "Перейти в каталог")),
    );
    return;
  }
  if (order.status !== "awaiting_payment") {
    app.replaceChildren(
      h("h1", {}, "Оплата заказа"),
      h("p", {}, "Этот заказ уже нельзя оплатить: он возвращён в корзину."),
      h("p", {}, h("a", { href: "/cart", "data-link": "true" }, "Перейти в корзину")),
    );
    return;
  }

  const enough = wallet !== null && wallet.balance >= order.total;
  const id = order.orderId;
  // What the client has chosen and how far the bank has come: the page's one state, drawn by
  // render(). One key per choice: pressing twice, or again after a lost answer, is the same
  // payment.
  const state: PayState = { method: null, savedCard: null, giftCard: null, sbp: null, busy: false, error: "", key: newKey() };
  // What «Оплатить» does for each way to pay, and when it may be pressed.
  const ways: Record<MethodId, PayWay> = {
    // A card the bank keeps is authorised at once (no bank page); a new card is paid on the
    // bank's page first («Ввести данные карты»), and «Оплатить» is pressed on the return page.
    card: {
      ready: (s) => s.savedCard !== null,
      pay: async (s) => {
        const p = await api.startPayment(s.key, id, "saved_card", false, s.savedCard ?? undefined);
        return p.status === "authorized" ? api.confirmPayment(p.paymentId) : p;
      },
    },
    // SBP: «Оплатить» once the payer's bank has the money (the QR code's payment, watched).
    sbp: {
      ready: (s) => s.sbp?.authorized === true,
      pay: (s) => api.confirmPayment(s.sbp?.paymentId ?? ""),
    },
    wallet: {
      ready: () => enough,
      pay: async (s) => api.confirmPayment((await api.startPayment(s.key, id, "wallet")).paymentId),
    },
    gift_card: {
      ready: (s) => s.giftCard !== null,
      pay: async (s) => api.confirmPayment((await api.startPayment(s.key, id, "gift_card", false, s.giftCard ?? undefined)).paymentId),
    },
  };

  const message = h("div", { class: "form-error", role: "alert" });
  const pay = h("button", { type: "button", class: "primary", disabled: true }, "Оплатить") as HTMLButtonElement;
  const toBank = h("button", { type: "button", class: "primary", hidden: true }, "Ввести данные карты") as HTMLButtonElement;
  const saveCard = h("input", { type: "checkbox", id: "save-card" }) as HTMLInputElement;
  const saveCardRow = h("div", { class: "choice" }, saveCard, h("label", { for: "save-card" }, "Запомнить карту для следующих покупок"));
  const walletNote = h(
    "p",
    { class: enough ? "hint" : "form-error", hidden: true, "data-testid": "wallet-note" },
    enough ? "Сумма заказа будет списана с кошелька." : "Недостаточно средств в кошельке для оплаты этого заказа.",
  );
  const showQr = h("button", { type: "button", class: "primary", hidden: true }, "Показать QR-код") as HTMLButtonElement;
  const qrBox = h("div", { class: "choice-section", hidden: true, "data-testid": "sbp-qr" });

  const update = (changes: Partial<PayState>) => {
    Object.assign(state, changes);
    render();
  };
  const cardRadio = (radioId: string, label: string, cardId: string | null) => {
    const radio = h("input", { type: "radio", name: "card", id: radioId, checked: cardId === null }) as HTMLInputElement;
    radio.addEventListener("change", () => update({ savedCard: cardId, key: newKey() }));
    return h("div", { class: "choice" }, radio, h("label", { for: radioId }, label));
  };
  const cardChoices = h(
    "div",
    { class: "choice-section", hidden: true },
    ...saved.map((c) => cardRadio(`card-${c.cardId}`, `${c.title}, до ${c.expiry}`, c.cardId)),
    cardRadio("card-new", "другая карта", null),
    saveCardRow,
    h("p", { class: "hint" }, "Данные карты вводятся на странице банка: магазин их не видит."),
  );
  // Gift cards: the activated ones with their balances, and "новая подарочная карта", which
  // runs the activation and comes back here with the new card chosen.
  const giftChoices = h(
    "div",
    { class: "choice-section", hidden: true },
    ...giftCards.map((c) => {
      const sufficient = c.balance >= order.total;
      const radio = h("input", { type: "radio", name: "gift-card", id: `gift-${c.cardId}`, disabled: !sufficient }) as HTMLInputElement;
      radio.addEventListener("change", () => update({ giftCard: c.cardId, key: newKey() }));
      return h(
        "div",
        { class: "choice" },
        radio,
        h("label", { for: `gift-${c.cardId}` }, `Подарочная карта …${c.last4} (на карте ${c.formatted})`),
        sufficient ? null : h("span", { class: "hint" }, " — недостаточно средств"),
      );
    }),
    h("p", {}, h("a", { href: `/gift-cards/activate?next=/order/${order.orderId}/pay`, "data-link": "true" }, "новая подарочная карта")),
  );

  // The one render: every control's state from `state`.
  function render() {
    const m = state.method;
    cardChoices.hidden = m !== "card";
    toBank.hidden = m !== "card" || state.savedCard !== null;
    saveCardRow.hidden = state.savedCard !== null;
    showQr.hidden = m !== "sbp";
    qrBox.hidden = m !== "sbp" || state.sbp === null;
    walletNote.hidden = m !== "wallet";
    giftChoices.hidden = m !== "gift_card";
    pay.disabled = state.busy || m === null || !ways[m].ready(state);
    message.textContent = state.error;
  }

  const method = (value: MethodId, label: string) => {
    const radio = h("input", { type: "radio", name: "payment-method", value, id: `pay-${value}` }) as HTMLInputElement;
    radio.addEventListener("change", () => {
      // A new choice starts afresh: a QR still being watched is for another choice.
      for (const r of cardChoices.querySelectorAll("input[name=card]")) (r as HTMLInputElement).checked = r.id === "card-new";
      for (const r of giftChoices.querySelectorAll("input")) (r as HTMLInputElement).checked = false;
      qrBox.replaceChildren();
      showQr.disabled = false;
      update({ method: value, savedCard: null, giftCard: null, sbp: null, error: "", key: newKey() });
    });
    return h("div", { class: "choice" }, radio, h("label", { for: `pay-${value}` }, label));
  };

  toBank.addEventListener("click", async () => {
    toBank.disabled = true;
    update({ error: "" });
    try {
      const p = await api.startPayment(state.key, id, "card", saveCard.checked);
      if (p.redirectUrl) {
        location.assign(p.redirectUrl);
        return;
      }
      navigate(`/payment/${p.paymentId}`);
    } catch (e) {
      update({ error: humanMessage(e) });
      toBank.disabled = false;
    }
  });

  // SBP: the QR code of the bank's link; the page watches the payment until the bank has the
  // money ("Оплатить" active) or the payer declined.
  showQr.addEventListener("click", async () => {
    showQr.disabled = true;
    update({ error: "" });
    try {
      const p = await api.startPayment(state.key, id, "sbp");
      if (!p.qrLink) {
        await showResult(app, p, navigate);
        return;
      }
      const watching = { paymentId: p.paymentId, authorized: false };
      const svg = await QRCode.toString(p.qrLink, { type: "svg", margin: 2, width: 240 });
      const picture = h("div", { class: "qr", role: "img", "aria-label": "QR-код для оплаты через СБП" });
      picture.innerHTML = svg; // the library's own SVG of our link: no user text in it
      const waiting = h("p", { role: "status", "data-testid": "sbp-status" }, "Отсканируйте QR-код в приложении банка и подтвердите оплату.");
      qrBox.replaceChildren(picture, h("p", {}, h("a", { href: p.qrLink, target: "_blank", rel: "noopener", "data-testid": "sbp-link" }, "Открыть в приложении банка")), waiting);
      update({ sbp: watching });
      // Watched until the bank settles it (its page expires on its own), the client picks
      // another way to pay (state.sbp is no longer this one), or leaves the page.
      const settled = await poll(
        app,
        async () => {
          if (state.sbp !== watching) return null;
          const now = await api.payment(p.paymentId);
          return withTheBank(now) ? undefined : now;
        },
        { every: 1000, times: 900, first: false },
      );
      if (!settled) return;
      if (settled.status === "authorized") {
        waiting.textContent = "Банк подтвердил оплату. Нажмите «Оплатить».";
        watching.authorized = true;
        render();
        return;
      }
      await showResult(app, settled, navigate);
    } catch (e) {
      update({ error: humanMessage(e) });
      showQr.disabled = false;
    }
  });

  // «Оплатить»: the chosen way's own payment, then the result page.
  pay.addEventListener("click", async () => {
    const way = state.method && ways[state.method];
    if (!way || !way.ready(state)) return;
    update({ busy: true, error: "" });
    try {
      await showResult(app, await way.pay(state), navigate);
    } catch (e) {
      update({ busy: false, error: humanMessage(e) });
    }
  });

  app.replaceChildren(
    h("h1", {}, "Оплата заказа"),
    summary(order),
    h(
      "fieldset",
      { class: "choice-section" },
      h("legend", {}, "Выбор способа оплаты"),
      method("card", "банковской картой"),
      cardChoices,
      method("sbp", "через систему быстрых платежей"),
      qrBox,
      // A top-up comes from outside the shop; a gift card buys no gift card.
      order.kind === "wallet_top_up" ? null : method("wallet", `из кошелька клиента (на счёте ${wallet ? wallet.formatted : "—"})`),
      order.kind === "wallet_top_up" ? null : walletNote,
      order.kind === "goods" ? method("gift_card", "подарочной картой") : null,
      order.kind === "goods" ? giftChoices : null,
    ),
    message,
    toBank,
    showQr,
    pay,
  );

  // Back from "новая подарочная карта": the new card is chosen.
  const back = new URLSearchParams(location.search).get("card");
  if (back) {
    const radio = document.getElementById("pay-gift_card") as HTMLInputElement | null;
    radio?.click();
    const card = document.getElementById(`gift-${back}`) as HTMLInputElement | null;
    if (card && !card.disabled) card.click();
  }
}

/** Still with the payer at the bank (or not yet at the bank). */
function withTheBank(p: Payment): boolean {
  return p.status === "created" || p.status === "awaiting_payer";
}

async function waitForBank(root: HTMLElement, id: string): Promise<Payment> {
  // The bank may still be telling us (its notification and this page race); a few seconds.
  const settled = await poll(root, async () => {
    const p = await api.payment(id);
    return withTheBank(p) ? undefined : p;
  }, { every: 500, times: 21 });
  return settled ?? api.payment(id);
}

// Where the bank sends the client back: "Оплатить" is active once the bank holds the money.
export async function paymentReturnPage(app: HTMLElement, paymentId: string, navigate: Navigate) {
  loading(app, "Оплата заказа");
  let p: Payment;
  let order: PlacedOrder;
  try {
    p = await waitForBank(app, paymentId);
    order = await api.order(p.orderId);
  } catch (e) {
    failed(app, "Оплата заказа", e);
    return;
  }
  if (p.status !== "authorized") {
    await showResult(app, p, navigate);
    return;
  }
  const message = h("div", { class: "form-error", role: "alert" });
  const pay = h("button", { type: "button", class: "primary" }, "Оплатить") as HTMLButtonElement;
  pay.addEventListener("click", async () => {
    pay.disabled = true;
    message.textContent = "";
    try {
      await showResult(app, await api.confirmPayment(p.paymentId), navigate);
    } catch (e) {
      message.textContent = humanMessage(e);
      pay.disabled = false;
    }
  });
  app.replaceChildren(
    h("h1", {}, "Оплата заказа"),
    summary(order),
    h("p", { role: "status", "data-testid": "bank-done" }, `Банк подтвердил карту ${p.card ?? ""}. Нажмите «Оплатить», чтобы завершить оплату.`),
    message,
    pay,
  );
}

async function showResult(app: HTMLElement, p: Payment, navigate: Navigate) {
  let order: PlacedOrder;
  try {
    order = await api.order(p.orderId);
  } catch (e) {
    failed(app, "Оплата заказа", e);
    return;
  }
  resultPage(app, order, p, navigate);
}

function resultPage(app: HTMLElement, order: PlacedOrder, p: Payment | null, navigate: Navigate) {
  const paid = paidAlready(order.status) || p?.status === "paid";
  if (paid && order.kind === "gift_card") {
    app.replaceChildren(
      h("h1", {}, "Подарочная карта оплачена"),
      h("p", { class: "notice", role: "status", "data-testid": "payment-result" }, "Оплачено"),
      h("p", { "data-testid": "gift-card-sent" }, `Письмо с кодом активации отправлено получателю: ${order.giftCard?.recipientName ?? ""}, ${order.delivery.address}.`),
      summary(order),
      h("p", {}, h("a", { href: "/", "data-link": "true" }, "Перейти в каталог")),
    );
    return;
  }
  if (paid && order.kind === "wallet_top_up") {
    topUpDone(app, order);
    return;
  }
  if (paid) {
    app.replaceChildren(
      h("h1", {}, "Заказ оплачен"),
      h("p", { class: "notice", role: "status", "data-testid": "payment-result" }, "Оплачено"),
      h(
        "table",
        { class: "order-lines" },
        h("thead", {}, h("tr", {}, h("th", {}, "Товар"), h("th", {}, "Количество"), h("th", {}, "Сумма"))),
        h(
          "tbody",
          {},
          ...order.lines.map((l) => h("tr", {}, h("td", {}, l.name), h("td", {}, String(l.quantity)), h("td", {}, rub(l.lineTotal)))),
        ),
      ),
      summary(order),
      h("p", {}, "Письмо с результатом оплаты отправлено на вашу почту."),
      h("p", {}, h("a", { href: "/", "data-link": "true" }, "Перейти в каталог"), " · ", h("a", { href: "/orders", "data-link": "true" }, "Мои заказы")),
    );
    return;
  }
  const reason = p?.failure ?? order.lastPaymentFailure ?? "payment_declined";
  const back = h("button", { type: "button" }, "Вернуться к редактированию заказа") as HTMLButtonElement;
  const again = h("button", { type: "button", class: "primary" }, "Попробовать оплатить еще раз") as HTMLButtonElement;
  const message = h("div", { class: "form-error", role: "alert" });
  back.addEventListener("click", async () => {
    // A gift card or a top-up is edited where it was filled in.
    if (order.kind === "gift_card") return navigate("/gift-cards/buy");
    if (order.kind === "wallet_top_up") return navigate("/account");
    back.disabled = true;
    try {
      cartChanged(await api.backToCart(order.orderId));
      navigate("/cart");
    } catch (e) {
      message.textContent = humanMessage(e);
      back.disabled = false;
    }
  });
  again.addEventListener("click", () => navigate(`/order/${order.orderId}/pay`));
  app.replaceChildren(
    h("h1", {}, "Оплата не прошла"),
    h("p", { class: "form-error", role: "alert", "data-testid": "payment-failure" }, humanMessage(new ApiError(409, reason, reason))),
    summary(order),
    message,
    h("div", { class: "actions" }, back, again),
  );
}

// The wallet after a top-up: billing credits it moments after the payment succeeds, so the
// page shows the balance as soon as it has moved.
async function topUpDone(app: HTMLElement, order: PlacedOrder) {
  const balance = h("p", { role: "status", "data-testid": "wallet-balance" }, "Зачисляем…");
  app.replaceChildren(
    h("h1", {}, "Кошелёк пополнен"),
    h("p", { class: "notice", "data-testid": "payment-result" }, "Оплачено"),
    summary(order),
    balance,
    h("p", {}, h("a", { href: "/", "data-link": "true" }, "Перейти в каталог"), " · ", h("a", { href: "/account", "data-link": "true" }, "Личный кабинет")),
  );
  const credited = await poll(app, async () => {
    const history = await api.walletHistory().catch(() => null);
    const entry = history?.entries.some((e) => e.description === "Пополнение кошелька" && e.amount === order.total && e.at >= order.placedAt);
    return entry ? true : undefined;
  });
  balance.textContent = credited
    ? `Баланс кошелька: ${(await api.wallet()).formatted}`
    : "Деньги зачисляются; баланс обновится в личном кабинете.";
}

// "Отменить заказ": a paid order, before its goods leave. orchestra undoes what was done and
// gives the money back the way it came; the list shows «Отменяется…» until it has.
function cancelButton(orderId: string, total: number): HTMLElement {
  const status = h("span", { role: "status" });
  const button = h("button", { type: "button", class: "link" }, "Отменить заказ") as HTMLButtonElement;
  button.addEventListener("click", async () => {
    const sure = await confirmDialog(
      "Отменить заказ?",
      `№ ${orderId.slice(-8)} на ${rub(total)}. Деньги вернутся тем же способом, которым вы платили.`,
      "Отменить заказ",
      "Не отменять",
    );
    if (!sure) return;
    button.disabled = true;
    try {
      await api.cancelOrder(orderId);
      button.remove();
      status.textContent = "Отменяется…";
    } catch (e) {
      button.disabled = false;
      status.textContent = humanMessage(e);
    }
  });
  return h("span", {}, button, status);
}

// "Мои заказы".
export async function ordersPage(app: HTMLElement) {
  loading(app, "Мои заказы");
  try {
    const { orders } = await api.orders();
    if (!orders.length) {
      app.replaceChildren(h("h1", {}, "Мои заказы"), h("p", {}, "Заказов пока нет."), h("p", {}, h("a", { href: "/", "data-link": "true" }, "Перейти в каталог")));
      return;
    }
    app.replaceChildren(
      h("h1", {}, "Мои заказы"),
      h(
        "table",
        { class: "orders" },
        h("thead", {}, h("tr", {}, h("th", {}, "Заказ"), h("th", {}, "Товаров"), h("th", {}, "Сумма"), h("th", {}, "Статус"))),
        h(
          "tbody",
          {},
          ...orders.map((o) =>
            h(
              "tr",
              { "data-testid": `order-${o.orderId}`, id: `order-${o.orderId}` },
              h("td", {}, o.status === "draft" ? h("a", { href: "/cart", "data-link": "true" }, "Корзина") : `№ ${o.orderId.slice(-8)}`),
              h("td", {}, String(o.itemCount)),
              h("td", {}, o.status === "draft" ? "—" : rub(o.total)),
              h(
                "td",
                { "data-testid": "order-status" },
                STATUS[o.status] ?? o.status,
                o.status === "cancelled" && o.cancelReason ? h("span", { "data-testid": "cancel-reason" }, `: ${o.cancelReason}`) : null,
                o.status === "awaiting_payment" ? h("span", {}, " · ", h("a", { href: `/order/${o.orderId}/pay`, "data-link": "true" }, "Оплатить")) : null,
                o.status !== "draft" && cancellable(o.status) && o.kind === "goods" ? h("span", {}, " · ", cancelButton(o.orderId, o.total)) : null,
                timeline(o),
              ),
            ),
          ),
        ),
      ),
    );
    // A notification's click opens /orders#order-<id>: that order, shown and marked.
    const shown = location.hash.startsWith("#order-") ? document.getElementById(location.hash.slice(1)) : null;
    if (shown) {
      shown.classList.add("shown");
      shown.scrollIntoView({ block: "center" });
    }
  } catch (e) {
    failed(app, "Мои заказы", e);
  }
}
