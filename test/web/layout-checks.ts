/** Layout facts read from real Chromium boxes, shared by the dashboard's layout tests. */
import type { Page } from 'playwright-core';

/**
 * Descendants of each `container` element whose visible box sticks out of it
 * (a box clipped by an ancestor inside the container, as by an ellipsis,
 * counts only as far as it shows), or containers that scroll sideways; empty
 * when everything fits. Each entry names the container (its data-gpu or
 * class) and the offending element.
 */
export async function overflowing(page: Page, container: string): Promise<string[]> {
  return page.locator(container).evaluateAll((boxes) => {
    const bad: string[] = [];
    for (const box of boxes) {
      const outer = box.getBoundingClientRect();
      const name = box.getAttribute('data-gpu') ?? box.className;
      if (box.scrollWidth > box.clientWidth + 1) bad.push(`${name}: scrolls sideways`);
      for (const el of box.querySelectorAll('*')) {
        const box0 = el.getBoundingClientRect();
        if (box0.width === 0 && box0.height === 0) continue;
        const r = { left: box0.left, right: box0.right, bottom: box0.bottom };
        for (let up = el.parentElement; up && up !== box; up = up.parentElement) {
          if (getComputedStyle(up).overflowX === 'visible') continue;
          const clip = up.getBoundingClientRect();
          r.left = Math.max(r.left, clip.left);
          r.right = Math.min(r.right, clip.right);
          r.bottom = Math.min(r.bottom, clip.bottom);
        }
        if (r.left < outer.left - 1 || r.right > outer.right + 1 || r.bottom > outer.bottom + 1)
          bad.push(`${name}: ${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').slice(0, 40)}"`);
      }
    }
    return bad;
  });
}

/** How many lines of text each matching element takes (its height over its line height). */
export async function lineCounts(page: Page, selector: string): Promise<number[]> {
  return page.locator(selector).evaluateAll((els) =>
    els.map((el) => {
      const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 20;
      return Math.round(el.getBoundingClientRect().height / lineHeight);
    }),
  );
}

/** The computed colour that a CSS expression (like `var(--busy)`) gives as a background on this page. */
export async function cssColor(page: Page, expression: string): Promise<string> {
  return page.evaluate((bg) => {
    const probe = document.createElement('div');
    probe.style.background = bg;
    document.body.append(probe);
    const color = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return color;
  }, expression);
}
