// Node (Playwright worker) + page: Content-Security-Policy violations a page reports, from the
// standard `securitypolicyviolation` event (installed before the page's own scripts run) and
// from the console, where Chromium also writes "Refused to …" for each one.
import type { Page } from '@playwright/test';

export interface CspViolation {
  source: 'event' | 'console';
  directive: string;
  /** The blocked URL's origin or a keyword (`eval`, `inline`); never a full URL with a token. */
  blocked: string;
}

declare global {
  interface Window {
    __bedsideCspViolations?: { directive: string; blocked: string }[];
  }
}

/** Call before `page.goto`. Read the result with `cspViolations(page)`. */
export async function collectCspViolations(page: Page): Promise<() => Promise<CspViolation[]>> {
  const fromConsole: CspViolation[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/Content[- ]Security[- ]Policy|unsafe-eval/i.test(text)) {
      fromConsole.push({ source: 'console', directive: 'console', blocked: text.slice(0, 200) });
    }
  });
  await page.addInitScript(() => {
    if (window.__bedsideCspViolations) return;
    const seen: { directive: string; blocked: string }[] = [];
    window.__bedsideCspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => {
      let blocked = e.blockedURI;
      try {
        blocked = new URL(blocked).origin;
      } catch {
        // A keyword such as "eval" or "inline", not a URL.
      }
      seen.push({ directive: e.effectiveDirective, blocked });
    });
  });
  return async () => {
    const fromEvents = page.isClosed()
      ? []
      : await page.evaluate(() => window.__bedsideCspViolations ?? []);
    return [...fromEvents.map((v) => ({ source: 'event' as const, ...v })), ...fromConsole];
  };
}
