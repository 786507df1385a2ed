// Real headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core.
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

// axe-core (Deque's WCAG engine), evaluated in the page through DevTools: no script tag, so the
// shop's Content-Security-Policy stays as it is.
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
/// The narrowest phone the shop is laid out for (CSS pixels).
const PHONE = 390;

export const BASE = process.env.VITRINA_URL ?? "http://127.0.0.1:3000";

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    // The machine's network is closed: without these Chromium keeps dialling Google.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export function unique(prefix) {
  return prefix + Date.now().toString(36) + Math.random().toString(36).slice(2, 7);
}

// A page a test has brought to a state worth looking at: checked by axe-core against WCAG 2.1
// A/AA (a serious or critical violation fails the test), checked at a phone's width for a page
// that scrolls sideways, and photographed when SCREENSHOTS names a directory.
export async function seen(page, name) {
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/${name}.png`, fullPage: true });
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), WCAG_21_AA);
  const grave = result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  assert.deepEqual(grave, [], `axe-core on "${name}" (${page.url()})`);
  const size = page.viewportSize();
  await page.setViewportSize({ width: PHONE, height: size?.height ?? 800 });
  try {
    const wide = await page.evaluate(() => ({ content: document.documentElement.scrollWidth, screen: document.documentElement.clientWidth }));
    assert.ok(wide.content <= wide.screen, `"${name}" scrolls sideways at ${PHONE} px: ${wide.content} px of content`);
  } finally {
    if (size) await page.setViewportSize(size);
  }
}

// Reloads the page until `locator` shows: what the page reads on opening changes on the server
// meanwhile (the saga moves a paid order on), and the client looks again as a person would.
// Each look gives the page `look` ms to render before reloading; a check right after a reload
// would always find the page still loading.
export async function reloadUntil(page, locator, { tries = 30, look = 1_000 } = {}) {
  for (let i = 0; i < tries; i++) {
    try {
      await locator.waitFor({ timeout: look });
      return;
    } catch {
      await page.reload();
    }
  }
  await locator.waitFor();
}

const TARGET = process.env.CARGO_TARGET_DIR ?? new URL("../../target", import.meta.url).pathname;

// A product of the test's own (`units` by store, at `price` kopecks), imported as operators
// import the catalog (vitrina-catalog): tests never run a shared product out of stock, however
// often they run.
export function ownProduct({ price = 123_400, name = "Кружка для оплаты", units = { "msk-tverskaya": 50 }, prefix = "t-own-" } = {}) {
  const id = unique(prefix);
  const rows = [
    { type: "product", id, name, description: "Тестовый товар", category: "Дом и сад", brand: "Тест", price },
    ...Object.entries(units).map(([storeId, quantity]) => ({ type: "stock", productId: id, storeId, quantity })),
  ];
  const file = join(tmpdir(), `${id}.jsonl`);
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n"));
  execFileSync(`${TARGET}/debug/vitrina-catalog`, ["import", file], { encoding: "utf8" });
  return id;
}

// The operators' command that moves a delivery case (`move`) or a picking case (`pick`); in AWS
// with an operator's IAM identity.
export function cases(command, orderId, to) {
  return execFileSync(`${TARGET}/debug/vitrina-cases`, [command, "--order", orderId, "--to", to], {
    encoding: "utf8",
    env: { ...process.env, AWS_ENDPOINT_URL_LAMBDA: process.env.VITRINA_LAMBDA_URL },
  });
}
export const moveCase = (orderId, to) => cases("move", orderId, to);
