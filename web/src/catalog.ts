// Scenarios S2/S3 up to the product page: the catalog landing, search results as cards (name,
// price, image, discount, availability in each store) and the product page.

import { api, ApiError, Card, humanMessage, Level, ProductPage } from "./api";
import { h } from "./dom";

const money = new Intl.NumberFormat("ru-RU", { style: "currency", currency: "RUB" });
export const rub = (kopecks: number) => money.format(kopecks / 100);

const LEVEL_TEXT: Record<Level, string> = { in_stock: "в наличии", few: "мало", none: "нет в наличии" };

function link(href: string, ...children: (Node | string)[]): HTMLElement {
  return h("a", { href, "data-link": "true" }, ...children);
}

function priceBlock(price: number, oldPrice?: number | null, percent?: number | null): HTMLElement {
  return h(
    "div",
    { class: "price-block" },
    h("span", { class: "price", "data-testid": "price" }, rub(price)),
    oldPrice ? h("s", { class: "old-price" }, rub(oldPrice)) : null,
    percent ? h("span", { class: "discount", "data-testid": "discount" }, `−${percent}%`) : null,
  );
}

export function card(c: Card): HTMLElement {
  const inStock = c.availability.filter((a) => a.level !== "none").length;
  return h(
    "li",
    { class: "product-card", "data-testid": "product-card" },
    link(
      `/product/${encodeURIComponent(c.id)}`,
      h("img", { src: c.image, alt: c.name, loading: "lazy", width: "200", height: "200" }),
      h("span", { class: "card-name", "data-testid": "card-name" }, c.name),
    ),
    priceBlock(c.price, c.oldPrice, c.discountPercent),
    h(
      "div",
      { class: "stock-summary" },
      inStock ? `В наличии в ${inStock} из ${c.availability.length} магазинов` : "Нет в наличии",
    ),
    h(
      "ul",
      { class: "stock-list", "aria-label": "Наличие в магазинах", "data-testid": "availability" },
      ...c.availability.map((a) =>
        h("li", { class: `level-${a.level}` }, h("span", { class: "dot", "aria-hidden": "true" }), `${a.storeName}: ${LEVEL_TEXT[a.level]}`),
      ),
    ),
  );
}

function pager(total: number, page: number, perPage: number, hrefFor: (p: number) => string): HTMLElement | null {
  const pages = Math.ceil(total / perPage);
  if (pages <= 1) return null;
  return h(
    "nav",
    { class: "pager", "aria-label": "Страницы" },
    page > 1 ? link(hrefFor(page - 1), "← Предыдущая") : null,
    h("span", {}, `Страница ${page} из ${pages}`),
    page < pages ? link(hrefFor(page + 1), "Следующая →") : null,
  );
}

async function results(app: HTMLElement, title: string, q: string, page: number, category: string | undefined, hrefFor: (p: number) => string) {
  app.replaceChildren(h("h1", {}, title), h("p", { class: "loading", role: "status" }, "Загружаем…"));
  try {
    const res = await api.search(q, page, category);
    if (res.total === 0) {
      app.replaceChildren(
        h("h1", {}, title),
        h("div", { class: "empty", role: "status" }, h("p", {}, "Ничего не найдено"), h("p", { class: "hint" }, "Проверьте написание или поищите другими словами."), link("/", "Перейти в каталог")),
      );
      return;
    }
    app.replaceChildren(
      h("h1", {}, title),
      h("p", { class: "hint", "data-testid": "result-count" }, `Найдено товаров: ${res.total}`),
      h("ul", { class: "product-grid" }, ...res.items.map(card)),
      pager(res.total, res.page, res.perPage, hrefFor) ?? "",
    );
  } catch (e) {
    app.replaceChildren(h("h1", {}, title), h("p", { class: "form-error", role: "alert" }, humanMessage(e)));
  }
}

export function searchPage(app: HTMLElement, params: URLSearchParams) {
  const q = (params.get("q") ?? "").trim();
  const page = Math.max(1, Number(params.get("page")) || 1);
  const input = document.getElementById("search-input") as HTMLInputElement | null;
  if (input && input.value !== q) input.value = q;
  const title = q ? `Результаты поиска «${q}»` : "Все товары";
  return results(app, title, q, page, undefined, (p) => `/search?${new URLSearchParams({ q, page: String(p) })}`);
}

export async function categoryPage(app: HTMLElement, slug: string, params: URLSearchParams) {
  const page = Math.max(1, Number(params.get("page")) || 1);
  let title = "Каталог";
  try {
    const { categories } = await api.categories();
    title = categories.find((c) => c.slug === slug)?.name ?? title;
  } catch {
    // The results below say what is wrong.
  }
  return results(app, title, "", page, slug, (p) => `/catalog/${slug}?page=${p}`);
}

export async function categoriesBlock(): Promise<HTMLElement> {
  try {
    const { categories } = await api.categories();
    return h(
      "section",
      { class: "categories", "aria-labelledby": "categories-title" },
      h("h2", { id: "categories-title" }, "Каталог"),
      h("ul", { class: "category-grid" }, ...categories.map((c) => h("li", {}, link(`/catalog/${c.slug}`, h("span", { class: "category-name" }, c.name), h("span", { class: "hint" }, `${c.count} товаров`))))),
    );
  } catch (e) {
    return h("p", { class: "form-error" }, humanMessage(e));
  }
}

export async function productPage(app: HTMLElement, id: string, addToCart: HTMLElement) {
  app.replaceChildren(h("p", { class: "loading", role: "status" }, "Загружаем…"));
  let p: ProductPage;
  try {
    p = await api.product(id);
  } catch (e) {
    const notFound = e instanceof ApiError && e.status === 404;
    app.replaceChildren(h("h1", {}, notFound ? "Товар не найден" : "Не удалось загрузить товар"), h("p", {}, humanMessage(e)), link("/", "Перейти в каталог"));
    return;
  }
  const attrs = Object.entries(p.attributes);
  app.replaceChildren(
    h("nav", { class: "crumbs", "aria-label": "Навигация" }, link("/", "Каталог"), " / ", link(`/catalog/${p.categorySlug}`, p.category)),
    h(
      "article",
      { class: "product-page", "data-testid": "product-page" },
      h("img", { src: p.image, alt: p.name, width: "400", height: "400" }),
      h(
        "div",
        { class: "product-info" },
        h("h1", {}, p.name),
        h("p", { class: "hint" }, p.brand),
        priceBlock(p.price, p.oldPrice, p.discountPercent),
        addToCart,
        h("p", { class: "description", "data-testid": "description" }, p.description),
        attrs.length ? h("dl", { class: "profile" }, ...attrs.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])) : null,
      ),
    ),
    h(
      "section",
      { class: "card" },
      h("h2", {}, "Наличие в магазинах"),
      h(
        "table",
        { class: "stores", "data-testid": "store-availability" },
        h("thead", {}, h("tr", {}, h("th", {}, "Магазин"), h("th", {}, "Адрес"), h("th", {}, "Часы работы"), h("th", {}, "Наличие"))),
        h(
          "tbody",
          {},
          ...p.availability.map((a) =>
            h(
              "tr",
              {},
              h("td", {}, a.storeName, a.pickup ? "" : h("span", { class: "hint" }, " (склад, без самовывоза)")),
              h("td", {}, a.address),
              h("td", {}, a.hours),
              h("td", { class: `level-${a.level}` }, h("span", { class: "dot", "aria-hidden": "true" }), LEVEL_TEXT[a.level]),
            ),
          ),
        ),
      ),
    ),
  );
}
