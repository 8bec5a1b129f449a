import { css } from 'lit';

/**
 * The page frame the console's shell and the customer portal's share: the skip link (hidden until
 * focused), the banner's look and the product name in it. Each frame adds its own layout.
 */
export const frameStyles = css`
  .skip {
    position: absolute;
    left: var(--wa-space-s);
    top: -10rem;
    z-index: 10;
    padding: var(--wa-space-s) var(--wa-space-m);
    background: var(--wa-color-surface-raised);
  }
  .skip:focus {
    top: var(--wa-space-s);
  }
  header {
    display: flex;
    align-items: center;
    padding: var(--wa-space-s) var(--wa-space-l);
    border-bottom: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    background: var(--wa-color-surface-raised);
  }
  .brand {
    font-weight: var(--wa-font-weight-bold);
    font-size: var(--wa-font-size-l);
    color: inherit;
    text-decoration: none;
  }
  .user {
    color: var(--wa-color-text-quiet);
  }
`;
