// Small DOM helpers. Text always goes in as text (textContent), never as markup, so names
// and room names containing HTML are shown, not run.

let spriteUrl = '';

/** @param {string} url where icons.svg is served (hashed in production) */
export function setIconSprite(url) {
  spriteUrl = url;
}

/**
 * Creates an element. `props`: className, text, attrs (setAttribute), dataset, on (listeners).
 * Children are nodes or strings (added as text).
 * @param {string} tag
 * @param {{className?: string, text?: string, attrs?: Record<string, string|number|boolean|null|undefined>,
 *   dataset?: Record<string, string|number>, on?: Record<string, EventListener>}} [props]
 * @param {...(Node|string|null|undefined|false)} children
 * @returns {HTMLElement}
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) setAttr(node, name, value);
  for (const [name, value] of Object.entries(props.dataset ?? {})) node.dataset[name] = String(value);
  for (const [type, listener] of Object.entries(props.on ?? {})) node.addEventListener(type, listener);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/**
 * Sets, or removes when null/false, an attribute.
 * @param {Element} node @param {string} name @param {string|number|boolean|null|undefined} value
 */
export function setAttr(node, name, value) {
  if (value === null || value === undefined || value === false) node.removeAttribute(name);
  else node.setAttribute(name, value === true ? '' : String(value));
}

/** A decorative icon from the sprite. @param {string} name */
export function icon(name) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const use = document.createElementNS('http://www.w3.org/2000/svg', 'use');
  use.setAttribute('href', `${spriteUrl}#${name}`);
  svg.append(use);
  return svg;
}

/** @param {string} id */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from the page`);
  return node;
}

/** Sets text only when it changed (keeps screen readers from re-announcing). @param {Node} node @param {string} text */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** @param {HTMLElement} node @param {boolean} visible */
export function show(node, visible) {
  if (node.hidden === visible) node.hidden = !visible;
}

/**
 * Keeps `container`'s children in step with `items`, reusing nodes by key so focus and
 * state survive re-renders; nodes are moved only when the order really changed.
 * @template T
 * @param {HTMLElement} container
 * @param {T[]} items
 * @param {{key: (item: T) => string|number, create: (item: T) => HTMLElement, update: (node: HTMLElement, item: T) => void}} spec
 */
export function keyedList(container, items, { key, create, update }) {
  /** @type {Map<string, HTMLElement>} */
  const existing = new Map();
  for (const child of [...container.children]) {
    if (child instanceof HTMLElement && child.dataset.key !== undefined) existing.set(child.dataset.key, child);
  }
  items.forEach((item, index) => {
    const id = String(key(item));
    let node = existing.get(id);
    existing.delete(id);
    if (!node) {
      node = create(item);
      node.dataset.key = id;
    }
    update(node, item);
    const here = container.children[index];
    if (here !== node) container.insertBefore(node, here ?? null);
  });
  for (const stale of existing.values()) stale.remove();
}
