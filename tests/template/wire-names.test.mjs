// The web client names what the server sends by the same words: every status, method and
// failure code a `wire_enum!` in shared/src/contracts gives, read from the Rust source itself,
// is the web client's too (its TypeScript types, generated from docs/openapi.json, its labels,
// its Russian messages). A name added on one side and not on the other fails here, not in front
// of a client. And the generated types are the ones a fresh generation writes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";

const root = new URL("../../", import.meta.url);
const read = (path) => readFileSync(new URL(path, root), "utf8");

// name → the wire names of each `wire_enum!` in the shared contracts.
const wire = {};
for (const file of readdirSync(new URL("shared/src/contracts/", root))) {
  const source = read(`shared/src/contracts/${file}`);
  for (const block of source.split("crate::wire_enum! {").slice(1)) {
    const name = block.match(/pub enum (\w+) \{/)[1];
    const body = block.slice(block.indexOf("{", block.indexOf("pub enum")) + 1, block.indexOf("\n    }"));
    wire[name] = [...body.matchAll(/^\s*\w+ = "([^"]+)",?$/gm)].map((m) => m[1]);
  }
}

const api = read("web/src/api.ts");
const generated = read("web/src/api.gen.ts");
const payment = read("web/src/payment.ts");
const notifications = read("web/src/notifications.ts");

// The string literals of a generated schema that is a union of strings (`Name: "a" | "b";`).
function union(schema) {
  const line = generated.match(new RegExp(`^\\s+${schema}: ("[^;]+);$`, "m"));
  assert.ok(line, `web/src/api.gen.ts has no union ${schema}`);
  return [...line[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

// The keys of `const NAME … = { … };`.
function keys(source, constName) {
  const body = source.slice(source.indexOf(`const ${constName}`));
  const block = body.slice(body.indexOf("{") + 1, body.indexOf("\n};"));
  return [...block.matchAll(/^\s*"?([\w-]+)"?:/gm)].map((m) => m[1]);
}

const sorted = (names) => [...names].sort();

test("the shared contracts' enums are read (the parsing above works)", () => {
  for (const name of ["OrderStatus", "PaymentMethod", "PaymentFailure", "DeliveryMethod", "DeliveryStatus", "PickingStatus"]) {
    assert.ok(wire[name]?.length >= 2, `${name}: ${wire[name]}`);
  }
});

test("web/src/api.gen.ts is what openapi-typescript writes from docs/openapi.json (make openapi)", () => {
  const fresh = execFileSync(new URL("node_modules/.bin/openapi-typescript", root).pathname, ["docs/openapi.json"], {
    cwd: root.pathname,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  assert.ok(fresh === generated, "web/src/api.gen.ts differs from a fresh generation: run `make openapi` and commit it");
});

test("order statuses: the client's type and its labels are the server's", () => {
  assert.deepEqual(sorted(union("OrderStatus")), sorted(wire.OrderStatus));
  assert.deepEqual(sorted(keys(payment, "STATUS")), sorted(wire.OrderStatus));
});

test("payment and delivery methods: the client's types are the server's", () => {
  assert.deepEqual(sorted(union("PaymentMethod")), sorted(wire.PaymentMethod));
  assert.deepEqual(sorted(union("DeliveryMethod")), sorted(wire.DeliveryMethod));
  assert.deepEqual(sorted(union("PaymentFailure")), sorted(wire.PaymentFailure));
});

test("every payment failure the server gives has a Russian message in the client", () => {
  const messages = new Set(keys(api, "MESSAGES"));
  const unworded = wire.PaymentFailure.filter((code) => !messages.has(code));
  assert.deepEqual(unworded, []);
});

test("kinds of message and channels: the client's types and labels are the server's", () => {
  assert.deepEqual(sorted(union("NoticeKind")), sorted(wire.NoticeKind));
  assert.deepEqual(sorted(keys(notifications, "KIND_LABELS")), sorted(wire.NoticeKind));
  assert.deepEqual(sorted(union("Channel")), sorted(wire.Channel));
  assert.deepEqual(sorted(keys(notifications, "CHANNEL_LABELS")), sorted(wire.Channel));
});
