// @ts-check
// Small DOM helpers. Writes are skipped when nothing changed, so a tick touches few nodes.

/** @typedef {import('./thresholds.js').Level} Level */

/**
 * The element with `id`; the page's DOM contract says it is there.
 * @param {string} id
 * @returns {HTMLElement}
 */
export function $(id) {
  const node = document.getElementById(id);
  if (!node) {
    throw new Error(`#${id} is missing from the page`);
  }
  return node;
}

/**
 * @param {Element | null | undefined} node
 * @param {string} text
 */
export function setText(node, text) {
  if (node && node.textContent !== text) {
    node.textContent = text;
  }
}

/**
 * @param {Element | null | undefined} node
 * @param {string} name
 * @param {string} value
 */
export function setAttr(node, name, value) {
  if (node && node.getAttribute(name) !== value) {
    node.setAttribute(name, value);
  }
}

/**
 * A new element.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/**
 * Classes warning / critical as `level` says.
 * @param {Element} node
 * @param {Level} level
 */
export function markLevel(node, level) {
  node.classList.toggle('warning', level === 'warning');
  node.classList.toggle('critical', level === 'critical');
}

/**
 * A level in colour and in words: `node` (the figure) and `mark` (its word, "warning" or
 * "critical", empty below both) are classed; colour is never the only sign.
 * @param {Element} node
 * @param {Element} mark
 * @param {Level} level
 */
export function showLevel(node, mark, level) {
  markLevel(node, level);
  markLevel(mark, level);
  setText(mark, level);
}

/**
 * Keeps one element per key in `parent`, in the order of `items`; drops the ones gone.
 * @template T
 * @template {Element} N
 * @param {Element} parent
 * @param {Map<string, N>} nodes by key, kept up to date
 * @param {Iterable<T>} items
 * @param {(item: T) => string} keyOf
 * @param {(item: T) => N} create
 * @param {(node: N, item: T) => void} update
 */
export function syncKeyed(parent, nodes, items, keyOf, create, update) {
  const seen = new Set();
  /** @type {N | null} */
  let prev = null;
  for (const item of items) {
    const key = keyOf(item);
    seen.add(key);
    let node = nodes.get(key);
    if (!node) {
      node = create(item);
      nodes.set(key, node);
    }
    update(node, item);
    /** @type {ChildNode | null} */
    const wanted = prev ? prev.nextSibling : parent.firstChild;
    if (node !== wanted) {
      parent.insertBefore(node, wanted);
    }
    prev = node;
  }
  for (const [key, node] of nodes) {
    if (!seen.has(key)) {
      node.remove();
      nodes.delete(key);
    }
  }
}
