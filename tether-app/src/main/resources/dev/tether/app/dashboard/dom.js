// Building the page without innerHTML: every piece of text goes in as a text node, so nothing the
// daemon or a session reports (names, commands, log lines) can become markup.

/**
 * A new element. props: `class`, `text`, `title`, `dataset` (object), `attrs` (object), `on`
 * (event name -> handler); children: nodes or strings (strings become text nodes).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined && props.text !== null) node.textContent = String(props.text);
  if (props.title) node.title = props.title;
  for (const [k, v] of Object.entries(props.dataset || {})) node.dataset[k] = String(v);
  for (const [k, v] of Object.entries(props.attrs || {})) node.setAttribute(k, String(v));
  for (const [k, v] of Object.entries(props.on || {})) node.addEventListener(k, v);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return node;
}

export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error("the page has no #" + id);
  return node;
}

/** Sets a node's text only when it changed (keeps selections and avoids needless layout). */
export function setText(node, value) {
  const text = value === null || value === undefined ? "" : String(value);
  if (node.textContent !== text) node.textContent = text;
}

/** Sets a data attribute only when it changed. */
export function setData(node, key, value) {
  const text = String(value);
  if (node.dataset[key] !== text) node.dataset[key] = text;
}

export function show(node, visible) {
  node.hidden = !visible;
}

/** A definition list's rows from [label, value] pairs; a value may be a node. Empty values are left out. */
export function facts(dl, pairs) {
  const rows = [];
  for (const [label, value, key] of pairs) {
    if (value === null || value === undefined || value === "") continue;
    const dd = value instanceof Node ? el("dd", {}, value) : el("dd", { text: value });
    if (key) dd.dataset.fact = key;
    rows.push(el("dt", { text: label }), dd);
  }
  dl.replaceChildren(...rows);
}
