// What CloudFront does in front of the shop, checked from template.yaml itself (no AWS needed):
// the viewer-request function that serves client-side routes runs here as CloudFront would run
// it, and the distribution must not turn the API's 403 into the app's index.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const template = readFileSync(new URL("../../template.yaml", import.meta.url), "utf8");

// The block under `key: |` at its indentation, the first after the resource `resource` (the
// template is YAML; this is all we need of it).
function literalBlock(key, resource) {
  const lines = template.split("\n");
  const from = lines.findIndex((l) => l.trimEnd() === `  ${resource}:`);
  assert.ok(from >= 0, `${resource} in template.yaml`);
  const at = lines.findIndex((l, i) => i > from && l.trimEnd().endsWith(`${key}: |`));
  assert.ok(at >= 0, `${key} of ${resource} in template.yaml`);
  const body = [];
  const indent = (l) => l.length - l.trimStart().length;
  const first = indent(lines[at + 1]);
  for (const line of lines.slice(at + 1)) {
    if (line.trim() && indent(line) < first) break;
    body.push(line.slice(first));
  }
  return body.join("\n");
}

const handler = new Function(`${literalBlock("FunctionCode", "SpaRoutes")}\nreturn handler;`)();
const viewerRequest = (uri) => handler({ request: { uri, method: "GET", headers: {} } }).uri;

test("client-side routes get the app's index; files and the root are served as they are", () => {
  for (const route of ["/orders", "/account", "/order/0190a/pay", "/payment/01a2", "/gift-cards/buy", "/"]) {
    assert.equal(viewerRequest(route), "/index.html", route);
  }
  for (const file of ["/assets/index-3f2a.js", "/assets/style.css", "/gift-cards/birthday.svg", "/favicon.ico"]) {
    assert.equal(viewerRequest(file), file, file);
  }
});

test("no custom error response turns an error into the app's index (the API's 403 stays a 403)", () => {
  assert.ok(!/CustomErrorResponses:/.test(template), "CustomErrorResponses would answer 200 + index.html for /api/* errors");
  const distribution = template.slice(template.indexOf("WebDistribution:"));
  const web = distribution.slice(distribution.indexOf("DefaultCacheBehavior:"), distribution.indexOf("CacheBehaviors:"));
  assert.match(web, /EventType: viewer-request/, "the function runs on the web behaviour");
  const api = distribution.slice(distribution.indexOf("PathPattern: /api/*"));
  assert.doesNotMatch(api.slice(0, api.indexOf("SpaRoutes:")), /FunctionAssociations/, "and not on the API's");
});

test("the OpenAPI document comes from the web bucket: its behaviour is listed before the API's", () => {
  const distribution = template.slice(template.indexOf("WebDistribution:"));
  const doc = distribution.indexOf("PathPattern: /api/openapi.json");
  assert.ok(doc >= 0, "a behaviour for /api/openapi.json");
  assert.ok(doc < distribution.indexOf("PathPattern: /api/*"), "CloudFront takes the first pattern that matches");
  assert.match(distribution.slice(doc, doc + 200), /TargetOriginId: web/);
});

test("/api/docs and /api/docs/ get Swagger UI's page; its files are served as they are", () => {
  const docs = new Function(`${literalBlock("FunctionCode", "ApiDocsIndex")}\nreturn handler;`)();
  const uri = (u) => docs({ request: { uri: u, method: "GET", headers: {} } }).uri;
  assert.equal(uri("/api/docs"), "/api/docs/index.html");
  assert.equal(uri("/api/docs/"), "/api/docs/index.html");
  assert.equal(uri("/api/docs/swagger-ui-bundle.js"), "/api/docs/swagger-ui-bundle.js");
  const distribution = template.slice(template.indexOf("WebDistribution:"));
  assert.ok(distribution.indexOf("PathPattern: /api/docs*") < distribution.indexOf("PathPattern: /api/*"));
});

test("every behaviour sends the security headers, and the API is reachable only through CloudFront", () => {
  assert.equal((template.match(/ResponseHeadersPolicyId: !Ref SecurityHeaders/g) ?? []).length, 5);
  for (const header of ["StrictTransportSecurity:", "frame-ancestors 'none'", "ContentTypeOptions: { Override: true }", "FrameOption: DENY"]) {
    assert.ok(template.includes(header), header);
  }
  assert.match(template, /HeaderName: X-Origin-Verify/);
  assert.match(template, /ORIGIN_VERIFY: !Sub "\{\{resolve:secretsmanager:\$\{OriginVerify\}:SecretString\}\}"/);
  assert.match(template, /Assert: !Not \[!Equals \[!Ref Stage, local\]\]/, "Stage=local cannot be deployed");
});
