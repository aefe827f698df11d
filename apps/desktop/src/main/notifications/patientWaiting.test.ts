import { describe, expect, it, vi } from 'vitest';
import { PatientWaitingNotifier, type AttentionWindow } from './patientWaiting.js';

function setup(platform: NodeJS.Platform, focused = false) {
  const shown: Array<{ title: string; body: string }> = [];
  const clicks: Array<() => void> = [];
  const badge = vi.fn(() => true);
  const win: AttentionWindow = {
    isDestroyed: () => false,
    isFocused: () => focused,
    flashFrame: vi.fn(),
    show: vi.fn(),
    focus: vi.fn(),
  };
  const notifier = new PatientWaitingNotifier({
    notifications: {
      isSupported: () => true,
      create: (o) => ({
        show: () => shown.push({ title: o.title, body: o.body }),
        on: (_e, listener) => clicks.push(listener),
      }),
    },
    setBadgeCount: badge,
    mainWindow: () => win,
    platform,
  });
  return { notifier, shown, clicks, badge, win };
}

describe('patient waiting notifications', () => {
  it('announces an arrival without any name, and sets the badge', () => {
    const t = setup('darwin');
    t.notifier.update(1);
    expect(t.shown).toEqual([{ title: 'Bedside', body: 'A patient is waiting.' }]);
    expect(t.badge).toHaveBeenLastCalledWith(1);
    t.notifier.update(2);
    expect(t.shown.at(-1)?.body).toBe('2 patients are waiting.');
  });

  it('is silent when the count goes down, and clears the badge at zero', () => {
    const t = setup('linux');
    t.notifier.update(2);
    t.notifier.update(1);
    t.notifier.update(0);
    expect(t.shown).toHaveLength(1);
    expect(t.badge).toHaveBeenLastCalledWith(0);
  });

  it('flashes the taskbar on Windows while unfocused, and stops at zero', () => {
    const t = setup('win32');
    t.notifier.update(1);
    expect(t.win.flashFrame).toHaveBeenLastCalledWith(true);
    t.notifier.update(0);
    expect(t.win.flashFrame).toHaveBeenLastCalledWith(false);
    const other = setup('darwin');
    other.notifier.update(1);
    expect(other.win.flashFrame).not.toHaveBeenCalled();
  });

  it('clicking the notification brings the window forward', () => {
    const t = setup('linux');
    t.notifier.update(1);
    t.clicks[0]!();
    expect(t.win.show).toHaveBeenCalled();
    expect(t.win.focus).toHaveBeenCalled();
  });
});
