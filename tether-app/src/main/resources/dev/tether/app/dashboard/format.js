// How numbers from the API read to a person: durations, sizes, times.

export const DASH = "—";

/** 1234567 ms -> "20m 34s"; 90061000 -> "1d 1h". Two units at most. */
export function duration(ms) {
  if (ms === null || ms === undefined) return DASH;
  if (ms < 1000) return Math.max(0, Math.round(ms)) + " ms";
  let s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400); s -= d * 86400;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${pad(m)}m`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

function pad(n) {
  return n < 10 ? "0" + n : String(n);
}

/** Bytes as KiB/MiB/GiB. */
export function bytes(n) {
  if (n === null || n === undefined) return DASH;
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? String(v) : v.toFixed(v < 10 ? 1 : 0)) + " " + units[i];
}

/** CPU time: "0.42 s", "12.3 s", "4m 10s". */
export function cpuTime(ms) {
  if (ms === null || ms === undefined) return DASH;
  if (ms < 10000) return (ms / 1000).toFixed(2) + " s";
  if (ms < 60000) return (ms / 1000).toFixed(1) + " s";
  return duration(ms);
}

export function percent(p) {
  if (p === null || p === undefined || Number.isNaN(p)) return "";
  return (p < 10 ? p.toFixed(1) : Math.round(p)) + "%";
}

/** An ISO instant as local date and time, seconds included. */
export function time(iso) {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit",
    minute: "2-digit", second: "2-digit" });
}

/** How long ago an ISO instant was: "12s ago". */
export function ago(iso, now = Date.now()) {
  if (!iso) return DASH;
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  return duration(Math.max(0, now - t)) + " ago";
}

/** A command line for display: arguments with spaces quoted. */
export function command(argv) {
  if (!argv || argv.length === 0) return DASH;
  return argv.map((a) => (a === "" || /[\s"'\\$`]/.test(a) ? JSON.stringify(a) : a)).join(" ");
}

export function orDash(v) {
  return v === null || v === undefined || v === "" ? DASH : String(v);
}

export function plural(n, one, many = one + "s") {
  return `${n} ${n === 1 ? one : many}`;
}
