// DOM: the visit's guests as the doctor manages them: the list from the service, invitations
// (whose links exist only in the answers to the POSTs, so they are kept here for this visit),
// new links for a guest (which revoke the earlier ones) and removals. Held by the visit screen, so the lobby and the call share one state.
import { useCallback, useEffect, useState } from 'react';
import type { Guest, GuestRole } from '@bedside/shared';
import { ApiError, type ApiClient } from '../api';
import { createLogger } from '../logger';
import { t } from '../i18n/i18n';
import { errorCode } from '../ui/apiError';
import { guestErrorText } from './guests';

const log = createLogger('guests');

export type GuestBusy =
  | { kind: 'idle' }
  | { kind: 'inviting' }
  | { kind: 'removing'; guestId: string }
  | { kind: 'renewing'; guestId: string };

export interface GuestsState {
  /** null until the first answer. */
  guests: readonly Guest[] | null;
  /** guestId → join link, for guests invited from this screen. */
  links: Readonly<Record<string, string>>;
  busy: GuestBusy;
  error: string | null;
  /**
   * What the last invitation or removal did, for the status line. Kept here, not in the panel:
   * removing the last person in the call takes the doctor from the call back to the lobby.
   */
  notice: string | null;
  /** Resolves to the new guest (its link in `links`), or null when refused (see `error`). */
  invite(name: string, role: GuestRole): Promise<Guest | null>;
  remove(guestId: string): Promise<boolean>;
  /** A new link for an invited guest (into `links`); the guest's earlier links stop working. */
  renewLink(guestId: string): Promise<boolean>;
  /** Clears the error and the notice (a new action starts). */
  clearError(): void;
}

export function useGuests(api: ApiClient, roomId: string, onUnauthorized: () => void): GuestsState {
  const [guests, setGuests] = useState<readonly Guest[] | null>(null);
  const [links, setLinks] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<GuestBusy>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const fail = useCallback(
    (what: string, err: unknown) => {
      if (err instanceof ApiError && err.code === 'unauthorized') return onUnauthorized();
      log.warn(`${what}-failed`, { code: errorCode(err) });
      setError(guestErrorText(err, what === 'list' ? 'list' : 'change'));
    },
    [onUnauthorized],
  );

  useEffect(() => {
    let cancelled = false;
    api.listGuests(roomId).then(
      (items) => {
        if (!cancelled) setGuests(items);
      },
      (err: unknown) => {
        if (cancelled) return;
        setGuests([]);
        fail('list', err);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, roomId, fail]);

  const invite = useCallback(
    async (name: string, role: GuestRole) => {
      setBusy({ kind: 'inviting' });
      setError(null);
      setNotice(null);
      try {
        const { guest, joinUrl } = await api.inviteGuest(roomId, { name, role });
        setGuests((g) => [...(g ?? []), guest]);
        setLinks((l) => ({ ...l, [guest.guestId]: joinUrl }));
        setNotice(t('guests.created', { name: guest.name }));
        return guest;
      } catch (err) {
        fail('invite', err);
        // Full although this screen counted room: someone invited from elsewhere (another
        // window, the API). Show who is really invited, so the doctor can remove one.
        if (err instanceof ApiError && err.code === 'conflict') {
          await api.listGuests(roomId).then(setGuests, () => undefined);
        }
        return null;
      } finally {
        setBusy({ kind: 'idle' });
      }
    },
    [api, roomId, fail],
  );

  const remove = useCallback(
    async (guestId: string) => {
      setBusy({ kind: 'removing', guestId });
      setError(null);
      setNotice(null);
      try {
        const removed = await api.removeGuest(roomId, guestId);
        setGuests((g) => (g ?? []).map((x) => (x.guestId === guestId ? removed : x)));
        setLinks(({ [guestId]: _gone, ...rest }) => rest);
        setNotice(t('guests.removed', { name: removed.name }));
        return true;
      } catch (err) {
        fail('remove', err);
        return false;
      } finally {
        setBusy({ kind: 'idle' });
      }
    },
    [api, roomId, fail],
  );

  const renewLink = useCallback(
    async (guestId: string) => {
      setBusy({ kind: 'renewing', guestId });
      setError(null);
      setNotice(null);
      try {
        const { guest, joinUrl } = await api.renewGuestLink(roomId, guestId);
        setLinks((l) => ({ ...l, [guest.guestId]: joinUrl }));
        setNotice(t('guests.renewed', { name: guest.name }));
        return true;
      } catch (err) {
        fail('renew', err);
        // Removed meanwhile (elsewhere): show who is really invited.
        if (err instanceof ApiError && err.code === 'conflict') {
          await api.listGuests(roomId).then(setGuests, () => undefined);
        }
        return false;
      } finally {
        setBusy({ kind: 'idle' });
      }
    },
    [api, roomId, fail],
  );

  const clearError = useCallback(() => {
    setError(null);
    setNotice(null);
  }, []);
  return { guests, links, busy, error, notice, invite, remove, renewLink, clearError };
}
