// One session in detail: its facts, its live process tree and the tail of its log, refreshed
// with every poll while it is selected.

import { byId, el, facts, setData, setText, show } from "./dom.js";
import * as fmt from "./format.js";
import { isLive, stateBadge } from "./sessions.js";

export const LOG_LINES = 200;

export class SessionDetail {
  constructor({ onStop, onClose }) {
    this.panel = byId("detail-panel");
    this.root = byId("session-detail");
    this.title = byId("detail-title");
    this.facts = byId("detail-facts");
    this.tree = byId("process-tree");
    this.treeCount = byId("tree-count");
    this.treeEmpty = byId("tree-empty");
    this.log = byId("log-tail");
    this.error = byId("detail-error");
    this.stopButton = this.panel.querySelector("[data-action=detail-stop]");
    this.forceButton = this.panel.querySelector("[data-action=detail-force-stop]");
    this.id = null;
    this.treeKey = "";
    setText(byId("log-lines"), LOG_LINES);
    this.stopButton.addEventListener("click", () => this.id && onStop(this.id, false));
    this.forceButton.addEventListener("click", () => this.id && onStop(this.id, true));
    this.panel.querySelector("[data-action=detail-close]").addEventListener("click", onClose);
  }

  /** Shows (or, with null, hides) a session; its data comes with the next poll. */
  select(id) {
    if (id === this.id) return;
    this.id = id;
    this.treeKey = "";
    setData(this.root, "sessionId", id || "");
    setText(this.title, id ? "Session " + id : "Session");
    this.facts.replaceChildren();
    this.tree.replaceChildren();
    this.log.textContent = "";
    show(this.error, false);
    show(this.panel, id !== null);
  }

  render(view, logText, logError, ctx) {
    if (view.id !== this.id) return;
    setText(this.title, view.name || view.id);
    setData(this.root, "state", view.state);
    const stopping = ctx.stopping.has(view.id);
    const canStop = view.owned && isLive(view) && !stopping;
    this.stopButton.disabled = !canStop;
    this.forceButton.disabled = !canStop;
    setText(this.stopButton, stopping ? "Stopping…" : "Stop");
    this.renderFacts(view);
    this.renderTree(view.processes || []);
    this.renderLog(logText, logError);
    show(this.error, false);
  }

  /** The session can no longer be read (forgotten, or an error): say so, keep the last data. */
  renderError(error) {
    setText(this.error, `${error.message} (${error.code})`);
    show(this.error, true);
  }

  renderFacts(s) {
    const restart = s.restart && s.restart.policy !== "never"
      ? `${s.restart.policy}, ${s.restart.restarts} of ${s.restart.max_restarts} restart(s)`
        + (s.restart.next_restart_at ? `, next ${fmt.time(s.restart.next_restart_at)}` : "")
      : null;
    const stop = s.last_stop ? `${s.last_stop.reason.toLowerCase().replace(/_/g, " ")}: ${s.last_stop.signalled} signalled, `
      + `${s.last_stop.killed} killed, ${s.last_stop.survivors} survived, in ${fmt.duration(s.last_stop.elapsed_ms)}`
      + (s.last_stop.graceful ? " (graceful)" : "") : null;
    facts(this.facts, [
      ["State", stateBadge(s.state), "state"],
      ["Id", s.id, "id"],
      ["Command", el("code", { text: fmt.command(s.argv) }), "command"],
      ["Directory", s.cwd, "cwd"],
      ["PID", s.pid, "pid"],
      ["Port", s.port, "port"],
      ["Session dir", s.directory, "directory"],
      ["Containment", s.containment, "containment"],
      ["Started", fmt.time(s.started_at), "started"],
      [isLive(s) ? "Uptime" : "Ran for", fmt.duration(s.uptime_ms), "uptime"],
      ["Ended", s.ended_at ? fmt.time(s.ended_at) : null, "ended"],
      ["Idle", s.idle_ms === null || s.idle_ms === undefined ? null
        : fmt.duration(s.idle_ms) + (s.idle_timeout_ms ? ` of ${fmt.duration(s.idle_timeout_ms)} allowed` : ""), "idle"],
      ["CPU", s.usage ? `${fmt.cpuTime(s.usage.cpu_ms)} (${s.usage.source})` : null, "cpu"],
      ["Memory", s.usage ? `${fmt.bytes(s.usage.rss_bytes)} in ${fmt.plural(s.usage.processes, "process", "processes")}` : null, "memory"],
      ["Grace", s.grace_ms === null || s.grace_ms === undefined ? null : fmt.duration(s.grace_ms), "grace"],
      ["Restart", restart, "restart"],
      ["Exit", s.exit ? s.exit.text : null, "exit"],
      ["Last stop", stop, "last-stop"],
      ["Tags", (s.tags || []).length ? s.tags.join(", ") : null, "tags"],
      ["Owner", s.owned ? null : `supervisor ${s.instance} (not this daemon)`, "owner"],
      ["Log file", s.log_file, "log-file"],
    ]);
  }

  renderTree(roots) {
    const key = JSON.stringify(roots);
    if (key === this.treeKey) return;
    this.treeKey = key;
    let count = 0;
    const node = (p) => {
      count++;
      const li = el("li", { dataset: { pid: p.pid } },
        el("span", { class: "node" }, el("span", { class: "pid mono", text: p.pid }), " ",
          el("span", { class: "cmd mono", text: p.command || "?" })));
      if (p.children && p.children.length) li.append(el("ul", {}, ...p.children.map(node)));
      return li;
    };
    this.tree.replaceChildren(...roots.map(node));
    setText(this.treeCount, count);
    show(this.treeEmpty, count === 0);
  }

  renderLog(text, error) {
    const value = error ? `(no log: ${error.message})` : text === "" ? "(no output yet)" : text;
    if (this.log.textContent === value) return;
    const selection = document.getSelection();
    if (selection && !selection.isCollapsed && this.log.contains(selection.anchorNode)) return; // being copied
    const atBottom = this.log.textContent === "" || this.log.scrollTop + this.log.clientHeight >= this.log.scrollHeight - 8;
    this.log.textContent = value;
    if (atBottom) this.log.scrollTop = this.log.scrollHeight;
  }
}
