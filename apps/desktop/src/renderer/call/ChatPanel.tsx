// DOM: text chat during the visit. New messages are announced (role="log").
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { MAX_CHAT_LENGTH, type ChatMessageEvent } from '@bedside/shared';
import { useT } from '../i18n/i18n';
import { formatTime } from '../ui/format';

export function ChatPanel(props: {
  messages: readonly ChatMessageEvent[];
  ownSocketId: string | null;
  onSend: (text: string) => Promise<void>;
  disabled: boolean;
}) {
  const t = useT();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = listRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [props.messages.length]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const message = text.trim();
    if (!message) return;
    setSending(true);
    setError(null);
    try {
      await props.onSend(message);
      setText('');
    } catch {
      setError(t('chat.error.send'));
    } finally {
      setSending(false);
    }
  };

  return (
    <section className="chat" aria-labelledby="chat-title">
      <h2 id="chat-title">{t('chat.title')}</h2>
      {/* The log scrolls; the list inside keeps list semantics (role="log" on the <ol> itself
          would leave its items outside any list). */}
      <div
        ref={listRef}
        className="chat-log"
        role="log"
        aria-live="polite"
        aria-relevant="additions"
      >
        <ol className="chat-list">
          {props.messages.length === 0 && (
            <li className="muted small chat-empty">{t('chat.empty')}</li>
          )}
          {props.messages.map((m) => {
            const own = m.socketId === props.ownSocketId;
            return (
              <li key={m.id} className={own ? 'chat-msg own' : 'chat-msg'}>
                <span className="chat-meta">
                  {t('chat.meta', {
                    who: own ? t('chat.you') : m.userName,
                    time: formatTime(m.timestamp),
                  })}
                </span>
                <span className="chat-text">{m.message}</span>
              </li>
            );
          })}
        </ol>
      </div>
      <form className="chat-form" onSubmit={(e) => void submit(e)}>
        <label htmlFor="chat-input" className="sr-only">
          {t('chat.message')}
        </label>
        <input
          id="chat-input"
          value={text}
          maxLength={MAX_CHAT_LENGTH}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('chat.message')}
          autoComplete="off"
          disabled={props.disabled}
        />
        <button
          type="submit"
          className="btn btn-primary"
          disabled={props.disabled || sending || text.trim() === ''}
        >
          {t('chat.send')}
        </button>
      </form>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
