// Node (Playwright worker): an axe-core scan (WCAG 2.1 A and AA rules) of what a page shows now.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export async function expectNoAxeViolations(page: Page, screen: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  // Rule id, impact and the offending selectors: enough to find it, no page text (patient data).
  const found = result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
  }));
  expect(found, `axe violations on ${screen}`).toEqual([]);
}
