// DOM: "Add interpreter / family member / clinician" on the visit: who is invited (name and
// role), each new guest's link with copy and e-mail, and removal (which revokes the link and
// takes a connected guest out of the call). Invitation happens in a dialog; inside a dialog
// already (the call's "People"), the form replaces the list instead.
import { useState, type FormEvent } from 'react';
import {
  MAX_VISIT_PEOPLE,
  UserNameSchema,
  type BedsideBridge,
  type Guest,
  type GuestRole,
} from '@bedside/shared';
import { useT } from '../i18n/i18n';
import { ErrorText } from '../ui/ErrorText';
import { LinkShare } from '../ui/LinkShare';
import { Modal } from '../ui/Modal';
import { activeGuests, GUEST_ROLES, guestMailto, roleLabel, visitFull } from './guests';
import type { GuestsState } from './useGuests';

interface Props {
  state: GuestsState;
  bridge: BedsideBridge;
  /** The appointment's time, for the e-mail. */
  when: string;
  /** Rendered inside a dialog: the form takes the list's place rather than opening another. */
  inDialog?: boolean;
}

export function GuestsPanel({ state, bridge, when, inDialog = false }: Props) {
  const t = useT();
  const [adding, setAdding] = useState(false);
  const active = activeGuests(state.guests ?? []);
  const full = visitFull(state.guests ?? []);

  const form = (
    <InviteGuestForm state={state} bridge={bridge} when={when} onDone={() => setAdding(false)} />
  );
  if (inDialog && adding) return form;

  return (
    <section className="guests" aria-labelledby="guests-title">
      <h2 id="guests-title">{t('guests.title')}</h2>
      <p className="muted small">{t('guests.intro', { max: MAX_VISIT_PEOPLE })}</p>
      {state.guests !== null && active.length === 0 && <p className="muted">{t('guests.none')}</p>}
      {active.length > 0 && (
        <ul className="guest-list" aria-label={t('guests.invited')}>
          {active.map((g) => (
            <GuestRow
              key={g.guestId}
              guest={g}
              link={state.links[g.guestId] ?? null}
              state={state}
              bridge={bridge}
              when={when}
            />
          ))}
        </ul>
      )}
      {!adding && <ErrorText message={state.error} />}
      <button
        type="button"
        className="btn"
        disabled={full || state.guests === null}
        aria-describedby={full ? 'guests-full' : undefined}
        onClick={() => {
          state.clearError();
          setAdding(true);
        }}
      >
        {t('guests.open')}
      </button>
      {full && (
        <p id="guests-full" className="muted small">
          {t('guests.full')}
        </p>
      )}
      <p className="muted small" role="status" aria-live="polite">
        {adding ? '' : (state.notice ?? '')}
      </p>
      {adding && !inDialog && (
        <Modal labelledBy="invite-title" onCancel={() => setAdding(false)}>
          {form}
        </Modal>
      )}
    </section>
  );
}

function GuestRow(props: {
  guest: Guest;
  link: string | null;
  state: GuestsState;
  bridge: BedsideBridge;
  when: string;
}) {
  const t = useT();
  const { guest, state } = props;
  const removing = state.busy.kind === 'removing' && state.busy.guestId === guest.guestId;
  const renewing = state.busy.kind === 'renewing' && state.busy.guestId === guest.guestId;
  const named = { name: guest.name, role: roleLabel(guest.role) };
  return (
    <li className="guest-row">
      <span className="guest-who">
        <span className="guest-name">{guest.name}</span>
        <span className="role-tag">{roleLabel(guest.role)}</span>
      </span>
      {props.link ? (
        <GuestLink link={props.link} guest={guest} bridge={props.bridge} when={props.when} />
      ) : (
        // Links live only in the service's answers: after a reload (or from another window)
        // the doctor asks for a new one, which revokes the earlier link.
        <button
          type="button"
          className="btn btn-small"
          disabled={state.busy.kind !== 'idle'}
          aria-label={t('guests.newLinkNamed', named)}
          aria-describedby={`${guest.guestId}-new-link-hint`}
          onClick={() => void state.renewLink(guest.guestId)}
        >
          {renewing ? t('guests.renewing') : t('guests.newLink')}
          <span id={`${guest.guestId}-new-link-hint`} hidden>
            {t('guests.newLinkHint')}
          </span>
        </button>
      )}
      <button
        type="button"
        className="btn btn-small btn-danger-outline"
        disabled={state.busy.kind !== 'idle'}
        aria-label={t('guests.removeNamed', named)}
        onClick={() => void state.remove(guest.guestId)}
      >
        {removing ? t('guests.removing') : t('guests.remove')}
      </button>
    </li>
  );
}

/** The link with copy and e-mail, as the patient's link has them. */
function GuestLink(props: { link: string; guest: Guest; bridge: BedsideBridge; when: string }) {
  const t = useT();
  return (
    <LinkShare
      bridge={props.bridge}
      link={props.link}
      label={t('guests.linkLabel', { name: props.guest.name })}
      mailto={guestMailto({
        link: props.link,
        name: props.guest.name,
        role: props.guest.role,
        when: props.when,
      })}
      className="patient-link guest-link"
      small
    />
  );
}

/** Name and role → a guest link, shown with copy and e-mail once created. */
function InviteGuestForm(props: {
  state: GuestsState;
  bridge: BedsideBridge;
  when: string;
  onDone: (created: Guest | null) => void;
}) {
  const t = useT();
  const { state } = props;
  const [name, setName] = useState('');
  const [role, setRole] = useState<GuestRole>('interpreter');
  const [nameError, setNameError] = useState<string | null>(null);
  const [created, setCreated] = useState<Guest | null>(null);
  const inviting = state.busy.kind === 'inviting';
  const link = created ? (state.links[created.guestId] ?? null) : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = UserNameSchema.safeParse(name);
    if (!parsed.success) {
      setNameError(t('guests.error.name'));
      document.getElementById('guest-name')?.focus();
      return;
    }
    setNameError(null);
    const guest = await state.invite(parsed.data, role);
    if (guest) setCreated(guest);
  };

  if (created && link) {
    return (
      <div className="form invite-guest">
        <h2 id="invite-title">{t('guests.created', { name: created.name })}</h2>
        <p className="muted small">{t('guests.linkOnce')}</p>
        <GuestLink link={link} guest={created} bridge={props.bridge} when={props.when} />
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" className="btn btn-primary" onClick={() => props.onDone(created)}>
            {t('guests.close')}
          </button>
        </div>
      </div>
    );
  }

  return (
    <form
      className="form invite-guest"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="invite-title"
    >
      <h2 id="invite-title">{t('guests.open')}</h2>
      <label htmlFor="guest-name">{t('guests.name')}</label>
      <input
        id="guest-name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        autoComplete="off"
        maxLength={80}
        required
        aria-invalid={nameError ? true : undefined}
        aria-describedby="guest-name-error"
      />
      <ErrorText id="guest-name-error" message={nameError} />
      <label htmlFor="guest-role">{t('guests.role')}</label>
      <select id="guest-role" value={role} onChange={(e) => setRole(e.target.value as GuestRole)}>
        {GUEST_ROLES.map((r) => (
          <option key={r} value={r}>
            {roleLabel(r)}
          </option>
        ))}
      </select>
      <ErrorText message={state.error} />
      <div className="dialog-actions">
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => props.onDone(null)}>
          {t('guests.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={inviting}>
          {inviting ? t('guests.inviting') : t('guests.invite')}
        </button>
      </div>
    </form>
  );
}
