/** MIME bombs for tests and the bench: each is refused before (or while) parsing, in bounded time. */
const head = (contentType: string) => `From: bomber@evil.test\r\nTo: support@help.test\r\nSubject: bomb\r\nMessage-ID: <bomb-${Math.random().toString(36).slice(2)}@evil.test>\r\nMIME-Version: 1.0\r\nContent-Type: ${contentType}\r\n\r\n`;

/** `parts` sibling parts in one multipart. */
export function manyParts(parts: number): Buffer {
  const part = '--x\r\nContent-Type: text/plain\r\n\r\na\r\n';
  return Buffer.from(head('multipart/mixed; boundary="x"') + part.repeat(parts) + '--x--\r\n');
}

/** Multiparts nested `depth` levels deep. */
export function deepNesting(depth: number): Buffer {
  let body = '';
  for (let i = 0; i < depth; i++) body += `--b${i}\r\nContent-Type: multipart/mixed; boundary="b${i + 1}"\r\n\r\n`;
  return Buffer.from(head('multipart/mixed; boundary="b0"') + body + 'x\r\n');
}

/** A header block of `bytes` (one long folded header). */
export function hugeHeader(bytes: number): Buffer {
  const line = `X-Filler: ${'a'.repeat(990)}\r\n`;
  return Buffer.from(`From: bomber@evil.test\r\n${line.repeat(Math.ceil(bytes / line.length))}Subject: big\r\n\r\nbody\r\n`);
}
