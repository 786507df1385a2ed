// The web client names what the server sends by the same words: every status, method and
// failure code a `wire_enum!` in shared/src/contracts gives, read from the Rust source itself,
// is the web client's too (its TypeScript unions, its labels, its Russian messages). A name
// added on one side and not on the other fails here, not in front of a client.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";

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
const payment = read("web/src/payment.ts");

// The string literals of a TypeScript union written after `field:` in `interface Name {…}`.
function union(interfaceName, field) {
  const body = api.slice(api.indexOf(`export interface ${interfaceName} {`));
  const at = body.indexOf(`  ${field}:`);
  const end = body.indexOf(";", at);
  return [...body.slice(at, end).matchAll(/"([^"]+)"/g)].map((m) => m[1]);
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

test("order statuses: the client's type and its labels are the server's", () => {
  assert.deepEqual(sorted(union("PlacedOrder", "status")), sorted(wire.OrderStatus));
  assert.deepEqual(sorted(keys(payment, "STATUS")), sorted(wire.OrderStatus));
});

test("payment and delivery methods: the client's types are the server's", () => {
  assert.deepEqual(sorted(union("Payment", "method")), sorted(wire.PaymentMethod));
  // `none` marks a delivery case cancelled before it opened: no order a client sees has it.
  assert.deepEqual(sorted(union("DeliveryChoice", "method")), sorted(wire.DeliveryMethod.filter((m) => m !== "none")));
});

test("every payment failure the server gives has a Russian message in the client", () => {
  const messages = new Set(keys(api, "MESSAGES"));
  const unworded = wire.PaymentFailure.filter((code) => !messages.has(code));
  assert.deepEqual(unworded, []);
});
