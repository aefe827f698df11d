// DOM: entry point. The link is read before the first render so the token leaves the address
// bar at once, whatever happens next.
// First: zod must be jitless before any schema parses (CSP, see packages/shared/src/browser.ts).
import '@bedside/shared/browser';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { applyLanguage, initialLanguage } from './i18n/i18n.ts';
import { readJoinLink } from './link/joinLink.ts';
import './styles.css';

function sessionStore(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Some privacy modes throw on access.
    return null;
  }
}

const storage = sessionStore();
const link = readJoinLink(window.location, window.history, storage);
const root = document.getElementById('root');
const render = () => {
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <App link={link} serverUrl={window.location.origin} storage={storage} />
    </StrictMode>,
  );
};
// A language other than English loads before the first screen, so the page never flips; if it
// cannot load (offline), the page shows in English rather than not at all.
void applyLanguage(initialLanguage(window.location.search, navigator.languages ?? []))
  .catch(() => undefined)
  .finally(render);
