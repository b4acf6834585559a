"""What a person sees broken at a given window size: text boxes on top of each other, and names
cut short. Read from the page's layout, so it holds for every theme, font and width."""

from __future__ import annotations

from playwright.sync_api import Page

# Boxes of visible elements that carry text (or are buttons) in the header and the sidebars,
# and every pair of them that overlaps, leaving out an element and what it contains.
_OVERLAPS = """
(regions) => {
  const visible = (node) => {
    if (!node.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return null;
    const box = node.getBoundingClientRect();
    if (box.width < 1 || box.height < 1) return null;
    // A closed drawer is pushed off the screen: nothing of it is seen.
    const outside = box.right <= 0 || box.left >= innerWidth
      || box.bottom <= 0 || box.top >= innerHeight;
    if (outside) return null;
    return box;
  };
  const ownText = (node) => [...node.childNodes].some(
    (child) => child.nodeType === Node.TEXT_NODE && child.textContent.trim() !== '');
  const name = (node) => {
    const label = node.id ? `#${node.id}` : `.${[...node.classList].join('.')}`;
    const text = (node.textContent || node.getAttribute('aria-label') || '').trim().slice(0, 40);
    return `${node.tagName.toLowerCase()}${label} "${text}"`;
  };
  const items = [];
  for (const selector of regions) {
    for (const region of document.querySelectorAll(selector)) {
      if (!visible(region)) continue;
      for (const node of region.querySelectorAll('*')) {
        if (!(ownText(node) || node.matches('button, [role=button], select, input'))) continue;
        const box = visible(node);
        if (!box) continue;
        // Under another part of the page (an open drawer or dialog), it is not seen at all.
        const above = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        if (above && !region.contains(above)) continue;
        items.push({ node, box });
      }
    }
  }
  const problems = [];
  for (let i = 0; i < items.length; i += 1) {
    for (let j = i + 1; j < items.length; j += 1) {
      const a = items[i], b = items[j];
      if (a.node.contains(b.node) || b.node.contains(a.node)) continue;
      const x = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
      const y = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
      // A pixel of anti-aliased edge is not an overlap anyone sees.
      if (x > 1 && y > 1) problems.push(`${name(a.node)} overlaps ${name(b.node)}`);
    }
  }
  return problems;
}
"""

# Titles and names whose text does not fit their box (cut with an ellipsis, or squeezed to 0).
_CLIPPED = """
(selectors) => {
  const problems = [];
  for (const node of document.querySelectorAll(selectors.join(','))) {
    if (!node.checkVisibility({ visibilityProperty: true }) || !node.textContent.trim()) continue;
    const box = node.getBoundingClientRect();
    if (box.right <= 0 || box.left >= innerWidth) continue;
    if (node.scrollWidth > node.clientWidth + 1 || node.clientWidth === 0) {
      const what = `"${node.textContent.trim()}" (${node.id || node.className})`;
      problems.push(`${what} shows ${node.clientWidth} of ${node.scrollWidth} px`);
    }
  }
  return problems;
}
"""

REGIONS = [".main-header", "#rooms-panel", "#people-panel", "#chat-panel", ".login-card"]
TITLES = [
    "#room-name",
    "#room-status",
    ".pill-whispers",
    ".brand",
    ".user-bar-name",
    ".room-label",
    ".login-card h1",
]


def layout_problems(page: Page) -> list[str]:
    """Overlapping and clipped text on the page as it is laid out now."""
    overlaps: list[str] = page.evaluate(_OVERLAPS, REGIONS)
    clipped: list[str] = page.evaluate(_CLIPPED, TITLES)
    return overlaps + clipped
