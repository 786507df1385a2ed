// The page kit: every page renders into a root of its own that the router mounts. Leaving a
// page detaches its root and aborts its signal, so whatever it renders after an `await` that
// outlived it lands nowhere, and its polls stop — the page the client went to is never
// overwritten by the one it left.

import { h } from "./dom";

const signals = new WeakMap<HTMLElement, AbortSignal>();
let active: AbortController | undefined;

/** A fresh root for the page about to render, in place of the one before (which is left). */
export function mount(app: HTMLElement): HTMLElement {
  active?.abort();
  active = new AbortController();
  const root = h("div", { class: "page" });
  signals.set(root, active.signal);
  app.replaceChildren(root);
  return root;
}

/** Whether the page that owns `root` has been left (a root the kit did not mount never is). */
export function left(root: HTMLElement): boolean {
  return signals.get(root)?.aborted ?? false;
}

/** Waits `ms`, or less if the page that owns `root` is left meanwhile. */
export function pause(root: HTMLElement, ms: number): Promise<void> {
  return new Promise((done) => {
    const signal = signals.get(root);
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", () => { clearTimeout(timer); done(); }, { once: true });
  });
}

/**
 * Asks `check` up to `times` times, `every` ms apart, until it answers something other than
 * `undefined` (that answer), or gives up (`undefined`) — at once if the page that owns `root`
 * is left, whose poll nobody is watching any more. A `check` that throws ends the poll with its
 * error.
 */
export async function poll<T>(
  root: HTMLElement,
  check: () => Promise<T | undefined>,
  { every = 1000, times = 30, first = true }: { every?: number; times?: number; first?: boolean } = {},
): Promise<T | undefined> {
  for (let i = 0; i < times; i++) {
    if (i > 0 || !first) await pause(root, every);
    if (left(root)) return undefined;
    const answer = await check();
    if (left(root)) return undefined;
    if (answer !== undefined) return answer;
  }
  return undefined;
}
