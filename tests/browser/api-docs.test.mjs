// The API's document as the spec's readers read APIs: Swagger UI at /api/docs, over
// /api/openapi.json, with the spec's own /api/login among its operations. Swagger UI is npm
// swagger-ui-dist's page, not the shop's page kit: axe-core is not asked of it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { BASE, launch } from "./helpers.mjs";

// The Content-Security-Policy CloudFront adds to every answer (template.yaml's SecurityHeaders):
// the local runtime sends none, so the test adds it to the page's own answers.
const CSP = readFileSync(new URL("../../template.yaml", import.meta.url), "utf8")
  .match(/ContentSecurityPolicy: "([^"]+)"/)[1];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("Swagger UI at /api/docs shows the document's operations, the spec's /api/login among them", async () => {
  const page = await (await browser.newContext()).newPage();
  await page.route(/\/api\/(docs|openapi\.json)/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), "content-security-policy": CSP } });
  });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(BASE + "/api/docs");
  const login = page.locator(".opblock-summary-path", { hasText: /^\/api\/login$/ });
  await login.waitFor();
  await page.getByText("Вход в систему", { exact: true }).waitFor();
  assert.ok(await page.locator(".opblock").count() >= 8, "every auth operation");
  // Opened, the operation shows the spec's answers.
  await login.click();
  await page.locator(".responses-table").first().getByText("401", { exact: true }).waitFor();
  assert.deepEqual(errors, [], "no script error and no CSP refusal (the shop's CSP allows Swagger UI's files)");
  await page.context().close();
});
