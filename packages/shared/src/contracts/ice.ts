// Pure: GET /api/ice-servers, which the call engine parses in the browser, so zod/mini.
import { z } from 'zod/mini';

export const IceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.optional(z.string()),
  credential: z.optional(z.string()),
});
export const IceServersResponseSchema = z.object({
  iceServers: z.array(IceServerSchema),
  /** Seconds the TURN credentials stay valid; null when STUN only. */
  ttlSeconds: z.nullable(z.number()),
});
export type IceServersResponse = z.infer<typeof IceServersResponseSchema>;
