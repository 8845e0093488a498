/**
 * The V8 settings every service process starts with: `npm start`, the image (Dockerfile) and the
 * benches, so that what is measured is what runs.
 *
 * A larger young generation. A 360° view read allocates about 95 KB (the reply's serialisation,
 * pg's row parsing, the sealer's hashing, the guards), so 500 reads/s allocate about 50 MB/s and,
 * with V8's default 16 MB semi-spaces on 64-bit, scavenge about 3 times a second; the reads that
 * meet a scavenge, and the queue behind it, made the read tail of light views. With 64 MB the
 * scavenges are rarer and that tail shorter (README, Status: the alternated runs). The young generation
 * takes up to three semi-spaces of memory (192 MB at 64).
 *
 * SERVICE_SEMI_SPACE_MB overrides the size (a whole number of MB, 1 to 1024).
 */
export const DEFAULT_SEMI_SPACE_MB = 64;

export function serviceNodeArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env.SERVICE_SEMI_SPACE_MB?.trim();
  const mb = raw ? Number(raw) : DEFAULT_SEMI_SPACE_MB;
  if (!Number.isInteger(mb) || mb < 1 || mb > 1024) {
    throw new Error(`SERVICE_SEMI_SPACE_MB must be a whole number of MB from 1 to 1024, got ${JSON.stringify(raw)}`);
  }
  return [`--max-semi-space-size=${mb}`];
}
