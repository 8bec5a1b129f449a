import { describe, expect, it } from 'vitest';
import { htmlToText, replyText } from './body.ts';

describe('reply text', () => {
  it('cuts Gmail history ("On … wrote:")', () => {
    const text = 'Works now, thanks!\n\nOn Mon, Nov 30, 2026 at 5:00 AM Support <support@help.test> wrote:\n> Please try again.\n';
    expect(replyText(text, undefined)).toEqual({ visible: 'Works now, thanks!', full: text });
  });

  it('cuts Apple Mail history ("On …, at …, … wrote:") and the "Sent from my iPhone" signature', () => {
    const text = 'Still broken.\n\nSent from my iPhone\n\n> On 30 Nov 2026, at 05:00, Support <support@help.test> wrote:\n> \n> Please restart.\n';
    expect(replyText(text, undefined).visible).toBe('Still broken.');
  });

  it('cuts Outlook history without an address in brackets (From:/Sent:) and "-----Original Message-----"', () => {
    expect(replyText('New info.\n\nFrom: Support Desk\nSent: Monday, November 30, 2026 05:00\nTo: Carla\nSubject: RE: x\n\nold\n', undefined).visible).toBe('New info.');
    expect(replyText('Another.\n\n-----Original Message-----\nFrom: a\nold\n', undefined).visible).toBe('Another.');
  });

  it('keeps the whole text when everything looks quoted (a mail is never emptied)', () => {
    expect(replyText('> only a quote\n', undefined).visible).toBe('> only a quote');
  });

  it('reduces HTML to text: no scripts, styles, images or comments; Gmail quote dropped; entities decoded', () => {
    const html = '<style>b{}</style><p>A &amp; B &lt;ok&gt; &#x263A;</p><!-- <p>hidden</p> --><img src="http://x/t.gif"><script>evil()</script><div class="gmail_quote">On x wrote: history</div>';
    expect(htmlToText(html)).toBe('A & B <ok> ☺');
  });
});
