// Every icon-only button says what it does on hover too: its accessible name becomes its
// tooltip (the native `title`), and follows the name when it changes (the theme toggle's
// "Switch to light theme", a room's "Delete room Attic"). Buttons with their own tooltip keep it.

const ICON_BUTTONS = '.icon-button[aria-label], .drawer-button[aria-label]';

/** Only titles this module wrote are rewritten; a button's own tooltip is left alone. @param {Element} button */
function mirror(button) {
  const label = button.getAttribute('aria-label');
  if (!label || (button.hasAttribute('title') && !button.hasAttribute('data-title-from-label'))) return;
  button.setAttribute('data-title-from-label', '');
  if (button.getAttribute('title') !== label) button.setAttribute('title', label);
}

/**
 * Gives the icon buttons under `root`, now and later, their label as a tooltip.
 * @param {HTMLElement} root
 */
export function mountTooltips(root) {
  for (const button of root.querySelectorAll(ICON_BUTTONS)) mirror(button);
  new MutationObserver((changes) => {
    for (const change of changes) {
      const target = /** @type {Element} */ (change.target);
      if (change.type === 'attributes' && target.matches(ICON_BUTTONS)) mirror(target);
      for (const node of change.addedNodes) {
        if (!(node instanceof Element)) continue;
        if (node.matches(ICON_BUTTONS)) mirror(node);
        for (const inner of node.querySelectorAll(ICON_BUTTONS)) mirror(inner);
      }
    }
  }).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
}
