/**
 * The ticket number in a mail's subject: `[#123] Printer is broken`. Outbound prefixes every
 * subject with the tag; inbound finds the number in a reply's subject with `numberFromSubject`
 * (the last resort after Message-ID, References and the reply-address token). The pattern is
 * `config.outbound.subjectTag`, `{number}` standing for the number.
 */
export const DEFAULT_SUBJECT_TAG = '[#{number}]';

/** The tag for a ticket number: `subjectTag(123)` → `[#123]`. */
export function subjectTag(number: number, pattern = DEFAULT_SUBJECT_TAG): string {
  return pattern.replace('{number}', String(number));
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The ticket number tagged in a subject (`Re: [#123] Title` → 123), or null. */
export function numberFromSubject(subject: string, pattern = DEFAULT_SUBJECT_TAG): number | null {
  const [before, after] = pattern.split('{number}').map((part) => escapeRegExp(part ?? ''));
  const match = new RegExp(`${before}(\\d{1,15})${after}`).exec(subject);
  return match ? Number(match[1]) : null;
}

/** One line of header text: CR/LF and other control characters become spaces (no header injection). */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** `[#123] Title`, the title made one line. */
export function taggedSubject(number: number, subject: string, pattern = DEFAULT_SUBJECT_TAG): string {
  const clean = oneLine(subject).slice(0, 900);
  return `${subjectTag(number, pattern)} ${clean}`.trim();
}
