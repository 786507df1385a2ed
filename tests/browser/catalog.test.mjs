// Scenarios S2/S3 up to the product page, as a person does them: the catalog landing, the
// search bar with a typo and another word form, the cards with the spec's five elements, the
// product page, and the empty state.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, launch, seen } from "./helpers.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function newPage() {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  return context.newPage();
}

async function searchFor(page, q) {
  await page.getByRole("searchbox", { name: "Поиск товаров", exact: true }).fill(q);
  await page.getByRole("button", { name: "Найти", exact: true }).click();
  await page.getByRole("heading", { name: `Результаты поиска «${q}»`, exact: true }).waitFor();
}

async function cardNames(page) {
  await page.getByTestId("product-card").first().waitFor();
  return page.getByTestId("card-name").allInnerTexts();
}

test("search with a typo and another word form finds sneakers; the card has the spec's five elements", async () => {
  const page = await newPage();
  await page.goto(BASE + "/");
  for (const q of ["кросовки", "кроссовок"]) {
    await searchFor(page, q);
    const names = await cardNames(page);
    assert.ok(names.length > 0, q);
    for (const n of names) assert.match(n.toLowerCase(), /кроссовки/, `${q}: ${n}`);
  }
  const first = page.getByTestId("product-card").first();
  assert.ok((await first.getByTestId("card-name").innerText()).length > 0, "name");
  assert.match(await first.getByTestId("price").innerText(), /₽/, "price");
  assert.ok(await first.locator("img").evaluate((img) => img.complete && img.naturalWidth > 0), "image");
  assert.ok((await first.getByTestId("availability").locator("li").count()) >= 5, "availability in each store");
  await seen(page, "search-results");

  // A discount shows on the cards that have one: the seed catalog discounts some shoes.
  await page.goto(BASE + "/catalog/obuv");
  await page.getByTestId("product-card").first().waitFor();
  const discounts = page.getByTestId("discount");
  await discounts.first().waitFor();
  assert.ok((await discounts.count()) > 0, "discounted cards on the first page");
  for (const d of await discounts.allInnerTexts()) assert.match(d, /^−\d+%$/);

  // The product page: description, price, availability per store with addresses.
  await searchFor(page, "кроссовки");
  const name = await page.getByTestId("card-name").first().innerText();
  await page.getByTestId("card-name").first().click();
  await page.getByRole("heading", { name }).waitFor();
  assert.ok((await page.getByTestId("description").innerText()).length > 10);
  const rows = page.getByTestId("store-availability").locator("tbody tr");
  assert.equal(await rows.count(), 6);
  assert.match(await rows.first().innerText(), /ул\.|пр\.|бульвар/);
  await seen(page, "product");
  await page.context().close();
});

test("the catalog landing leads to a category; an unknown word says nothing was found", async () => {
  const page = await newPage();
  await page.goto(BASE + "/");
  await page.getByRole("heading", { name: "Каталог", exact: true }).waitFor();
  await seen(page, "home");
  await page.getByRole("link", { name: /Обувь/ }).click();
  await page.getByRole("heading", { name: "Обувь", exact: true }).waitFor();
  assert.match(await page.getByTestId("result-count").innerText(), /Найдено товаров: \d+/);
  assert.equal(await page.getByTestId("product-card").count(), 24);
  await page.getByRole("link", { name: "Следующая →", exact: true }).click();
  await page.getByText(/Страница 2 из/).waitFor();
  await seen(page, "category");

  await searchFor(page, "ыщклмнпр");
  await page.getByText("Ничего не найдено", { exact: true }).waitFor();
  await seen(page, "search-nothing");
  // An address the shop has no page for says so, with the way home.
  await page.goto(BASE + "/no-such-page");
  await page.getByRole("heading", { name: "Страница не найдена", exact: true }).waitFor();
  await seen(page, "not-found");
  await page.context().close();
});
