// The daemon's REST API as the dashboard uses it: the bearer token (kept in sessionStorage, for
// this tab only), JSON in and out, and every failure as an ApiError carrying the daemon's
// {"error": {"code", "message"}}.

const TOKEN_KEY = "tether.token";
const POLL_TIMEOUT_MS = 10000;

export class ApiError extends Error {
  constructor(status, code, message, detail = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.logTail = detail.log_tail || null;
    this.holders = detail.holders || null;
  }
}

/** 401: the token is missing or wrong; the page asks for it again. */
export class Unauthorized extends ApiError {}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (t) => sessionStorage.setItem(TOKEN_KEY, t),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

async function request(method, path, { body, timeoutMs, text } = {}) {
  const headers = { Accept: text ? "text/plain" : "application/json" };
  const t = token.get();
  if (t) headers.Authorization = "Bearer " + t;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const abort = new AbortController();
  const timer = timeoutMs ? setTimeout(() => abort.abort(), timeoutMs) : null;
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      signal: abort.signal, cache: "no-store", credentials: "omit", redirect: "error" });
    if (res.ok) return text ? await res.text() : await res.json();
  } catch (e) {
    if (e instanceof ApiError) throw e;
    const why = e.name === "AbortError" ? `no answer within ${timeoutMs / 1000} s` : e.message;
    throw new ApiError(0, "unreachable", `cannot reach the daemon at ${location.origin} (${why})`);
  } finally {
    if (timer) clearTimeout(timer);
  }
  throw await failure(res, method, path);
}

async function failure(res, method, path) {
  let detail = null;
  try {
    const body = await res.json();
    detail = body && body.error;
  } catch (e) {
    // not the API's error shape: a proxy, or a daemon too old
  }
  const code = detail && detail.code ? detail.code : "http_" + res.status;
  const message = detail && detail.message ? detail.message : `${method} ${path} answered ${res.status} ${res.statusText}`;
  const Type = res.status === 401 ? Unauthorized : ApiError;
  return new Type(res.status, code, message, detail || {});
}

const seg = encodeURIComponent;
const poll = { timeoutMs: POLL_TIMEOUT_MS };

export const api = {
  health: () => request("GET", "/health", poll),
  liveSessions: () => request("GET", "/sessions", poll),
  endedSessions: (limit) => request("GET", `/sessions?state=EXITED,STOPPED,LOST,CULLED,FAILED&limit=${limit}`, poll),
  session: (id) => request("GET", `/sessions/${seg(id)}`, poll),
  logs: (id, tail) => request("GET", `/sessions/${seg(id)}/logs?tail=${tail}`, { ...poll, text: true }),
  /** Answers once nothing of the session lives: as long as its grace period, so no timeout. */
  stop: (id, force) => request("DELETE", `/sessions/${seg(id)}` + (force ? "?force=true" : "")),
  cleanupOrphans: (dryRun) => request("POST", "/cleanup/orphans" + (dryRun ? "?dry_run=true" : "")),
  emergencyRecovery: () => request("POST", "/emergency-recovery", { body: { confirm: true } }),
};
