import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { emailPlugin } from '../index.ts';
import { replyAddress, replyToken, tenantKey, ticketIdFromToken, tokenFromAddress } from './reply-token.ts';

let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: emailPlugin }] });
});
afterAll(async () => {
  await t?.close();
});

describe('reply-address tokens', () => {
  it('name the ticket under the tenant key, and nothing else', async () => {
    const em = t.kernel.db.em.fork();
    const key = await tenantKey(em as never, 'ten_default');
    expect(await tenantKey(em as never, 'ten_default')).toEqual(key); // made once, then shared
    const ticketId = 'tkt_01jh5x7q9m3k2r8t6v4w0y1z2a';
    const token = replyToken(key, ticketId);
    const address = replyAddress('support@example.com', token);
    expect(address).toMatch(/^support\+[0-9a-z]{26}-[a-z2-7]{10}@example\.com$/);
    expect(ticketIdFromToken(key, tokenFromAddress(address) as string)).toBe(ticketId);
    // Another ticket's ULID with this MAC, a changed MAC, another key: not ours.
    expect(ticketIdFromToken(key, token.replace(/^0/, '1'))).toBeNull();
    expect(ticketIdFromToken(key, `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`)).toBeNull();
    expect(ticketIdFromToken(Buffer.alloc(32, 7), token)).toBeNull();
    expect(ticketIdFromToken(key, 'garbage')).toBeNull();
    expect(tokenFromAddress('support@example.com')).toBeNull();
  });
});
