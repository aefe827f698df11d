// Node: text encoded straight into fixed-size Buffers for streaming. Joining a batch of small
// strings and encoding the result costs more than the rows themselves at a million rows
// (the joined rope has to be flattened first); writing each piece into the chunk does not.

/** Bytes per chunk handed downstream. */
export const CHUNK_BYTES = 64 * 1024;

export class ChunkWriter {
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;

  /** Appends `text`; returns the previous chunk when it is full (to pass on), else null. */
  write(text: string): Buffer | null {
    let full: Buffer | null = null;
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    if (this.used + text.length * 3 > this.chunk.length) {
      full = this.used > 0 ? this.chunk.subarray(0, this.used) : null;
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, text.length * 3));
      this.used = 0;
    }
    this.used += this.chunk.write(text, this.used, 'utf8');
    return full;
  }

  /** What is left, or null. */
  flush(): Buffer | null {
    if (this.used === 0) return null;
    const rest = this.chunk.subarray(0, this.used);
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    return rest;
  }
}
