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

/**
 * A definition list's rows from [label, value, key] triples (keys are the page's own constants);
 * a value may be a node; empty values are left out. The rows are rebuilt only when the set of keys
 * changes, and a value only when it changed, so text the operator is selecting to copy (an id, a
 * path) survives the next poll.
 */
export function facts(dl, triples) {
  const wanted = triples.filter(([, v]) => v !== null && v !== undefined && v !== "");
  const keys = wanted.map((t) => t[2]).join(" ");
  if (dl.dataset.keys !== keys) {
    dl.dataset.keys = keys;
    dl.replaceChildren(...wanted.flatMap(([label, , key]) => [el("dt", { text: label }), el("dd", { dataset: { fact: key } })]));
  }
  for (const [label, value, key] of wanted) {
    const dd = dl.querySelector(`:scope > dd[data-fact="${key}"]`);
    setText(dd.previousElementSibling, label);
    const signature = value instanceof Node ? value.tagName + "|" + (value.dataset.state || value.dataset.status || "")
      + "|" + value.textContent : "text|" + value;
    if (dd.dataset.signature !== signature) {
      dd.dataset.signature = signature;
      dd.replaceChildren(value instanceof Node ? value : document.createTextNode(String(value)));
    }
  }
}
