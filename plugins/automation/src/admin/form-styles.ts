/**
 * The console's form styles (shared with the other plugins' panels, `@ticketops/admin-ui/plugin-api`),
 * then what the rule builder adds: nested condition groups, the trace's true/false, code.
 */
import { css, formStyles as consoleFormStyles } from '@ticketops/admin-ui/plugin-api';

export const formStyles = [
  consoleFormStyles,
  css`
  .nested {
    border-inline-start: 3px solid var(--wa-color-brand-border-normal, var(--wa-color-surface-border));
    padding-inline-start: var(--wa-space-s);
    display: grid;
    gap: var(--wa-space-xs);
  }
  .predicate {
    display: grid;
    gap: var(--wa-space-2xs);
  }
  .true {
    color: var(--wa-color-success-on-quiet);
  }
  .false {
    color: var(--wa-color-danger-on-quiet);
  }
  code,
  textarea.code {
    font-family: var(--wa-font-family-code, monospace);
    font-size: var(--wa-font-size-s);
  }
  textarea {
    min-height: 6rem;
  }
  textarea.code {
    min-height: 16rem;
  }
  textarea.code.short {
    min-height: 4rem;
  }
  button.link {
    border: none;
    background: none;
    padding: 0;
    min-height: auto;
    color: var(--wa-color-brand-on-quiet);
    text-decoration: underline;
  }
  h4 {
    margin: 0;
  }
  .trace ul {
    margin: 0;
    padding-inline-start: var(--wa-space-l);
  }
  `,
];
