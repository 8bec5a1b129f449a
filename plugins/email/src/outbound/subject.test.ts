import { describe, expect, it } from 'vitest';
import { ownAddressGuard } from './loop-guard.ts';
import { outboundConfigSchema } from './config.ts';
import { numberFromSubject, subjectTag, taggedSubject } from './subject.ts';

describe('subject tag', () => {
  it('tags and finds the ticket number, with the default and a custom pattern', () => {
    expect(subjectTag(123)).toBe('[#123]');
    expect(numberFromSubject('Re: AW: [#123] Printer')).toBe(123);
    expect(numberFromSubject('Printer #123')).toBeNull();
    expect(subjectTag(7, 'Ticket#{number}:')).toBe('Ticket#7:');
    expect(numberFromSubject('Fwd: Ticket#77: x', 'Ticket#{number}:')).toBe(77);
    expect(numberFromSubject('Fwd: [#77] x', 'Ticket#{number}:')).toBeNull();
    expect(taggedSubject(5, 'Hi\r\nBcc: x@example.com\u0000')).toBe('[#5] Hi Bcc: x@example.com');
  });
});

describe('loop guard', () => {
  it('knows our own mailboxes, their +token forms and configured inboxes, case-insensitively', () => {
    const config = {
      from: { address: 'support@example.com', name: 'S', replyAddress: 'reply@example.com' },
      tenants: { ten_other: { address: 'help@other.example', name: 'O' } },
      ownAddresses: ['inbox@example.com'],
    } as never;
    const isOwn = ownAddressGuard(config);
    for (const own of ['support@example.com', 'Reply+abc-def@Example.com', 'help+x@other.example', 'INBOX@example.com']) expect(isOwn(own)).toBe(true);
    for (const other of ['customer@example.com', 'support@example.org', 'support+x@other.example']) expect(isOwn(other)).toBe(false);
    expect(outboundConfigSchema.properties).toHaveProperty('ownAddresses');
  });
});
