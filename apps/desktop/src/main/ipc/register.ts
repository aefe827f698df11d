// Main process. One `ipcMain.handle` per channel. Each handler checks the sender, then parses
// its input with the channel's zod schema; every outcome is a `Result` value, so nothing thrown
// in main ever crosses IPC (Electron would forward the message text to the renderer).

import { fail, type Result } from '@bedside/shared';
import type { IpcInvokeEventLike, IpcMainLike } from '../electron.js';
import { createLogger } from '../logger.js';
import { checkSender, type SenderPolicy } from './senderCheck.js';

const log = createLogger('ipc');

/** A zod schema, as far as we use it (safeParse); kept structural to avoid importing zod here. */
export interface InputSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: unknown };
}

export interface IpcHandler<I, O> {
  /** `null`: the channel takes no argument. */
  input: InputSchema<I> | null;
  run(input: I, event: IpcInvokeEventLike): Promise<Result<O>> | Result<O>;
}

/** Helper that keeps input and output types tied together. */
export function handler<I, O>(
  input: InputSchema<I> | null,
  run: (input: I, event: IpcInvokeEventLike) => Promise<Result<O>> | Result<O>,
): IpcHandler<I, O> {
  return { input, run };
}

export type HandlerMap = Record<string, IpcHandler<never, unknown>>;

export async function dispatch(
  channel: string,
  entry: IpcHandler<never, unknown>,
  policy: SenderPolicy,
  event: IpcInvokeEventLike,
  args: unknown[],
): Promise<Result<unknown>> {
  const sender = checkSender(event, policy);
  if (!sender.ok) {
    log.warn('ipc sender refused', { channel, reason: sender.reason });
    return fail('forbidden', 'This window may not call Bedside.');
  }
  let input: unknown = undefined;
  if (entry.input === null) {
    if (args.length > 0 && !(args.length === 1 && args[0] === undefined)) {
      return fail('bad-request', `${channel} takes no argument`);
    }
  } else {
    if (args.length !== 1) return fail('bad-request', `${channel} takes exactly one argument`);
    const parsed = entry.input.safeParse(args[0]);
    if (!parsed.success) {
      log.info('ipc input refused', { channel });
      return fail('bad-request', `Invalid input for ${channel}`);
    }
    input = parsed.data;
  }
  try {
    return await entry.run(input as never, event);
  } catch (error) {
    log.error('ipc handler failed', { channel, error });
    return fail('internal', 'Something went wrong in the Bedside app.');
  }
}

export function registerIpcHandlers(
  ipcMain: IpcMainLike,
  policy: SenderPolicy,
  handlers: HandlerMap,
): () => void {
  for (const [channel, entry] of Object.entries(handlers)) {
    ipcMain.handle(channel, (event, ...args) => dispatch(channel, entry, policy, event, args));
  }
  return () => {
    for (const channel of Object.keys(handlers)) ipcMain.removeHandler(channel);
  };
}
