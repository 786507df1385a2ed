// A tiny element builder: text goes in as text nodes, never as HTML.

type Attrs = Record<string, string | boolean | EventListener | undefined>;
type Child = Node | string | null | undefined | false;

export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.replace(/^on/, ""), v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return el;
}

export function field(opts: {
  id: string;
  label: string;
  type?: string;
  autocomplete?: string;
  value?: string;
  required?: boolean;
  hint?: string;
}): { wrap: HTMLElement; input: HTMLInputElement; error: HTMLElement } {
  const input = h("input", {
    id: opts.id,
    name: opts.id,
    type: opts.type ?? "text",
    autocomplete: opts.autocomplete,
    "aria-describedby": `${opts.id}-error`,
    required: opts.required,
    "aria-required": opts.required ? "true" : undefined,
  }) as HTMLInputElement;
  input.value = opts.value ?? "";
  const error = h("div", { class: "field-error", id: `${opts.id}-error`, role: "alert" });
  const wrap = h(
    "div",
    { class: "field" },
    // The asterisk stays outside the label, so the field's accessible name is just its label.
    h("div", { class: "label-row" }, h("label", { for: opts.id }, opts.label), opts.required ? h("span", { class: "req", "aria-hidden": "true" }, "*") : null),
    input,
    opts.hint ? h("div", { class: "hint" }, opts.hint) : null,
    error,
  );
  return { wrap, input, error };
}
