// The session tables. Rows are keyed by session id and updated in place each poll (no table
// rebuild), so a row keeps its buttons, hover and selection while the numbers change.

import { el, setData, setText, show } from "./dom.js";
import * as fmt from "./format.js";

const LIVE_STATES = new Set(["STARTING", "RUNNING", "STOPPING", "RESTARTING", "UNKNOWN"]);

export function isLive(s) {
  return LIVE_STATES.has(s.state);
}

/** A state as a coloured badge; data-state keeps the API's value. */
export function stateBadge(state) {
  return el("span", { class: "state", dataset: { state }, text: state.toLowerCase() });
}

function updateBadge(badge, state) {
  setData(badge, "state", state);
  setText(badge, state.toLowerCase());
}

/** CPU use as a rate: CPU time over wall time across the last few seconds of polls. */
export class CpuRates {
  constructor(windowMs = 5000) {
    this.windowMs = windowMs;
    this.samples = new Map();
  }

  /** Records this poll's CPU times and forgets sessions that are gone. */
  record(sessions, now = performance.now()) {
    const seen = new Set();
    for (const s of sessions) {
      if (!s.usage) continue;
      seen.add(s.id);
      const list = this.samples.get(s.id) || [];
      const last = list[list.length - 1];
      if (!last || last.cpu !== s.usage.cpu_ms || now - last.t > 900) list.push({ t: now, cpu: s.usage.cpu_ms });
      while (list.length > 2 && now - list[0].t > this.windowMs) list.shift();
      this.samples.set(s.id, list);
    }
    for (const id of this.samples.keys()) if (!seen.has(id)) this.samples.delete(id);
  }

  /** Percent of one core, or null until two samples at least 1.5 s apart exist. */
  percent(id) {
    const list = this.samples.get(id);
    if (!list || list.length < 2) return null;
    const first = list[0];
    const last = list[list.length - 1];
    const wall = last.t - first.t;
    return wall < 1500 ? null : Math.max(0, (100 * (last.cpu - first.cpu)) / wall);
  }
}

function nameCell() {
  const td = el("td", { class: "name-cell" });
  td.append(el("button", { class: "link", attrs: { type: "button" }, dataset: { action: "select" } }),
    el("span", { class: "sub mono" }), el("span", { class: "tags" }));
  return td;
}

function updateName(td, s) {
  const [button, sub, tags] = td.children;
  setText(button, s.name || s.id);
  button.title = fmt.command(s.argv);
  setText(sub, s.id);
  const tagText = (s.tags || []).join(" ");
  if (tags.dataset.tags !== tagText) {
    tags.dataset.tags = tagText;
    tags.replaceChildren(...(s.tags || []).map((t) => el("span", { class: "tag", text: t })));
  }
}

const textColumn = (field, cls, value) => ({ field, cls, create: () => el("td", { class: cls }),
  update: (td, s, ctx) => setText(td, value(s, ctx)) });

const LIVE_COLUMNS = [
  { field: "name", create: nameCell, update: updateName },
  { field: "state", create: () => el("td", {}, stateBadge("UNKNOWN")), update: (td, s) => updateBadge(td.firstChild, s.state) },
  textColumn("pid", "num mono", (s) => fmt.orDash(s.pid)),
  textColumn("port", "num mono", (s) => fmt.orDash(s.port)),
  textColumn("uptime", "num", (s) => fmt.duration(s.uptime_ms)),
  { field: "cpu", create: () => el("td", { class: "num" }, el("span", { class: "rate" }), el("span", { class: "sub" })),
    update: (td, s, ctx) => {
      setText(td.children[0], s.usage ? fmt.percent(ctx.cpu.percent(s.id)) : "");
      setText(td.children[1], s.usage ? fmt.cpuTime(s.usage.cpu_ms) : fmt.DASH);
    } },
  { field: "memory", create: () => el("td", { class: "num" }, el("span", {}), el("span", { class: "sub" })),
    update: (td, s) => {
      setText(td.children[0], s.usage ? fmt.bytes(s.usage.rss_bytes) : fmt.DASH);
      setText(td.children[1], s.usage ? fmt.plural(s.usage.processes, "process", "processes") : "");
    } },
  textColumn("idle", "num", (s) => (s.idle_ms === null || s.idle_ms === undefined ? fmt.DASH : fmt.duration(s.idle_ms))
    + (s.idle_timeout_ms ? " / " + fmt.duration(s.idle_timeout_ms) : "")),
  { field: "actions", create: () => el("td", { class: "actions-col" }, el("button", { class: "btn btn-danger btn-small",
    attrs: { type: "button" }, dataset: { action: "stop" }, text: "Stop" })),
    update: (td, s, ctx) => {
      const b = td.firstChild;
      setData(b, "sessionId", s.id);
      const stopping = ctx.stopping.has(s.id);
      b.disabled = stopping || !s.owned;
      setText(b, stopping ? "Stopping…" : "Stop");
      b.title = s.owned ? `Stop ${s.name}: the stop signal to its whole tree, ${fmt.duration(s.grace_ms)} grace, then SIGKILL`
        : `run by supervisor ${s.instance}, not this daemon`;
    } },
];

function exitText(s) {
  return s.exit ? s.exit.text : fmt.DASH;
}

function stopText(s) {
  const r = s.last_stop;
  if (!r) return fmt.DASH;
  const parts = [r.reason.toLowerCase().replace(/_/g, " "), `${r.signalled} signalled`];
  if (r.killed) parts.push(`${r.killed} killed`);
  if (r.survivors) parts.push(`${r.survivors} SURVIVED`);
  parts.push(`in ${fmt.duration(r.elapsed_ms)}`);
  return parts.join(", ");
}

const ENDED_COLUMNS = [
  LIVE_COLUMNS[0],
  LIVE_COLUMNS[1],
  textColumn("exit", "", exitText),
  textColumn("last-stop", "", stopText),
  textColumn("uptime", "num", (s) => fmt.duration(s.uptime_ms)),
  { field: "ended", create: () => el("td", { class: "num" }), update: (td, s, ctx) => {
    setText(td, fmt.ago(s.ended_at, ctx.now));
    td.title = fmt.time(s.ended_at);
  } },
];

export class SessionTable {
  constructor(table, columns, { empty, count, onSelect }) {
    this.body = table.tBodies[0];
    this.columns = columns;
    this.empty = empty;
    this.unmatched = el("p", { class: "empty", text: "Nothing matches the filter." });
    this.unmatched.hidden = true;
    empty.after(this.unmatched);
    this.count = count;
    this.rows = new Map();
    this.body.addEventListener("click", (e) => {
      const row = e.target.closest("tr[data-session-id]");
      if (!row || (e.target.closest("button") && e.target.closest("button").dataset.action !== "select")) return;
      onSelect(row.dataset.sessionId);
    });
  }

  static live(table, opts) {
    return new SessionTable(table, LIVE_COLUMNS, opts);
  }

  static ended(table, opts) {
    return new SessionTable(table, ENDED_COLUMNS, opts);
  }

  update(sessions, ctx) {
    const keep = new Set();
    let shown = 0;
    sessions.forEach((s, i) => {
      keep.add(s.id);
      let row = this.rows.get(s.id);
      if (!row) {
        row = el("tr", { dataset: { sessionId: s.id } }, ...this.columns.map((c) => {
          const td = c.create();
          td.dataset.field = c.field;
          return td;
        }));
        this.rows.set(s.id, row);
      }
      setData(row, "state", s.state);
      this.columns.forEach((c, j) => c.update(row.children[j], s, ctx));
      row.classList.toggle("selected", ctx.selected === s.id);
      const visible = matches(s, ctx.filter);
      row.hidden = !visible;
      if (visible) shown++;
      if (this.body.children[i] !== row) this.body.insertBefore(row, this.body.children[i] || null);
    });
    for (const [id, row] of this.rows) {
      if (!keep.has(id)) {
        row.remove();
        this.rows.delete(id);
      }
    }
    setText(this.count, shown === sessions.length ? sessions.length : `${shown} of ${sessions.length}`);
    show(this.empty, sessions.length === 0);
    show(this.unmatched, sessions.length > 0 && shown === 0);
  }
}

function matches(s, filter) {
  if (!filter) return true;
  const f = filter.toLowerCase();
  return [s.name, s.id, ...(s.tags || []), fmt.command(s.argv)].some((v) => v && v.toLowerCase().includes(f));
}
