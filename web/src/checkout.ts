// Scenario S5 "Оформление заказа": after "Оформить заказ" the client chooses courier delivery
// (address, courier company, the cost and its confirmation box; for the shop's own courier a
// two-hour window too) or a pickup point; only then
// does "Оплатить заказ" become active. Delivery settles the choice; pressing it places the
// order and goes on to its payment (payment.ts).

import { api, Cart, Courier, humanMessage, PickupPoint, Quote } from "./api";
import { rub } from "./catalog";
import { cartChanged } from "./cart";
import { h } from "./dom";

export async function checkoutPage(app: HTMLElement, navigate: (path: string) => void) {
  app.replaceChildren(h("h1", {}, "Оформление заказа"), h("p", { class: "loading", role: "status" }, "Загружаем…"));
  let cart: Cart;
  let options: { pickupPoints: PickupPoint[]; couriers: Courier[] };
  try {
    [cart, options] = await Promise.all([api.cart(), api.deliveryOptions()]);
  } catch (e) {
    app.replaceChildren(h("h1", {}, "Оформление заказа"), h("p", { class: "form-error", role: "alert" }, humanMessage(e)));
    return;
  }
  if (!cart.lines.length) {
    navigate("/cart");
    return;
  }
  cartChanged(cart);

  const pay = h("button", { type: "button", class: "primary", disabled: true }, "Оплатить заказ") as HTMLButtonElement;
  const message = h("div", { class: "form-error", role: "alert" });
  let ready: (() => Promise<Cart>) | null = null;
  const setReady = (settle: (() => Promise<Cart>) | null) => {
    ready = settle;
    pay.disabled = settle === null;
  };

  // Pickup: a list of points; choosing one is enough.
  const pickupList = h(
    "fieldset",
    { class: "choice-section", hidden: true },
    h("legend", {}, "Пункт выдачи"),
    ...options.pickupPoints.map((p) => {
      const radio = h("input", { type: "radio", name: "pickup-point", value: p.id, id: `pp-${p.id}` }) as HTMLInputElement;
      radio.addEventListener("change", () => setReady(() => api.setDelivery({ method: "pickup", pickupPointId: p.id })));
      return h(
        "div",
        { class: "choice" },
        radio,
        h("label", { for: `pp-${p.id}` }, `${p.name} — ${p.address}`),
        h("div", { class: "hint" }, `Часы работы: ${p.hours}. Бесплатно.`),
      );
    }),
  );

  // Courier: address and company, then the cost to confirm.
  const address = h("input", {
    id: "delivery-address",
    type: "text",
    autocomplete: "street-address",
    placeholder: "Москва, ул. Ленина, д. 5, кв. 12",
    maxlength: "300",
  }) as HTMLInputElement;
  const courier = h(
    "select",
    { id: "delivery-courier" },
    h("option", { value: "" }, "Выберите компанию"),
    ...options.couriers.map((c) => h("option", { value: c.id }, `${c.name} — ${c.description}`)),
  ) as HTMLSelectElement;
  const costBox = h("div", { class: "quote", role: "status" });
  const quoteError = h("div", { class: "field-error", role: "alert" });
  let asked = 0;
  const askPrice = async () => {
    setReady(null);
    costBox.replaceChildren();
    quoteError.textContent = "";
    if (!address.value.trim() || !courier.value) return;
    const mine = ++asked;
    let quote: Quote;
    try {
      quote = await api.quote(courier.value, address.value);
    } catch (e) {
      if (mine === asked) quoteError.textContent = humanMessage(e);
      return;
    }
    if (mine !== asked) return; // the client changed something meanwhile
    const confirm = h("input", { type: "checkbox", id: "confirm-cost" }) as HTMLInputElement;
    // The shop's own courier comes in a two-hour window the client picks; taken ones are shown
    // and cannot be chosen.
    const windows = quote.windows ?? [];
    const windowSelect = h(
      "select",
      { id: "delivery-window" },
      h("option", { value: "" }, "Выберите время"),
      ...windows.map((w) =>
        h("option", { value: w.id, disabled: w.free <= 0 }, w.free > 0 ? w.label : `${w.label} — занято`),
      ),
    ) as HTMLSelectElement;
    const settle = () => {
      const slotId = windowSelect.value;
      const complete = confirm.checked && (windows.length === 0 || slotId !== "");
      setReady(
        complete ? () => api.setDelivery({ method: "courier", quoteId: quote.quoteId, ...(slotId ? { slotId } : {}) }) : null,
      );
    };
    confirm.addEventListener("change", settle);
    windowSelect.addEventListener("change", settle);
    const days = windows.length ? "" : ` (${quote.daysMin}–${quote.daysMax} дн.)`;
    costBox.replaceChildren(
      h("div", {}, "Стоимость доставки: ", h("strong", { "data-testid": "delivery-cost" }, rub(quote.cost)), days),
      ...(windows.length
        ? [h("div", { class: "field" }, h("label", { for: "delivery-window" }, "Время доставки"), windowSelect)]
        : []),
      h("div", { class: "choice" }, confirm, h("label", { for: "confirm-cost" }, "подтвердить стоимость доставки")),
    );
  };
  address.addEventListener("change", askPrice);
  courier.addEventListener("change", askPrice);
  const courierForm = h(
    "fieldset",
    { class: "choice-section", hidden: true },
    h("legend", {}, "Доставка курьером"),
    h("div", { class: "field" }, h("label", { for: "delivery-address" }, "Адрес доставки"), address, h("div", { class: "hint" }, "Город, улица, дом, квартира")),
    h("div", { class: "field" }, h("label", { for: "delivery-courier" }, "Курьерская компания"), courier),
    quoteError,
    costBox,
  );

  const method = (value: string, label: string) => {
    const radio = h("input", { type: "radio", name: "delivery-method", value, id: `method-${value}` }) as HTMLInputElement;
    radio.addEventListener("change", () => {
      pickupList.hidden = value !== "pickup";
      courierForm.hidden = value !== "courier";
      for (const r of pickupList.querySelectorAll("input")) (r as HTMLInputElement).checked = false;
      if (value === "courier") void askPrice();
      else {
        asked++; // a price still on its way is for the other method
        costBox.replaceChildren();
        setReady(null);
      }
    });
    return h("div", { class: "choice" }, radio, h("label", { for: `method-${value}` }, label));
  };

  pay.addEventListener("click", async () => {
    if (!ready) return;
    pay.disabled = true;
    message.textContent = "";
    try {
      await ready();
      // "Оплатить заказ": the cart becomes the order to pay, then "Выбор способа оплаты".
      const order = await api.placeOrder();
      cartChanged(await api.cart().catch(() => ({ ...cart, lines: [], itemCount: 0 })));
      navigate(`/order/${order.orderId}/pay`);
    } catch (e) {
      message.textContent = humanMessage(e);
      pay.disabled = false;
    }
  });

  app.replaceChildren(
    h("h1", {}, "Оформление заказа"),
    h("p", {}, `Товаров: ${cart.itemCount} на ${rub(cart.total)}. `, h("a", { href: "/cart", "data-link": "true" }, "Изменить корзину")),
    h(
      "fieldset",
      { class: "choice-section" },
      h("legend", {}, "Способ доставки"),
      method("courier", "Доставка курьером"),
      method("pickup", "Забрать товар на пункте выдачи"),
    ),
    courierForm,
    pickupList,
    message,
    pay,
  );
}
