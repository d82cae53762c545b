// The dashboard: asks for the token once, then polls the daemon every second (health, live
// sessions, recently ended ones, and the selected session's tree and log) and wires the actions.

import { api, token, Unauthorized } from "./api.js";
import { SessionDetail, LOG_LINES } from "./detail.js";
import { byId, setData, setText, show } from "./dom.js";
import * as fmt from "./format.js";
import { clearError, clearErrors, notify, showError } from "./notices.js";
import { renderHealth, wireEmergency, wireOrphans } from "./operator.js";
import { CpuRates, SessionTable } from "./sessions.js";

const POLL_MS = 1000;
const ENDED_LIMIT = 25;

const ctx = { selected: null, stopping: new Set(), filter: "", cpu: new CpuRates(), now: Date.now() };
const last = { live: [], ended: [] };
const loop = { generation: 0, timer: null, inFlight: false, again: false, active: false };
let liveTable;
let endedTable;
let detail;

function boot() {
  liveTable = SessionTable.live(byId("live-sessions"), { empty: byId("live-empty"), count: byId("live-count"), onSelect: select });
  endedTable = SessionTable.ended(byId("ended-sessions"), { empty: byId("ended-empty"), count: byId("ended-count"), onSelect: select });
  detail = new SessionDetail({ onStop: stopSession, onClose: () => select(null) });
  byId("live-sessions").tBodies[0].addEventListener("click", (e) => {
    const b = e.target.closest("button[data-action=stop]");
    if (b) stopSession(b.dataset.sessionId, false);
  });
  byId("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    connect(byId("token-input").value.trim());
  });
  byId("sign-out").addEventListener("click", () => askForToken(null));
  byId("session-filter").addEventListener("input", (e) => {
    ctx.filter = e.target.value.trim();
    redraw();
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && ctx.selected && !e.target.closest("input")) select(null);
    if (e.key === "/" && !e.target.closest("input, textarea")) {
      e.preventDefault();
      byId("session-filter").focus();
    }
  });
  wireOrphans(pollNow);
  wireEmergency(pollNow);
  if (token.get()) {
    openDashboard();
  } else {
    askForToken(null);
  }
}

function askForToken(message) {
  stopPolling();
  token.clear();
  clearErrors();
  show(byId("app"), false);
  show(byId("sign-out"), false);
  show(byId("topbar-health"), false);
  show(byId("login"), true);
  connection(false, "not connected");
  const error = byId("token-error");
  setText(error, message || "");
  show(error, Boolean(message));
  const input = byId("token-input");
  input.value = "";
  input.focus();
}

async function connect(value) {
  if (!value) return;
  const submit = byId("token-submit");
  submit.disabled = true;
  token.set(value);
  try {
    await api.health();
    openDashboard();
  } catch (e) {
    token.clear();
    const error = byId("token-error");
    setText(error, e instanceof Unauthorized ? `The daemon refused this token: ${e.message}` : e.message);
    show(error, true);
  } finally {
    submit.disabled = false;
  }
}

function openDashboard() {
  show(byId("login"), false);
  show(byId("app"), true);
  show(byId("sign-out"), true);
  startPolling();
}

function startPolling() {
  stopPolling();
  loop.active = true;
  tick(loop.generation);
}

function stopPolling() {
  loop.active = false;
  loop.inFlight = false;
  loop.again = false;
  loop.generation++;
  clearTimeout(loop.timer);
}

/** Polls again right away (after an action), or as soon as the poll in flight is done. */
function pollNow() {
  if (!loop.active) return;
  if (loop.inFlight) {
    loop.again = true;
    return;
  }
  clearTimeout(loop.timer);
  tick(loop.generation);
}

async function tick(generation) {
  const started = performance.now();
  loop.inFlight = true;
  try {
    await poll(generation);
  } finally {
    if (generation === loop.generation) loop.inFlight = false;
  }
  if (generation !== loop.generation) return;
  const wait = loop.again ? 0 : Math.max(0, POLL_MS - (performance.now() - started));
  loop.again = false;
  loop.timer = setTimeout(() => tick(generation), wait);
}

async function poll(generation) {
  const id = ctx.selected;
  const parts = await Promise.allSettled([api.health(), api.liveSessions(), api.endedSessions(ENDED_LIMIT),
    id ? api.session(id) : null, id ? api.logs(id, LOG_LINES) : null]);
  if (generation !== loop.generation) return;
  const refused = parts.find((p) => p.status === "rejected" && p.reason instanceof Unauthorized);
  if (refused) {
    askForToken(`The daemon refused the token (${refused.reason.message}). Enter it again.`);
    return;
  }
  const [health, live, ended, view, logs] = parts;
  ctx.now = Date.now();
  if (health.status === "fulfilled") renderHealth(health.value, ctx.now);
  if (live.status === "fulfilled") {
    last.live = live.value.sessions;
    ctx.cpu.record(last.live);
  }
  if (ended.status === "fulfilled") {
    last.ended = ended.value.sessions.slice().sort((a, b) => (b.ended_at || "").localeCompare(a.ended_at || ""));
  }
  redraw();
  if (id && id === ctx.selected) {
    if (view.status === "fulfilled") {
      detail.render(view.value, logs.status === "fulfilled" ? logs.value : "", logs.status === "rejected" ? logs.reason : null, ctx);
    } else {
      detail.renderError(view.reason);
    }
  }
  const failed = [health, live, ended].find((p) => p.status === "rejected");
  if (failed) {
    showError(failed.reason, { key: "poll", context: "Live update failed (retrying every second)" });
    connection(false, "update failed, retrying");
  } else {
    clearError("poll");
    connection(true, "live · " + new Date(ctx.now).toLocaleTimeString());
  }
}

function redraw() {
  liveTable.update(last.live, ctx);
  endedTable.update(last.ended, ctx);
  const running = last.live.filter((s) => s.state === "RUNNING").length;
  document.title = running ? `Tether · ${running} running` : "Tether";
}

function connection(ok, text) {
  const status = byId("poll-status");
  setData(status, "connected", ok);
  setText(status, text);
}

function select(id) {
  ctx.selected = id;
  detail.select(id);
  redraw();
  if (id) pollNow();
}

async function stopSession(id, force) {
  if (!id || ctx.stopping.has(id)) return;
  ctx.stopping.add(id);
  redraw();
  try {
    const v = await api.stop(id, force);
    const r = v.last_stop;
    notify(`Stopped ${v.name} (${v.id})` + (r ? `: ${r.signalled} signalled, ${r.killed} killed, in ${fmt.duration(r.elapsed_ms)}` : ""));
  } catch (e) {
    if (e instanceof Unauthorized) {
      askForToken(`The daemon refused the token (${e.message}). Enter it again.`);
      return;
    }
    showError(e, { context: `Stopping ${id}` });
  } finally {
    ctx.stopping.delete(id);
    pollNow();
  }
}

boot();
