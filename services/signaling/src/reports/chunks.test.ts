import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, ChunkWriter } from './chunks.js';

describe('ChunkWriter', () => {
  it('hands on bounded chunks that concatenate to exactly the UTF-8 of what was written', () => {
    const out = new ChunkWriter();
    const pieces = Array.from({ length: 20_000 }, (_, i) => `${i},Müller 😀,"x"\r\n`);
    const chunks: Buffer[] = [];
    for (const p of pieces) {
      const full = out.write(p);
      if (full) chunks.push(Buffer.from(full));
    }
    const rest = out.flush();
    if (rest) chunks.push(Buffer.from(rest));
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(CHUNK_BYTES);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(pieces.join(''));
    expect(out.flush()).toBeNull();
  });

  it('takes a piece larger than a chunk whole', () => {
    const out = new ChunkWriter();
    expect(out.write('a')).toBeNull();
    const big = 'é'.repeat(CHUNK_BYTES);
    expect(out.write(big)!.toString()).toBe('a');
    expect(out.flush()!.toString()).toBe(big);
  });
});
