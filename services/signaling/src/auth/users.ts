// Node: creating accounts and setting passwords, shared by dev seeding and the CLI.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { EmailSchema, RoleSchema, UserNameSchema, type Role } from '@bedside/shared';
import { AppError } from '../errors.js';
import type { MeetingStore, StoredUser } from '../store/types.js';
import { hashPassword } from './passwords.js';

export const NewPasswordSchema = z
  .string()
  .min(8, 'password must be at least 8 characters')
  .max(256, 'password must be at most 256 characters');

const NewAccountSchema = z.object({
  email: EmailSchema,
  displayName: UserNameSchema,
  role: RoleSchema,
  password: NewPasswordSchema,
});

export async function createAccount(
  store: MeetingStore,
  input: { email: string; displayName: string; role: Role; password: string },
): Promise<StoredUser> {
  const r = NewAccountSchema.safeParse(input);
  if (!r.success) {
    throw new AppError(
      'bad-request',
      r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  const { email, displayName, role, password } = r.data;
  if (await store.getUserByEmail(email))
    throw new AppError('conflict', `A user with that email already exists`);
  return store.createUser({
    id: `u-${randomUUID()}`,
    email,
    displayName,
    role,
    passwordHash: await hashPassword(password),
  });
}

export async function resetPassword(
  store: MeetingStore,
  email: string,
  password: string,
): Promise<StoredUser> {
  const pw = NewPasswordSchema.safeParse(password);
  if (!pw.success)
    throw new AppError('bad-request', pw.error.issues[0]?.message ?? 'invalid password');
  const em = EmailSchema.safeParse(email);
  const user = em.success ? await store.getUserByEmail(em.data) : null;
  if (!user) throw new AppError('not-found', 'No user with that email');
  await store.setPasswordHash(user.id, await hashPassword(pw.data));
  return user;
}
