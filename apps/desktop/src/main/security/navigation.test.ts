import { describe, expect, it, vi } from 'vitest';
import type {
  GuardedContents,
  NavigationEvent,
  PreventableEvent,
  WindowOpenResponse,
} from '../electron.js';
import { attachNavigationGuards, isSafeExternalUrl } from './navigation.js';

const APP = 'bedside://app';

/** A WebContents stand-in that lets the test emit navigation events. */
function fakeContents() {
  const listeners = new Map<string, (...args: unknown[]) => void>();
  let openHandler: ((d: { url: string }) => WindowOpenResponse) | null = null;
  const contents = {
    on(event: string, listener: (...args: unknown[]) => void) {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler(h: (d: { url: string }) => WindowOpenResponse) {
      openHandler = h;
    },
  };
  const navigate = (event: string, url: string) => {
    const e: NavigationEvent & { prevented: boolean } = {
      url,
      prevented: false,
      preventDefault() {
        e.prevented = true;
      },
    };
    listeners.get(event)!(e);
    return e.prevented;
  };
  return {
    contents: contents as unknown as GuardedContents,
    navigate,
    attachWebview() {
      const e: PreventableEvent & { prevented: boolean } = {
        prevented: false,
        preventDefault() {
          e.prevented = true;
        },
      };
      listeners.get('will-attach-webview')!(e, {}, { src: 'https://evil.example' });
      return e.prevented;
    },
    open: (url: string) => openHandler!({ url }),
  };
}

function setup() {
  const shell = { openExternal: vi.fn(async () => undefined) };
  const c = fakeContents();
  attachNavigationGuards(c.contents, { appOrigin: APP, shell });
  return { ...c, shell };
}

describe('navigation guards', () => {
  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])(
    '%s to another origin is prevented; within the app it is not',
    (event) => {
      const t = setup();
      expect(t.navigate(event, 'https://evil.example/phish')).toBe(true);
      expect(t.navigate(event, 'http://localhost:5173/')).toBe(true);
      expect(t.navigate(event, 'file:///etc/passwd')).toBe(true);
      expect(t.navigate(event, 'bedside://other/index.html')).toBe(true);
      expect(t.navigate(event, 'javascript:alert(1)')).toBe(true);
      expect(t.navigate(event, `${APP}/index.html#/call`)).toBe(false);
    },
  );

  it('blocks <webview> attachment', () => {
    expect(setup().attachWebview()).toBe(true);
  });

  it('window.open is always denied; https and mailto go to the system browser', () => {
    const t = setup();
    expect(t.open('https://clinic.example/help')).toEqual({ action: 'deny' });
    expect(t.open('mailto:it@clinic.example')).toEqual({ action: 'deny' });
    expect(t.shell.openExternal.mock.calls).toEqual([
      ['https://clinic.example/help'],
      ['mailto:it@clinic.example'],
    ]);
  });

  it('never hands file:, javascript: or other schemes to the system', () => {
    const t = setup();
    for (const url of [
      'file:///C:/Windows/System32/calc.exe',
      'javascript:alert(1)',
      'smb://attacker/share',
      'ms-msdt:/id PCWDiagnostic',
      'bedside://app/index.html',
      'data:text/html,<script>alert(1)</script>',
      'not a url',
      'https://user:pass@clinic.example/',
    ]) {
      expect(t.open(url)).toEqual({ action: 'deny' });
    }
    expect(t.shell.openExternal).not.toHaveBeenCalled();
  });
});

describe('isSafeExternalUrl', () => {
  it('accepts http(s) and mailto only', () => {
    expect(isSafeExternalUrl('https://a.example')).toBe(true);
    expect(isSafeExternalUrl('http://a.example')).toBe(true);
    expect(isSafeExternalUrl('mailto:a@b.example')).toBe(true);
    expect(isSafeExternalUrl('ftp://a.example')).toBe(false);
    expect(isSafeExternalUrl('file:///tmp/x')).toBe(false);
  });
});
