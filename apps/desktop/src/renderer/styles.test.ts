// The palette in styles.css must keep text readable: WCAG 2.x AA contrast (4.5:1 for body text,
// 3:1 for large text and icons) for every text / background pair the screens use.
// Runs in Node under vitest, which hands CSS imports over empty: read the file itself.
// eslint-disable-next-line no-restricted-imports -- test-only, never bundled into the renderer
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('./styles.css', import.meta.url), 'utf8');
const root = /:root\s*{([^}]*)}/.exec(css)?.[1] ?? '';
const vars = new Map(
  [...root.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1]!, m[2]!]),
);

function color(name: string): string {
  if (name.startsWith('#')) return name;
  const value = vars.get(name);
  if (!value) throw new Error(`--${name} is not a hex colour in :root`);
  return value;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(color(a)), luminance(color(b))].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const BODY: [string, string][] = [
  ['text', 'bg'],
  ['text', 'surface'],
  ['muted', 'surface'],
  ['muted', 'bg'],
  ['#ffffff', 'primary'],
  ['#ffffff', 'primary-hover'],
  ['#ffffff', 'danger'],
  ['primary', 'surface'],
  ['primary', 'primary-soft'],
  ['danger', 'danger-soft'],
  ['ok', 'ok-soft'],
  ['warn', 'warn-soft'],
  ['info', 'info-soft'],
  ['on-dark', 'dark'],
  ['on-dark', 'dark-2'],
  ['on-dark', 'dark-3'],
  ['on-dark-muted', 'dark-2'],
  ['#47525e', '#eceff2'], // completed badge
  ['#ffd9d4', '#5a1f1a'], // muted control
  ['#7fd6a0', 'dark-2'], // quality: good
  ['#f3c96b', 'dark-2'], // quality: fair
  ['#ff9c91', 'dark-2'], // quality: poor / lost
];

describe('styles.css palette', () => {
  it('reads the palette', () => {
    expect(vars.size).toBeGreaterThan(20);
  });

  it.each(BODY)('%s on %s meets AA for body text', (fg, bg) => {
    expect(contrast(fg, bg)).toBeGreaterThanOrEqual(4.5);
  });

  it('the focus ring stands out from light surfaces (3:1 for non-text)', () => {
    expect(contrast('focus', 'surface')).toBeGreaterThanOrEqual(3);
    expect(contrast('focus', 'bg')).toBeGreaterThanOrEqual(3);
  });
});
