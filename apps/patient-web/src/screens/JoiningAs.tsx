// DOM: "You are joining as the interpreter": a guest's role, on the screens before the call.
import { useT } from '../i18n/i18n.ts';
import type { GuestRole } from '../link/joinLink.ts';

export function JoiningAs({ role }: { role: GuestRole | null }) {
  const t = useT();
  if (role === null) return null;
  return (
    <p className="joining-as" data-testid="joining-as">
      {t('guest.joiningAs', { role })}
    </p>
  );
}
