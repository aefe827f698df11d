// DOM: Bedside's own screen-share picker. Main sends a pick request while `getDisplayMedia`
// waits; the doctor's choice (or a cancel) answers it by request id.
import { useEffect, useReducer, useRef, useState, type KeyboardEvent } from 'react';
import type { BedsideBridge, CapturePickerState } from '@bedside/shared';
import { useT, type MessageId, type T } from '../i18n/i18n';
import { createLogger } from '../logger';
import { Modal } from '../ui/Modal';
import { CLOSED, pickerReducer, sourcesOf, type PickerTab } from './pickerState';

const log = createLogger('screen-picker');

const TABS: { id: PickerTab; label: MessageId }[] = [
  { id: 'screen', label: 'picker.tab.screen' },
  { id: 'window', label: 'picker.tab.window' },
];

export function ScreenPicker({ bridge, platform }: { bridge: BedsideBridge; platform: string }) {
  const t = useT();
  const [state, dispatch] = useReducer(pickerReducer, CLOSED);
  const [audio, setAudio] = useState(false);
  const stateRef = useRef<CapturePickerState>(state);
  useEffect(() => {
    stateRef.current = state;
  }, [state]);

  useEffect(
    () =>
      bridge.capture.onPickRequest((request) => {
        const current = stateRef.current;
        // A newer request supersedes one still open: answer the old one so it never hangs.
        if (current.kind === 'open')
          void bridge.capture.choose({
            requestId: current.request.requestId,
            sourceId: null,
            audio: false,
          });
        // Nothing can be chosen: answer at once so `getDisplayMedia` rejects instead of hanging.
        if (request.blocked !== undefined || request.sources.length === 0)
          void bridge.capture.choose({
            requestId: request.requestId,
            sourceId: null,
            audio: false,
          });
        setAudio(false);
        dispatch({ type: 'request', request, platform });
      }),
    [bridge, platform],
  );

  // Main answered the request itself (timed out, app quitting): close what is still showing it.
  useEffect(
    () =>
      bridge.capture.onPickCancelled?.((cancel) => {
        const current = stateRef.current;
        if (current.kind === 'open' && current.request.requestId === cancel.requestId)
          dispatch({ type: 'close' });
      }),
    [bridge],
  );

  const answer = (sourceId: string | null) => {
    if (state.kind !== 'open') return;
    const requestId = state.request.requestId;
    dispatch({ type: 'close' });
    void bridge.capture
      .choose({ requestId, sourceId, audio: sourceId !== null && audio })
      .then((r) => {
        if (!r.ok) log.warn('choose-failed', { code: r.error.code });
      });
  };

  if (state.kind === 'closed') return null;
  if (state.kind === 'permission-denied')
    return (
      <Modal labelledBy="picker-title" onCancel={() => dispatch({ type: 'close' })}>
        <h2 id="picker-title">{t('picker.blocked.title')}</h2>
        <p>{permissionHelp(state.platform, t)}</p>
        <div className="dialog-actions">
          {state.platform === 'darwin' && bridge.capture.openPermissionSettings && (
            <button
              type="button"
              className="btn"
              onClick={() => void bridge.capture.openPermissionSettings?.()}
            >
              {t('picker.blocked.openSettings')}
            </button>
          )}
          <span className="spacer" />
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => dispatch({ type: 'close' })}
          >
            {t('picker.blocked.ok')}
          </button>
        </div>
      </Modal>
    );
  return (
    <OpenPicker
      state={state}
      audio={audio}
      onAudio={setAudio}
      dispatch={dispatch}
      onShare={() => answer(state.selectedId)}
      onCancel={() => answer(null)}
    />
  );
}

function OpenPicker(props: {
  state: Extract<CapturePickerState, { kind: 'open' }>;
  audio: boolean;
  onAudio: (audio: boolean) => void;
  dispatch: (a: Parameters<typeof pickerReducer>[1]) => void;
  onShare: () => void;
  onCancel: () => void;
}) {
  const t = useT();
  const { state, dispatch } = props;
  const gridRef = useRef<HTMLDivElement>(null);
  const sources = sourcesOf(state.request, state.tab);

  useEffect(() => {
    gridRef.current?.focus();
  }, [state.tab]);

  useEffect(() => {
    if (state.selectedId === null) return;
    document.getElementById(optionId(state.selectedId))?.scrollIntoView({ block: 'nearest' });
  }, [state.selectedId]);

  const columns = () => {
    const grid = gridRef.current;
    if (!grid) return 1;
    return getComputedStyle(grid).gridTemplateColumns.split(' ').filter(Boolean).length || 1;
  };

  const onGridKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (
      e.key === 'ArrowLeft' ||
      e.key === 'ArrowRight' ||
      e.key === 'ArrowUp' ||
      e.key === 'ArrowDown'
    ) {
      e.preventDefault();
      dispatch({ type: 'move', key: e.key, columns: columns() });
    } else if (e.key === 'Enter' && state.selectedId !== null) {
      e.preventDefault();
      props.onShare();
    }
  };

  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const next: PickerTab = state.tab === 'screen' ? 'window' : 'screen';
    dispatch({ type: 'tab', tab: next });
    document.getElementById(`picker-tab-${next}`)?.focus();
  };

  return (
    <Modal labelledBy="picker-title" onCancel={props.onCancel} wide>
      <h2 id="picker-title">{t('picker.title')}</h2>
      <div role="tablist" aria-label={t('picker.sourceType')} className="tabs" onKeyDown={onTabKey}>
        {TABS.map((tab) => (
          <button
            key={tab.id}
            id={`picker-tab-${tab.id}`}
            type="button"
            role="tab"
            aria-selected={state.tab === tab.id}
            aria-controls="picker-panel"
            tabIndex={state.tab === tab.id ? 0 : -1}
            className="tab"
            onClick={() => dispatch({ type: 'tab', tab: tab.id })}
          >
            {t('picker.tabCount', {
              label: t(tab.label),
              count: sourcesOf(state.request, tab.id).length,
            })}
          </button>
        ))}
      </div>
      <div id="picker-panel" role="tabpanel" aria-labelledby={`picker-tab-${state.tab}`}>
        {sources.length === 0 ? (
          <p className="muted">
            {state.tab === 'screen' ? t('picker.noScreens') : t('picker.noWindows')}
          </p>
        ) : (
          <div
            ref={gridRef}
            role="listbox"
            aria-label={state.tab === 'screen' ? t('picker.tab.screen') : t('picker.tab.window')}
            aria-activedescendant={state.selectedId ? optionId(state.selectedId) : undefined}
            tabIndex={0}
            className="source-grid"
            onKeyDown={onGridKey}
          >
            {sources.map((s) => (
              <div
                key={s.id}
                id={optionId(s.id)}
                role="option"
                aria-selected={s.id === state.selectedId}
                className="source"
                onClick={() => dispatch({ type: 'select', id: s.id })}
                onDoubleClick={() => {
                  dispatch({ type: 'select', id: s.id });
                  props.onShare();
                }}
              >
                <img src={s.thumbnail} alt="" className="source-thumb" />
                <span className="source-name">
                  {s.appIcon && <img src={s.appIcon} alt="" className="source-icon" />}
                  {s.name}
                </span>
              </div>
            ))}
          </div>
        )}
      </div>
      <div className="dialog-actions">
        {state.request.audioAvailable && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={props.audio}
              onChange={(e) => props.onAudio(e.target.checked)}
            />
            {t('picker.systemAudio')}
          </label>
        )}
        <span className="spacer" />
        <button type="button" className="btn" onClick={props.onCancel}>
          {t('picker.cancel')}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={state.selectedId === null}
          onClick={props.onShare}
        >
          {t('picker.share')}
        </button>
      </div>
    </Modal>
  );
}

// Source ids (`screen:0:0`, `window:1234:0`) contain colons, fine for ids but not for CSS.
const optionId = (sourceId: string) => `source-${sourceId.replace(/[^\w-]/g, '_')}`;

function permissionHelp(platform: string, t: T): string {
  if (platform === 'darwin') return t('picker.blocked.mac');
  if (platform === 'linux') return t('picker.blocked.linux');
  return t('picker.blocked.other');
}
