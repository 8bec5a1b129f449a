import { css } from 'lit';
import { sharedStyles } from './shared-styles.ts';

/**
 * Forms in plugin panels and settings screens: the console's shared styles (box sizing, focus ring,
 * headings, visually hidden), then native controls drawn with Web Awesome's tokens, so both themes
 * keep their contrast. Exported to plugins through `plugin-api.ts`.
 */
export const formStyles = [
  sharedStyles,
  css`
  :host {
    display: grid;
    gap: var(--wa-space-m);
  }
  p {
    margin: 0;
  }
  .quiet,
  .hint {
    color: var(--wa-color-text-quiet);
    font-size: var(--wa-font-size-s);
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
  .check {
    display: flex;
    gap: var(--wa-space-xs);
    align-items: center;
  }
  .check label {
    font-weight: var(--wa-font-weight-normal);
    font-size: var(--wa-font-size-m);
  }
  .field-error {
    margin: 0;
    font-size: var(--wa-font-size-s);
    color: var(--wa-color-danger-on-quiet);
    font-weight: var(--wa-font-weight-semibold);
  }
  /* Zero-specificity base, so the size classes below (.clock, .minutes, .date) win. */
  input:where(:not([type='checkbox'], [type='radio'])),
  select,
  textarea {
    font: inherit;
    color: var(--wa-color-text-normal);
    background: var(--wa-color-surface-default);
    border: var(--wa-border-width-s) solid var(--wa-color-neutral-border-loud);
    border-radius: var(--wa-border-radius-s);
    padding: var(--wa-space-2xs) var(--wa-space-xs);
    min-height: 2.25rem;
    width: 100%;
  }
  .actions select,
  td select {
    width: auto;
  }
  td .actions {
    flex-wrap: nowrap;
    gap: var(--wa-space-2xs);
  }
  input[type='radio'] {
    width: 1.1rem;
    height: 1.1rem;
    margin: 0;
    accent-color: var(--wa-color-brand-fill-loud);
  }
  input.clock {
    width: 5.5rem;
  }
  input.minutes {
    width: 5.5rem;
  }
  input.date {
    width: auto;
  }
  input.grow {
    width: auto;
    flex: 1 1 10rem;
  }
  [aria-invalid='true'] {
    border-color: var(--wa-color-danger-border-loud) !important;
    border-width: 2px !important;
  }
  input[type='checkbox'] {
    width: 1.1rem;
    height: 1.1rem;
    accent-color: var(--wa-color-brand-fill-loud);
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
  button {
    font: inherit;
    cursor: pointer;
    padding: var(--wa-space-2xs) var(--wa-space-s);
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
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    text-align: left;
    padding: var(--wa-space-2xs) var(--wa-space-xs);
    border-bottom: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    vertical-align: top;
  }
  th {
    font-size: var(--wa-font-size-s);
    color: var(--wa-color-text-quiet);
    font-weight: var(--wa-font-weight-semibold);
  }
  .problem,
  .notice {
    margin: 0;
    padding: var(--wa-space-s) var(--wa-space-m);
    border-radius: var(--wa-border-radius-s);
    border: var(--wa-border-width-s) solid var(--wa-color-danger-border-loud);
    background: var(--wa-color-danger-fill-quiet);
    color: var(--wa-color-danger-on-quiet);
  }
  .notice {
    border-color: var(--wa-color-success-border-loud);
    background: var(--wa-color-success-fill-quiet);
    color: var(--wa-color-success-on-quiet);
  }
  .preview {
    color: var(--wa-color-text-normal);
    font-size: var(--wa-font-size-s);
  }
`,
];
