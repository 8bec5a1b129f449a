import { css } from 'lit';

/** Styles every console element shares: box sizing, focus ring, links, the visually hidden helper. */
export const sharedStyles = css`
  :host {
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: var(--wa-focus-ring, 3px solid var(--wa-color-focus, #0071ec));
    outline-offset: var(--wa-focus-ring-offset, 2px);
  }
  a {
    color: var(--wa-color-text-link, var(--wa-color-brand-on-quiet));
  }
  h1,
  h2,
  h3 {
    font-family: var(--wa-font-family-heading);
    line-height: var(--wa-line-height-condensed, 1.2);
    margin: 0;
  }
  h1 {
    font-size: var(--wa-font-size-xl);
  }
  h2 {
    font-size: var(--wa-font-size-l);
  }
  h3 {
    font-size: var(--wa-font-size-m);
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .hidden-label::part(form-control-label) {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  /* A compact control with its label beside it (header tools). */
  .inline-label::part(form-control) {
    display: flex;
    align-items: center;
    gap: var(--wa-space-xs);
  }
  .inline-label::part(form-control-label) {
    margin: 0;
    font-size: var(--wa-font-size-s);
    color: var(--wa-color-text-quiet);
    white-space: nowrap;
  }
  .inline-label::part(form-control-input) {
    min-width: 7.5rem;
  }
  .icon {
    vertical-align: -0.125em;
  }
`;
