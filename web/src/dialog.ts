// A confirmation window ("Удалить товар из корзины?", "Отменить заказ?"): a modal <dialog>
// with the question, a line of detail and two buttons; Esc answers no.

import { h } from "./dom";

export function confirmDialog(title: string, detail: string, yes: string, no: string): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h(
      "dialog",
      { class: "confirm", "aria-labelledby": "confirm-title" },
      h("h2", { id: "confirm-title" }, title),
      h("p", {}, detail),
    ) as HTMLDialogElement;
    const done = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    dialog.append(
      h(
        "div",
        { class: "dialog-buttons" },
        h("button", { type: "button", class: "primary", onclick: () => done(true) }, yes),
        h("button", { type: "button", onclick: () => done(false) }, no),
      ),
    );
    dialog.addEventListener("cancel", () => done(false));
    document.body.append(dialog);
    dialog.showModal();
  });
}
