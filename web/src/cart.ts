// Scenarios S2–S4: "Добавить в корзину" on the product page, "Моя корзина" with its lines, the
// total, "Оформить заказ", and removing a line after a confirmation window.

import { api, Cart, CartLine, humanMessage } from "./api";
import { rub } from "./catalog";
import { confirmDialog } from "./dialog";
import { h } from "./dom";

let onCartChange: (count: number) => void = () => {};
let goTo: (path: string) => void = (path) => location.assign(path);
export function setNavigator(navigate: (path: string) => void) {
  goTo = navigate;
}
export function watchCart(cb: (count: number) => void) {
  onCartChange = cb;
}
export const cartChanged = (cart: Cart) => onCartChange(cart.itemCount);

/// The button of the product page; `loggedIn` false sends the client to log in and back.
export function addToCartButton(productId: string, loggedIn: () => boolean, go: (path: string) => void): HTMLElement {
  const status = h("span", { class: "form-status", role: "status", "data-testid": "add-status" });
  const button = h("button", { type: "button", class: "primary" }, "Добавить в корзину") as HTMLButtonElement;
  button.addEventListener("click", async () => {
    if (!loggedIn()) {
      go(`/login?next=${encodeURIComponent(location.pathname)}`);
      return;
    }
    button.disabled = true;
    status.textContent = "";
    status.classList.remove("error");
    try {
      const cart = await api.addToCart(productId, 1);
      cartChanged(cart);
      status.textContent = "Товар добавлен в корзину";
    } catch (e) {
      status.classList.add("error");
      status.textContent = humanMessage(e);
    } finally {
      button.disabled = false;
    }
  });
  return h("div", { class: "add-to-cart" }, button, status);
}

function confirmRemoval(line: CartLine): Promise<boolean> {
  return confirmDialog("Удалить товар из корзины?", line.name, "Удалить", "Отмена");
}

export async function cartPage(app: HTMLElement) {
  app.replaceChildren(h("h1", {}, "Моя корзина"), h("p", { class: "loading", role: "status" }, "Загружаем…"));
  let cart: Cart;
  try {
    cart = await api.cart();
  } catch (e) {
    app.replaceChildren(h("h1", {}, "Моя корзина"), h("p", { class: "form-error", role: "alert" }, humanMessage(e)));
    return;
  }
  renderCart(app, cart);
}

export function renderCart(app: HTMLElement, cart: Cart) {
  cartChanged(cart);
  if (!cart.lines.length) {
    app.replaceChildren(
      h("h1", {}, "Моя корзина"),
      h("div", { class: "empty" }, h("p", {}, "Корзина пуста"), h("a", { href: "/", "data-link": "true" }, "Перейти в каталог")),
    );
    return;
  }
  const message = h("div", { class: "form-error", role: "alert" });
  const rows = cart.lines.map((line) => {
    const qty = h("input", { type: "number", min: "1", max: "99", "aria-label": `Количество: ${line.name}` }) as HTMLInputElement;
    qty.value = String(line.quantity);
    qty.addEventListener("change", async () => {
      const n = Number(qty.value);
      if (!Number.isInteger(n) || n < 1 || n > 99) {
        message.textContent = "Количество — от 1 до 99";
        qty.value = String(line.quantity);
        return;
      }
      try {
        renderCart(app, await api.setQuantity(line.productId, n));
      } catch (e) {
        message.textContent = humanMessage(e);
      }
    });
    const remove = h("button", { type: "button", class: "link-button" }, "удалить товар из корзины");
    remove.addEventListener("click", async () => {
      if (!(await confirmRemoval(line))) return;
      try {
        renderCart(app, await api.removeFromCart(line.productId));
      } catch (e) {
        message.textContent = humanMessage(e);
      }
    });
    return h(
      "tr",
      { "data-testid": "cart-line" },
      h(
        "td",
        {},
        h("a", { href: `/product/${encodeURIComponent(line.productId)}`, "data-link": "true", class: "line-name" }, line.name),
        h("div", { class: "hint" }, line.description),
        line.priceWhenAdded ? h("div", { class: "notice" }, `Цена изменилась: было ${rub(line.priceWhenAdded)}`) : null,
        line.available ? null : h("div", { class: "notice" }, "Нет в наличии — не войдёт в заказ"),
      ),
      h("td", { "data-testid": "line-price" }, rub(line.unitPrice)),
      h("td", {}, qty),
      h("td", { "data-testid": "line-total" }, rub(line.lineTotal)),
      h("td", {}, remove),
    );
  });
  const checkout = h("button", { type: "button", class: "primary" }, "Оформить заказ");
  checkout.addEventListener("click", () => goTo("/checkout"));
  app.replaceChildren(
    h("h1", {}, "Моя корзина"),
    h(
      "table",
      { class: "cart" },
      h("thead", {}, h("tr", {}, h("th", {}, "Товар"), h("th", {}, "Цена"), h("th", {}, "Количество"), h("th", {}, "Стоимость"), h("th", {}, ""))),
      h("tbody", {}, ...rows),
    ),
    message,
    h(
      "div",
      { class: "cart-summary" },
      cart.discountTotal ? h("div", { class: "hint" }, `Скидка: ${rub(cart.discountTotal)}`) : null,
      h("div", { class: "cart-total" }, "Итого: ", h("span", { "data-testid": "cart-total" }, rub(cart.total))),
      checkout,
    ),
  );
}
