// DOM: the renderer's entry (Electron window and plain browser alike).
// First: zod must be jitless before any schema parses (CSP, see packages/shared/src/browser.ts).
import '@bedside/shared/browser';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
