import { describe, expect, it } from 'vitest';
import { parseRange } from '../routes/range.ts';
import { EXE, PNG } from '../testing/helpers.ts';
import { contentDisposition, safeName, servedContentType, sniff } from './sniff.ts';

describe('sniffing from the first bytes', () => {
  it('recognises magic numbers, text, markup and opaque bytes', async () => {
    expect(await sniff(PNG)).toEqual({ mime: 'image/png', ext: 'png' });
    expect((await sniff(EXE)).mime).toBe('application/x-msdownload');
    expect(await sniff(Buffer.from('plain words, ünïcode\n'))).toEqual({ mime: 'text/plain', ext: 'txt' });
    expect((await sniff(Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).mime).toBe('image/svg+xml');
    expect((await sniff(Buffer.from('  <!DOCTYPE html><p>hi'))).mime).toBe('text/html');
    expect(await sniff(Buffer.from([0, 1, 2, 0xff, 0xfe]))).toEqual({ mime: 'application/octet-stream', ext: 'bin' });
  });
});

describe('safe names', () => {
  const png = { mime: 'image/png', ext: 'png' };
  const txt = { mime: 'text/plain', ext: 'txt' };
  it.each([
    ['../../etc/passwd', txt, 'passwd.txt'],
    ['C:\\Windows\\evil.exe', png, 'evil.png'],
    ['photo.JPEG', { mime: 'image/jpeg', ext: 'jpg' }, 'photo.jpeg'],
    ['report.csv', txt, 'report.csv'],
    ['script.sh', txt, 'script.txt'],
    ['', png, 'file.png'],
    ['...', png, 'file.png'],
    ['a\u0000b\u202e.png', png, 'ab.png'],
    [`${'x'.repeat(300)}.png`, png, `${'x'.repeat(120)}.png`],
  ])('%j → %s', (input, sniffed, expected) => {
    expect(safeName(input, sniffed)).toBe(expected);
  });

  it('offers names as attachments, with an ASCII fallback', () => {
    expect(contentDisposition('ré"sumé;.pdf')).toBe(`attachment; filename="r__sum__.pdf"; filename*=UTF-8''r%C3%A9%22sum%C3%A9%3B.pdf`);
    expect(servedContentType('image/svg+xml')).toBe('application/octet-stream');
    expect(servedContentType('text/html')).toBe('application/octet-stream');
    expect(servedContentType('image/png')).toBe('image/png');
  });
});

describe('byte ranges', () => {
  it.each([
    [undefined, null],
    ['bytes=0-9', { start: 0, end: 9 }],
    ['bytes=90-', { start: 90, end: 99 }],
    ['bytes=-10', { start: 90, end: 99 }],
    ['bytes=95-200', { start: 95, end: 99 }],
    ['bytes=100-', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=0-1,5-6', null],
    ['items=0-1', null],
  ])('%s', (header, expected) => {
    expect(parseRange(header, 100)).toEqual(expected);
  });
});
