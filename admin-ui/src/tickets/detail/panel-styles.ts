import { css } from 'lit';

/** What the sidebar panels (links, merge and split, time) share. */
export const panelStyles = css`
  section,
  form {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--wa-space-s);
  }
  /* Form controls take the sidebar's width, never their own natural width. */
  wa-input,
  wa-select,
  to-ticket-picker {
    min-width: 0;
    width: 100%;
  }
  ul.items {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--wa-space-2xs);
  }
  ul.items li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--wa-space-2xs);
  }
  .quiet,
  .message {
    margin: 0;
    font-size: var(--wa-font-size-s);
    color: var(--wa-color-text-quiet);
  }
  .message.bad {
    color: var(--wa-color-danger-on-quiet);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--wa-space-xs);
  }
  .row > * {
    min-width: 0;
  }
  details > summary {
    cursor: pointer;
    font-weight: var(--wa-font-weight-semibold);
    padding: var(--wa-space-3xs) 0;
  }
  details[open] > summary {
    margin-bottom: var(--wa-space-xs);
  }
  fieldset.choices {
    border: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--wa-space-2xs);
  }
  fieldset.choices wa-checkbox {
    min-width: 0;
    max-width: 100%;
    overflow-wrap: anywhere;
  }
  fieldset.choices legend {
    padding: 0;
    margin-bottom: var(--wa-space-2xs);
  }
  .grow {
    flex: 1 1 8rem;
    width: auto;
  }
`;
