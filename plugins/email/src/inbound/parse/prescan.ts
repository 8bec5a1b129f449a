/**
 * A linear pass over the raw bytes before any MIME parsing, so a MIME bomb (a million parts,
 * 10,000-deep nesting, a megabyte of headers) is refused in time proportional to its size rather
 * than to what a parser would build from it. Counts are upper bounds: every part starts at a
 * boundary line (`--…` at a line start) and every nesting level declares a `boundary=`.
 */
export interface Limits {
  maxMessageBytes: number;
  maxHeaderBytes: number;
  maxParts: number;
  maxDepth: number;
}

export type PrescanVerdict = { ok: true; headerBytes: number; boundaryLines: number } | { ok: false; reason: 'too-large' | 'header-too-large' | 'too-many-parts' | 'too-deep'; detail: Record<string, number> };

const LF_DASH_DASH = Buffer.from('\n--');
const BOUNDARY = [Buffer.from('oundary'), Buffer.from('OUNDARY')];

function headerEnd(raw: Buffer, within: number): number {
  const limit = Math.min(raw.length, within);
  for (let i = raw.indexOf(10); i >= 0 && i < limit; i = raw.indexOf(10, i + 1)) {
    if (raw[i + 1] === 10) return i + 1;
    if (raw[i + 1] === 13 && raw[i + 2] === 10) return i + 1;
  }
  return raw.length <= limit ? raw.length : -1;
}

/** Counts `needle` occurrences, giving up once `cap` is passed (the answer is then "more than cap"). */
function countUpTo(haystack: Buffer, needle: Buffer, cap: number): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) if (++n > cap) break;
  return n;
}

/** `boundary`, `Boundary` and `BOUNDARY` (without copying the bytes to lower-case them). */
function countBoundaryParams(raw: Buffer, cap: number): number {
  return BOUNDARY.reduce((n, needle) => n + countUpTo(raw, needle, cap), 0);
}

export function prescan(raw: Buffer, limits: Limits): PrescanVerdict {
  if (raw.length > limits.maxMessageBytes) return { ok: false, reason: 'too-large', detail: { size: raw.length, limit: limits.maxMessageBytes } };
  const end = headerEnd(raw, limits.maxHeaderBytes + 2);
  if (end < 0) return { ok: false, reason: 'header-too-large', detail: { limit: limits.maxHeaderBytes } };
  // Boundary lines bound the number of parts: every part opens with one (the closing one is extra).
  const boundaryLines = countUpTo(raw, LF_DASH_DASH, limits.maxParts * 2 + 2);
  if (boundaryLines > limits.maxParts * 2 + 1) return { ok: false, reason: 'too-many-parts', detail: { atLeast: boundaryLines, limit: limits.maxParts } };
  const containers = countBoundaryParams(raw, limits.maxParts + 1);
  if (containers > limits.maxParts) return { ok: false, reason: 'too-many-parts', detail: { atLeast: containers, limit: limits.maxParts } };
  return { ok: true, headerBytes: end, boundaryLines };
}
