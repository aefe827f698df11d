import { describe, expect, it } from 'vitest';
import type { CapturePickRequest, CaptureSource } from '@bedside/shared';
import { CLOSED, pickerReducer } from './pickerState';

const src = (id: string, kind: 'screen' | 'window'): CaptureSource => ({
  id,
  name: id,
  kind,
  thumbnail: 'data:image/png;base64,',
  appIcon: null,
});
const request = (sources: CaptureSource[]): CapturePickRequest => ({
  requestId: '6f1c1b7e-3f4d-4c1a-9a8e-0b7f2e9d1a11',
  sources,
  audioAvailable: false,
});

const screensAndWindows = request([
  src('screen:1', 'screen'),
  src('screen:2', 'screen'),
  src('window:1', 'window'),
  src('window:2', 'window'),
  src('window:3', 'window'),
  src('window:4', 'window'),
  src('window:5', 'window'),
]);

describe('pickerReducer', () => {
  it('opens on the screens tab with the first screen selected', () => {
    const s = pickerReducer(CLOSED, {
      type: 'request',
      request: screensAndWindows,
      platform: 'linux',
    });
    expect(s).toMatchObject({ kind: 'open', tab: 'screen', selectedId: 'screen:1' });
  });

  it('opens on windows when there is no screen', () => {
    const s = pickerReducer(CLOSED, {
      type: 'request',
      request: request([src('window:9', 'window')]),
      platform: 'linux',
    });
    expect(s).toMatchObject({ kind: 'open', tab: 'window', selectedId: 'window:9' });
  });

  it('reports a refused permission when the OS lists no source', () => {
    const s = pickerReducer(CLOSED, { type: 'request', request: request([]), platform: 'darwin' });
    expect(s).toEqual({ kind: 'permission-denied', platform: 'darwin' });
  });

  it('reports the missing macOS permission main flags', () => {
    const s = pickerReducer(CLOSED, {
      type: 'request',
      request: { ...request([]), blocked: 'screen-permission' },
      platform: 'darwin',
    });
    expect(s.kind).toBe('permission-denied');
  });

  it('switching tabs selects the first source of that tab', () => {
    const open = pickerReducer(CLOSED, {
      type: 'request',
      request: screensAndWindows,
      platform: 'x',
    });
    const s = pickerReducer(open, { type: 'tab', tab: 'window' });
    expect(s).toMatchObject({ tab: 'window', selectedId: 'window:1' });
  });

  it('arrow keys move through the grid and stop at its edges', () => {
    let s = pickerReducer(CLOSED, { type: 'request', request: screensAndWindows, platform: 'x' });
    s = pickerReducer(s, { type: 'tab', tab: 'window' });
    s = pickerReducer(s, { type: 'move', key: 'ArrowDown', columns: 3 });
    expect(s).toMatchObject({ selectedId: 'window:4' });
    s = pickerReducer(s, { type: 'move', key: 'ArrowRight', columns: 3 });
    expect(s).toMatchObject({ selectedId: 'window:5' });
    s = pickerReducer(s, { type: 'move', key: 'ArrowRight', columns: 3 });
    expect(s).toMatchObject({ selectedId: 'window:5' });
    s = pickerReducer(s, { type: 'move', key: 'ArrowUp', columns: 3 });
    expect(s).toMatchObject({ selectedId: 'window:2' });
    s = pickerReducer(s, { type: 'move', key: 'ArrowLeft', columns: 3 });
    s = pickerReducer(s, { type: 'move', key: 'ArrowLeft', columns: 3 });
    expect(s).toMatchObject({ selectedId: 'window:1' });
  });

  it('ignores a selection from another tab', () => {
    const open = pickerReducer(CLOSED, {
      type: 'request',
      request: screensAndWindows,
      platform: 'x',
    });
    expect(pickerReducer(open, { type: 'select', id: 'window:2' })).toBe(open);
  });

  it('closes', () => {
    const open = pickerReducer(CLOSED, {
      type: 'request',
      request: screensAndWindows,
      platform: 'x',
    });
    expect(pickerReducer(open, { type: 'close' })).toEqual({ kind: 'closed' });
  });
});
