import { css } from 'lit';

/**
 * Styles of the administration screens: native form controls, tables and buttons drawn with Web
 * Awesome's tokens, so both themes keep their contrast (text on surface, brand fill with its
 * "on" colour) and every control shows the shared focus ring.
 */
export const adminStyles = css`
  :host {
    display: grid;
    gap: var(--wa-space-l);
    max-width: 72rem;
  }
  .intro,
  .quiet {
    margin: 0;
    color: var(--wa-color-text-quiet);
  }
  section {
    display: grid;
    gap: var(--wa-space-m);
  }
  form,
  .card {
    display: grid;
    gap: var(--wa-space-m);
    padding: var(--wa-space-m);
    border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    border-radius: var(--wa-border-radius-m);
    background: var(--wa-color-surface-raised);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--wa-space-m);
    align-items: end;
  }
  .row > .field {
    flex: 1 1 12rem;
  }
  .field {
    display: grid;
    gap: var(--wa-space-2xs);
    min-width: 0;
  }
  label,
  legend {
    font-weight: var(--wa-font-weight-semibold);
    font-size: var(--wa-font-size-s);
  }
  .check label {
    font-weight: var(--wa-font-weight-normal);
    font-size: var(--wa-font-size-m);
  }
  .hint {
    margin: 0;
    font-size: var(--wa-font-size-s);
    color: var(--wa-color-text-quiet);
  }
  .field-error {
    margin: 0;
    font-size: var(--wa-font-size-s);
    color: var(--wa-color-danger-on-quiet);
    font-weight: var(--wa-font-weight-semibold);
  }
  input:not([type='checkbox']),
  select,
  textarea {
    font: inherit;
    color: var(--wa-color-text-normal);
    background: var(--wa-color-surface-default);
    border: var(--wa-border-width-s) solid var(--wa-color-neutral-border-loud);
    border-radius: var(--wa-border-radius-s);
    padding: var(--wa-space-xs) var(--wa-space-s);
    min-height: 2.25rem;
    width: 100%;
  }
  input[aria-invalid='true'],
  select[aria-invalid='true'],
  textarea[aria-invalid='true'] {
    border-color: var(--wa-color-danger-border-loud);
    border-width: 2px;
  }
  input[readonly]:not([type='checkbox']),
  textarea[readonly] {
    background: var(--wa-color-neutral-fill-quiet);
  }
  input[type='checkbox'] {
    width: 1.1rem;
    height: 1.1rem;
    accent-color: var(--wa-color-brand-fill-loud);
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
  fieldset {
    margin: 0;
    padding: var(--wa-space-s) var(--wa-space-m);
    border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    border-radius: var(--wa-border-radius-s);
    display: grid;
    gap: var(--wa-space-xs);
    min-width: 0;
  }
  .check {
    display: flex;
    gap: var(--wa-space-xs);
    align-items: center;
  }
  button {
    font: inherit;
    cursor: pointer;
    padding: var(--wa-space-xs) var(--wa-space-m);
    min-height: 2.25rem;
    border-radius: var(--wa-border-radius-s);
    border: var(--wa-border-width-s) solid var(--wa-color-neutral-border-loud);
    background: var(--wa-color-surface-default);
    color: var(--wa-color-text-normal);
  }
  button.primary {
    background: var(--wa-color-brand-fill-loud);
    border-color: var(--wa-color-brand-fill-loud);
    color: var(--wa-color-brand-on-loud);
    font-weight: var(--wa-font-weight-semibold);
  }
  button.danger {
    color: var(--wa-color-danger-on-quiet);
    border-color: var(--wa-color-danger-border-loud);
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
  button:disabled {
    cursor: not-allowed;
    opacity: 0.75;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--wa-space-s);
    align-items: center;
  }
  .table-wrap {
    overflow-x: auto;
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    text-align: left;
    padding: var(--wa-space-xs) var(--wa-space-s);
    border-bottom: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    vertical-align: top;
  }
  th {
    font-size: var(--wa-font-size-s);
    color: var(--wa-color-text-quiet);
    font-weight: var(--wa-font-weight-semibold);
  }
  .tag {
    display: inline-block;
    padding: 0 var(--wa-space-xs);
    border-radius: var(--wa-border-radius-s);
    background: var(--wa-color-neutral-fill-quiet);
    color: var(--wa-color-neutral-on-quiet);
    font-size: var(--wa-font-size-s);
  }
  .problem {
    margin: 0;
    padding: var(--wa-space-s) var(--wa-space-m);
    border-radius: var(--wa-border-radius-s);
    border: var(--wa-border-width-s) solid var(--wa-color-danger-border-loud);
    background: var(--wa-color-danger-fill-quiet);
    color: var(--wa-color-danger-on-quiet);
  }
  .notice {
    margin: 0;
    padding: var(--wa-space-s) var(--wa-space-m);
    border-radius: var(--wa-border-radius-s);
    border: var(--wa-border-width-s) solid var(--wa-color-success-border-loud);
    background: var(--wa-color-success-fill-quiet);
    color: var(--wa-color-success-on-quiet);
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
`;
