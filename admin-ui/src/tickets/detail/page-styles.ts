import { css } from 'lit';

/** The detail page's layout: head, conversation and sidebar side by side, one column on narrow screens. */
export const detailPageStyles = css`
  :host {
    display: grid;
    grid-template-columns: minmax(0, 1fr) 20rem;
    grid-template-areas: 'head head' 'talk side';
    gap: var(--wa-space-l);
    align-items: start;
  }
  .head {
    grid-area: head;
    display: grid;
    gap: var(--wa-space-xs);
  }
  .title {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--wa-space-s);
  }
  .number {
    color: var(--wa-color-text-quiet);
    font-weight: var(--wa-font-weight-normal);
  }
  .presence {
    display: flex;
    flex-wrap: wrap;
    gap: var(--wa-space-xs);
    margin: 0;
    font-size: var(--wa-font-size-s);
  }
  .presence .replying {
    font-weight: var(--wa-font-weight-semibold);
    color: var(--wa-color-warning-on-quiet);
    background: var(--wa-color-warning-fill-quiet);
    border: var(--wa-border-width-s) solid var(--wa-color-warning-border-quiet);
    border-radius: var(--wa-border-radius-pill);
    padding: 0 var(--wa-space-xs);
  }
  .presence .viewing {
    color: var(--wa-color-text-quiet);
  }
  .live {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--wa-space-xs) var(--wa-space-m);
  }
  .live-note {
    margin: 0;
    font-size: var(--wa-font-size-s);
    color: var(--wa-color-text-quiet);
  }
  .talk {
    grid-area: talk;
    display: grid;
    gap: var(--wa-space-m);
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--wa-space-m);
  }
  /* Messages out of view are neither laid out nor painted until scrolled near (a ticket shows 100 at once). */
  ol > li {
    content-visibility: auto;
    contain-intrinsic-size: auto 8rem;
  }
  .description {
    border-left: var(--wa-border-width-l) solid var(--wa-color-brand-border-normal);
    padding: var(--wa-space-s) var(--wa-space-m);
    background: var(--wa-color-surface-lowered);
    border-radius: var(--wa-border-radius-m);
  }
  .description .markdown {
    margin: var(--wa-space-xs) 0 0;
  }
  .history {
    border-top: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    padding-top: var(--wa-space-s);
  }
  .history > summary {
    cursor: pointer;
    font-family: var(--wa-font-family-heading);
    font-size: var(--wa-font-size-l);
    font-weight: var(--wa-font-weight-semibold);
  }
  aside > :is(to-ticket-details-form, to-ticket-links, to-ticket-merge-split, to-ticket-time) {
    display: block;
    margin-top: var(--wa-space-l);
    padding-top: var(--wa-space-m);
    border-top: var(--wa-border-width-s) solid var(--wa-color-surface-border);
  }
  .meta {
    color: var(--wa-color-text-quiet);
    font-size: var(--wa-font-size-s);
  }
  aside {
    grid-area: side;
    min-width: 0;
    padding: var(--wa-space-m);
    border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    border-radius: var(--wa-border-radius-l);
    background: var(--wa-color-surface-raised);
  }
  @media (max-width: 60rem) {
    :host {
      grid-template-columns: 1fr;
      grid-template-areas: 'head' 'side' 'talk';
    }
    aside {
      padding: var(--wa-space-s);
    }
  }
`;
