import { css } from 'lit';

/** What the portal's pages share: the page column, cards, the status badge, form layout, messages in words. */
export const pageStyles = css`
  :host {
    display: block;
  }
  .page {
    display: grid;
    gap: var(--wa-space-l);
  }
  .card {
    padding: var(--wa-space-m);
    border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    border-radius: var(--wa-border-radius-l);
    background: var(--wa-color-surface-raised);
  }
  form {
    display: grid;
    gap: var(--wa-space-m);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--wa-space-s);
  }
  .quiet {
    color: var(--wa-color-text-quiet);
    font-size: var(--wa-font-size-s);
  }
  p {
    margin: 0;
  }
  .status {
    display: inline-block;
    padding: var(--wa-space-3xs) var(--wa-space-s);
    border-radius: var(--wa-border-radius-pill);
    font-size: var(--wa-font-size-s);
    font-weight: var(--wa-font-weight-semibold);
    white-space: nowrap;
    color: var(--wa-color-brand-on-quiet);
    background: var(--wa-color-brand-fill-quiet);
  }
  .status[data-category='pending'] {
    color: var(--wa-color-warning-on-quiet);
    background: var(--wa-color-warning-fill-quiet);
  }
  .status[data-category='solved'],
  .status[data-category='closed'] {
    color: var(--wa-color-success-on-quiet);
    background: var(--wa-color-success-fill-quiet);
  }
`;
