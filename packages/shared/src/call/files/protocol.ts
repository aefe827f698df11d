// Pure: the file-transfer protocol spoken over one RTCDataChannel between two peers, and the
// rules both ends enforce (size limit, type allowlist, content sniffing). Nothing here touches
// the service: files go peer to peer, and only metadata is reported for the audit.
//
// Wire: control messages are JSON text; file bytes are binary messages. One channel carries one
// outgoing stream at a time (transfers queue), so a binary message always belongs to the
// transfer named by the last `start` from that side — no per-chunk header needed.
//
//   sender                         receiver
//   offer {id,name,size,type,sha256} →
//                                  ← accept {id} | decline {id,reason}
//   start {id} → chunks… → end {id} →
//                                  ← done {id, ok}     (after the SHA-256 check)
//   cancel {id, reason} either way, at any time before done.
import { z } from 'zod/mini';

/** 25 MB: a phone photo or a scanned PDF, never a video. */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;
/**
 * 16 KiB: the largest message every browser pair accepts without fragmentation trouble
 * (https://lgrahl.de/articles/demystifying-webrtc-dc-size-limit.html).
 */
export const CHUNK_BYTES = 16 * 1024;
/** Stop queueing above this many buffered bytes and wait for `bufferedamountlow`. */
export const HIGH_WATER_BYTES = 1024 * 1024;
/** `bufferedAmountLowThreshold`: resume below this. */
export const LOW_WATER_BYTES = 256 * 1024;
export const MAX_FILE_NAME = 200;

/** The types a visit needs: photos (incl. iPhone HEIC), PDFs, plain text instructions. */
export const ALLOWED_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'image/heif',
  'application/pdf',
  'text/plain',
] as const;
export type AllowedType = (typeof ALLOWED_TYPES)[number];
export const AllowedTypeSchema = z.enum(ALLOWED_TYPES);

/** For `<input accept>`. */
export const ACCEPT_ATTRIBUTE = [...ALLOWED_TYPES, '.heic', '.heif', '.txt', '.pdf'].join(',');

// Browsers leave `File.type` empty for HEIC on most systems; the extension is all there is.
const BY_EXTENSION: Record<string, AllowedType> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  txt: 'text/plain',
};

export type FileRefusal = 'too-large' | 'empty' | 'type-not-allowed' | 'content-mismatch';

/** The MIME type to send for a picked file, or null when it is not allowed. */
export function fileTypeOf(file: { type: string; name: string }): AllowedType | null {
  const declared = file.type.split(';')[0]!.trim().toLowerCase();
  const parsed = AllowedTypeSchema.safeParse(declared);
  if (parsed.success) return parsed.data;
  if (declared !== '' && declared !== 'application/octet-stream') return null;
  const ext = /\.([A-Za-z0-9]+)$/.exec(file.name)?.[1]?.toLowerCase();
  return ext ? (BY_EXTENSION[ext] ?? null) : null;
}

/** Size and type rules, checked by the sender before offering and by the receiver on offer. */
export function checkFileMeta(meta: { size: number; type: string }): FileRefusal | null {
  if (!AllowedTypeSchema.safeParse(meta.type).success) return 'type-not-allowed';
  if (meta.size > MAX_FILE_BYTES) return 'too-large';
  if (meta.size <= 0) return 'empty';
  return null;
}

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * Does the content look like its declared type? Checked by the receiver before a file is
 * offered for saving, so a renamed executable is not saved as `photo.jpg`.
 */
export function contentMatchesType(head: Uint8Array, type: AllowedType): boolean {
  switch (type) {
    case 'image/jpeg':
      return startsWith(head, [0xff, 0xd8, 0xff]);
    case 'image/png':
      return startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'image/webp':
      return startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8);
    case 'image/heic':
    case 'image/heif':
      // ISO-BMFF: a box size, then `ftyp`, then a HEIF brand.
      return (
        startsWith(head, ascii('ftyp'), 4) &&
        ['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].some((brand) =>
          startsWith(head, ascii(brand), 8),
        )
      );
    case 'application/pdf':
      return startsWith(head, ascii('%PDF-'));
    case 'text/plain':
      // Text has no NUL bytes (UTF-8, ASCII); binaries almost always do in their first KB.
      return !head.includes(0);
    default: {
      const never: never = type;
      return never;
    }
  }
}

const IdSchema = z.string().check(z.minLength(8), z.maxLength(64), z.regex(/^[A-Za-z0-9-]+$/));
const Sha256Schema = z.string().check(z.regex(/^[0-9a-f]{64}$/));
export const RefusalSchema = z.enum(['too-large', 'empty', 'type-not-allowed', 'content-mismatch']);
export const CancelReasonSchema = z.enum([
  'cancelled',
  'closed',
  'integrity',
  'too-large',
  'protocol',
]);
export type CancelReason = z.infer<typeof CancelReasonSchema>;
export const DeclineReasonSchema = z.union([z.literal('declined'), RefusalSchema]);
export type DeclineReason = z.infer<typeof DeclineReasonSchema>;

export const FileMessageSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('offer'),
    id: IdSchema,
    name: z.string().check(z.minLength(1), z.maxLength(MAX_FILE_NAME)),
    size: z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER)),
    // Any string here: the receiver answers a disallowed type with a decline, not silence.
    type: z.string().check(z.maxLength(128)),
    sha256: Sha256Schema,
  }),
  z.object({ t: z.literal('accept'), id: IdSchema }),
  z.object({ t: z.literal('decline'), id: IdSchema, reason: DeclineReasonSchema }),
  z.object({ t: z.literal('start'), id: IdSchema }),
  z.object({ t: z.literal('end'), id: IdSchema }),
  z.object({ t: z.literal('done'), id: IdSchema, ok: z.boolean() }),
  z.object({ t: z.literal('cancel'), id: IdSchema, reason: CancelReasonSchema }),
]);
export type FileMessage = z.infer<typeof FileMessageSchema>;

/** Parses one text message; null for anything that is not a valid protocol message. */
export function parseFileMessage(text: string): FileMessage | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = FileMessageSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** Lower-case hex SHA-256 with WebCrypto (browsers, Electron, Node ≥ 20). */
export async function sha256Hex(data: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', data as BufferSource);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
