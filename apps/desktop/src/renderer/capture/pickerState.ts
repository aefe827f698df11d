// Pure: the screen-share picker's state machine (`CapturePickerState` from the IPC contract).
import type { CapturePickRequest, CapturePickerState, CaptureSource } from '@bedside/shared';

export type PickerTab = 'screen' | 'window';

export type PickerAction =
  | { type: 'request'; request: CapturePickRequest; platform: string }
  | { type: 'tab'; tab: PickerTab }
  | { type: 'select'; id: string }
  | { type: 'move'; key: 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown'; columns: number }
  | { type: 'close' };

export const CLOSED: CapturePickerState = { kind: 'closed' };

export const sourcesOf = (request: CapturePickRequest, tab: PickerTab): CaptureSource[] =>
  request.sources.filter((s) => s.kind === tab);

export function pickerReducer(state: CapturePickerState, action: PickerAction): CapturePickerState {
  switch (action.type) {
    case 'request': {
      // Main marks a missing macOS Screen Recording permission; no source at all (a Wayland
      // portal cancelled) means the same to the doctor. Explain instead of an empty grid.
      if (action.request.blocked !== undefined || action.request.sources.length === 0)
        return { kind: 'permission-denied', platform: action.platform };
      const tab: PickerTab = sourcesOf(action.request, 'screen').length > 0 ? 'screen' : 'window';
      return {
        kind: 'open',
        request: action.request,
        tab,
        selectedId: sourcesOf(action.request, tab)[0]?.id ?? null,
      };
    }
    case 'tab': {
      if (state.kind !== 'open' || state.tab === action.tab) return state;
      return {
        ...state,
        tab: action.tab,
        selectedId: sourcesOf(state.request, action.tab)[0]?.id ?? null,
      };
    }
    case 'select': {
      if (state.kind !== 'open') return state;
      const found = sourcesOf(state.request, state.tab).some((s) => s.id === action.id);
      return found ? { ...state, selectedId: action.id } : state;
    }
    case 'move': {
      if (state.kind !== 'open') return state;
      const list = sourcesOf(state.request, state.tab);
      if (list.length === 0) return state;
      const at = Math.max(
        0,
        list.findIndex((s) => s.id === state.selectedId),
      );
      const step = {
        ArrowLeft: -1,
        ArrowRight: 1,
        ArrowUp: -Math.max(1, action.columns),
        ArrowDown: Math.max(1, action.columns),
      }[action.key];
      const next = Math.min(list.length - 1, Math.max(0, at + step));
      return { ...state, selectedId: list[next]!.id };
    }
    case 'close':
      return CLOSED;
  }
}
