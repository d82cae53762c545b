// The operator's side panel: daemon health and containment level, orphan cleanup (a dry-run
// preview first, then an explicit confirmation) and emergency recovery (behind a typed word).

import { api } from "./api.js";
import { byId, el, facts, setData, setText, show } from "./dom.js";
import * as fmt from "./format.js";
import { notify, showError } from "./notices.js";

export const EMERGENCY_WORD = "EMERGENCY";

export function renderHealth(h, now) {
  show(byId("topbar-health"), true);
  const status = byId("health-status");
  setText(status, h.status === "ok" ? "healthy" : h.status);
  setData(status, "status", h.status);
  const level = byId("health-containment");
  setText(level, h.containment);
  level.title = h.containment_summary || "";
  const counts = Object.entries(h.sessions || {}).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s.toLowerCase()}`);
  const guardian = h.guardian.alive ? `alive (pid ${h.guardian.pid})` : "NOT RUNNING: a SIGKILL of the daemon would leave its sessions";
  facts(byId("health-facts"), [
    ["Status", el("span", { class: "pill", dataset: { status: h.status }, text: h.status }), "status"],
    ["Containment", el("span", {}, el("strong", { text: h.containment }),
      h.containment_summary ? el("span", { class: "sub", text: h.containment_summary }) : null), "containment"],
    ["Guardian", guardian, "guardian"],
    ["Registry", el("span", {}, el("span", { text: !h.registry.reachable ? "UNREACHABLE" : h.registry.consistent ? "consistent" : "INCONSISTENT" }),
      el("span", { class: "sub", text: h.registry.detail })), "registry"],
    ["Sessions", counts.length ? counts.join(", ") : "none", "sessions"],
    ["Up", `${fmt.duration(now - new Date(h.started_at).getTime())} (since ${fmt.time(h.started_at)})`, "up"],
    ["Daemon", `pid ${h.pid}, version ${h.version}`, "daemon"],
    ["Instance", el("code", { text: h.instance }), "instance"],
    ["Home", el("code", { text: h.home }), "home"],
  ]);
}

function processList(list, processes) {
  list.replaceChildren(...processes.map((p) => el("li", { dataset: { pid: p.pid } },
    el("span", { class: "pid mono", text: p.pid }), " ", el("span", { class: "cmd mono", text: p.command || "?" }),
    p.session ? el("span", { class: "sub", text: "session " + p.session }) : null)));
}

/** Orphan cleanup: nothing is stopped until the operator has seen the dry run and confirmed it. */
export function wireOrphans(afterChange) {
  const panel = byId("orphans-panel");
  const previewButton = panel.querySelector("[data-action=orphans-preview]");
  const confirmButton = panel.querySelector("[data-action=orphans-confirm]");
  const preview = byId("orphans-preview");
  const result = byId("orphans-result");

  previewButton.addEventListener("click", async () => {
    previewButton.disabled = true;
    show(result, false);
    try {
      const r = await api.cleanupOrphans(true);
      setText(byId("orphans-summary"), `Dry run at ${new Date().toLocaleTimeString()}: `
        + `${fmt.plural(r.killed_count, "process", "processes")} would be stopped; `
        + `${fmt.plural(r.active_sessions, "live session")} of this daemon would not be touched.`
        + (r.killed_count === 0 ? " Confirming still closes registry leftovers of dead supervisors." : ""));
      processList(byId("orphans-list"), r.killed);
      setData(preview, "count", r.killed_count);
      setText(confirmButton, r.killed_count > 0 ? `Stop ${fmt.plural(r.killed_count, "process", "processes")}` : "Clean up now");
      show(preview, true);
    } catch (e) {
      showError(e, { context: "Orphan cleanup preview" });
    } finally {
      previewButton.disabled = false;
    }
  });

  panel.querySelector("[data-action=orphans-cancel]").addEventListener("click", () => show(preview, false));

  confirmButton.addEventListener("click", async () => {
    confirmButton.disabled = true;
    try {
      const r = await api.cleanupOrphans(false);
      show(preview, false);
      result.replaceChildren(el("p", { text: `Stopped ${fmt.plural(r.killed_count, "orphaned process", "orphaned processes")}.` }),
        el("ul", { class: "plist" }));
      processList(result.querySelector("ul"), r.killed);
      show(result, true);
      notify(`Orphan cleanup: ${fmt.plural(r.killed_count, "process", "processes")} stopped`);
      afterChange();
    } catch (e) {
      showError(e, { context: "Orphan cleanup" });
    } finally {
      confirmButton.disabled = false;
    }
  });
}

/** Emergency recovery: the button enables only while the input holds exactly the word. */
export function wireEmergency(afterChange) {
  const input = byId("emergency-word");
  const button = byId("emergency-panel").querySelector("[data-action=emergency]");
  const result = byId("emergency-result");
  setText(byId("emergency-expected"), EMERGENCY_WORD);
  const armed = () => input.value.trim() === EMERGENCY_WORD;
  const sync = () => { button.disabled = !armed(); };
  input.addEventListener("input", sync);
  sync();

  button.addEventListener("click", async () => {
    if (!armed()) return;
    button.disabled = true;
    input.disabled = true;
    setText(button, "Stopping everything…");
    try {
      const r = await api.emergencyRecovery();
      result.replaceChildren(el("p", { text: `Stopped ${fmt.plural(r.stopped_sessions, "session")} and `
        + `${fmt.plural(r.killed_count, "other marked process", "other marked processes")}.` }), el("ul", { class: "plist" }));
      processList(result.querySelector("ul"), r.killed);
      show(result, true);
      notify("Emergency recovery done");
      input.value = "";
      afterChange();
    } catch (e) {
      showError(e, { context: "Emergency recovery" });
    } finally {
      input.disabled = false;
      setText(button, "Stop everything");
      sync();
    }
  });
}
