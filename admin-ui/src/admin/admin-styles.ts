import { css } from 'lit';
import { formStyles } from '../shell/form-styles.ts';

/**
 * Styles of the administration screens: the console's form styles (native controls, tables and
 * buttons drawn with Web Awesome's tokens, so both themes keep their contrast) with the screens'
 * roomier spacing and what only they use — read-only fields, code, link buttons, tags, tables that
 * scroll and drop optional columns on a phone.
 */
export const adminStyles = [
  formStyles,
  css`
    :host {
      gap: var(--wa-space-l);
      max-width: 72rem;
    }
    .intro,
    .quiet {
      margin: 0;
      color: var(--wa-color-text-quiet);
      font-size: inherit;
    }
    section {
      display: grid;
      gap: var(--wa-space-m);
    }
    input:where(:not([type='checkbox'], [type='radio'])),
    select,
    textarea {
      padding: var(--wa-space-xs) var(--wa-space-s);
    }
    input[readonly]:not([type='checkbox']),
    textarea[readonly] {
      background: var(--wa-color-neutral-fill-quiet);
    }
    textarea.code,
    pre {
      font-family: var(--wa-font-family-code, monospace);
      font-size: var(--wa-font-size-s);
    }
    pre {
      margin: 0;
      padding: var(--wa-space-s);
      overflow: auto;
      max-height: 24rem;
      background: var(--wa-color-surface-lowered, var(--wa-color-surface-default));
      border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
      border-radius: var(--wa-border-radius-s);
    }
    button {
      padding: var(--wa-space-xs) var(--wa-space-m);
    }
    button.link {
      border: 0;
      background: none;
      padding: 0;
      min-height: 0;
      text-align: start;
      color: var(--wa-color-text-link, var(--wa-color-brand-on-quiet));
      text-decoration: underline;
    }
    .table-wrap {
      overflow-x: auto;
    }
    th,
    td {
      padding: var(--wa-space-xs) var(--wa-space-s);
    }
    .tag {
      display: inline-block;
      padding: 0 var(--wa-space-xs);
      border-radius: var(--wa-border-radius-s);
      background: var(--wa-color-neutral-fill-quiet);
      color: var(--wa-color-neutral-on-quiet);
      font-size: var(--wa-font-size-s);
    }
    @media (max-width: 40rem) {
      .row {
        display: grid;
      }
      th.optional,
      td.optional {
        display: none;
      }
    }
  `,
];
