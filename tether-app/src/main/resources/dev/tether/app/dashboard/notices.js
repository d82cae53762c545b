// Messages to the operator: API errors (with the daemon's code and message, kept until dismissed)
// and short confirmations of what an action did (gone after a while).

import { byId, el } from "./dom.js";

const NOTICE_MS = 8000;

/** Shows an error; an error with the same key replaces the previous one instead of piling up. */
export function showError(error, { key, context } = {}) {
  const box = byId("errors");
  const k = key || context || error.code || "error";
  for (const old of box.querySelectorAll(".error")) {
    if (old.dataset.key === k) old.remove();
  }
  const lines = [];
  if (error.logTail && error.logTail.length) {
    lines.push(el("pre", { class: "error-log", text: error.logTail.join("\n") }));
  }
  if (error.holders && error.holders.length) {
    lines.push(el("ul", { class: "plist" }, ...error.holders.map((h) =>
      el("li", { text: `pid ${h.pid} (${h.command}) of ${h.user}` + (h.session ? `, session ${h.session}` : "") }))));
  }
  const item = el("div", { class: "error", dataset: { key: k, code: error.code || "error" } },
    el("div", { class: "error-text" },
      context ? el("strong", { text: context + ": " }) : null,
      el("span", { class: "error-message", text: error.message }),
      " ", el("code", { class: "error-code", text: error.code || "error" }),
      ...lines),
    el("button", { class: "btn btn-quiet", text: "Dismiss", attrs: { type: "button" },
      dataset: { action: "dismiss-error" }, on: { click: () => item.remove() } }));
  box.append(item);
  return item;
}

export function clearError(key) {
  for (const old of byId("errors").querySelectorAll(".error")) {
    if (old.dataset.key === key) old.remove();
  }
}

export function clearErrors() {
  byId("errors").replaceChildren();
}

export function notify(text) {
  const item = el("div", { class: "notice", text });
  byId("notices").append(item);
  setTimeout(() => item.remove(), NOTICE_MS);
}
