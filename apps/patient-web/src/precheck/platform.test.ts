import { describe, expect, it } from 'vitest';
import { levelFor } from './connectionCheck.ts';
import { permissionSteps, platformFamily } from './platform.ts';
import { validateName } from './validateName.ts';
import { en } from '../i18n/catalogs/en.ts';

const english = (ids: readonly (keyof typeof en)[]) => ids.map((id) => en[id]).join(' ');
const nameProblem = (raw: string) => {
  const id = validateName(raw);
  return id === null ? null : en[id];
};

const UA = {
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  ipadDesktopMode:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  android:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  windows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  linux: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
};

describe('platformFamily', () => {
  it('recognises phones, iPads asking for the desktop site, and desktops', () => {
    expect(platformFamily(UA.iphone, 5)).toBe('ios');
    expect(platformFamily(UA.ipadDesktopMode, 5)).toBe('ios');
    expect(platformFamily(UA.ipadDesktopMode, 0)).toBe('mac');
    expect(platformFamily(UA.android, 5)).toBe('android');
    expect(platformFamily(UA.windows, 0)).toBe('windows');
    expect(platformFamily(UA.linux, 0)).toBe('other');
  });
});

describe('permissionSteps', () => {
  it('names the settings each platform actually has', () => {
    expect(english(permissionSteps('denied', 'ios'))).toMatch(/Settings app, then Safari › Camera/);
    expect(english(permissionSteps('denied', 'android'))).toMatch(/lock icon.*Permissions/);
    expect(english(permissionSteps('denied', 'mac'))).toMatch(/Privacy & Security › Camera/);
    expect(english(permissionSteps('denied', 'windows'))).toMatch(/Privacy & security › Camera/);
  });
  it('has guidance for every problem on every platform', () => {
    for (const problem of ['denied', 'missing', 'in-use', 'insecure', 'unknown'] as const) {
      for (const family of ['ios', 'android', 'mac', 'windows', 'other'] as const) {
        expect(permissionSteps(problem, family).length).toBeGreaterThan(0);
      }
    }
  });
});

describe('validateName', () => {
  it('requires a name of at most 80 printable characters', () => {
    expect(nameProblem('  Ana  ')).toBeNull();
    expect(nameProblem('José Müller-Øst')).toBeNull();
    expect(nameProblem('')).toMatch(/enter your name/);
    expect(nameProblem('   ')).toMatch(/enter your name/);
    expect(nameProblem('x'.repeat(80))).toBeNull();
    expect(nameProblem('x'.repeat(81))).toMatch(/at most \{max\}/);
    expect(nameProblem('Ana\u0007')).toMatch(/letters/);
  });
});

describe('levelFor', () => {
  it('grades a round trip', () => {
    expect(levelFor(40)).toBe('good');
    expect(levelFor(299)).toBe('good');
    expect(levelFor(300)).toBe('fair');
    expect(levelFor(999)).toBe('fair');
    expect(levelFor(1000)).toBe('poor');
  });
});
