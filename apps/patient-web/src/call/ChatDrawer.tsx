// DOM: the chat drawer. Messages come only from the service's `chat-message` events (through
// the engine's snapshot), so what the patient sees is what the doctor's side recorded.
import type { ChatMessageEvent } from '@bedside/shared';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { formatTime, useT } from '../i18n/i18n.ts';

const MAX_LENGTH = 2000;

interface Props {
  messages: readonly ChatMessageEvent[];
  ownSocketId: string | null;
  onSend: (text: string) => Promise<void>;
  onClose: () => void;
}

export function ChatDrawer({ messages, ownSocketId, onSend, onClose }: Props) {
  const t = useT();
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState(false);
  const [failed, setFailed] = useState(false);
  const logRef = useRef<HTMLDivElement | null>(null);
  const inputRef = useRef<HTMLInputElement | null>(null);

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [messages.length]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const text = draft.trim();
    if (!text || sending) return;
    setSending(true);
    setFailed(false);
    try {
      await onSend(text);
      setDraft('');
    } catch {
      setFailed(true);
    } finally {
      setSending(false);
      inputRef.current?.focus();
    }
  };

  return (
    <aside
      className="drawer"
      aria-labelledby="chat-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header>
        <h2 id="chat-title">{t('chat.title')}</h2>
        <button type="button" className="icon-btn" aria-label={t('chat.close')} onClick={onClose}>
          ×
        </button>
      </header>
      {/* role="log" on the scroller, not on the <ol>: the items stay inside a list. */}
      <div
        className="chat-log"
        ref={logRef}
        role="log"
        aria-live="polite"
        aria-label={t('chat.messages')}
      >
        <ol className="chat-list">
          {messages.length === 0 && <li className="muted">{t('chat.empty')}</li>}
          {messages.map((m) => {
            const mine = m.socketId === ownSocketId;
            return (
              <li key={m.id} className={mine ? 'msg mine' : 'msg'}>
                <span className="meta">
                  {t('chat.meta', {
                    name: mine ? t('chat.you') : m.userName,
                    time: formatTime(m.timestamp, t.locale ?? 'en'),
                  })}
                </span>
                {m.message}
              </li>
            );
          })}
        </ol>
      </div>
      <form className="chat-form" onSubmit={(e) => void submit(e)}>
        <label htmlFor="chat-input" className="visually-hidden">
          {t('chat.message')}
        </label>
        <input
          id="chat-input"
          ref={inputRef}
          value={draft}
          maxLength={MAX_LENGTH}
          autoComplete="off"
          enterKeyHint="send"
          placeholder={t('chat.placeholder')}
          aria-invalid={failed || undefined}
          aria-describedby={failed ? 'chat-error' : undefined}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" className="btn" disabled={sending || draft.trim() === ''}>
          {t('chat.send')}
        </button>
      </form>
      {failed && (
        <p id="chat-error" role="alert" className="field-error" style={{ padding: '0 16px' }}>
          {t('chat.failed')}
        </p>
      )}
    </aside>
  );
}
