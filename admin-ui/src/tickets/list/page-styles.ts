import { css } from 'lit';

/** The ticket list page's layout: the views beside the list, the heading line, the "Load more" row. */
export const ticketListPageStyles = css`
  :host {
    display: grid;
    grid-template-columns: 12rem minmax(0, 1fr);
    gap: var(--wa-space-l);
  }
  .content {
    display: grid;
    gap: var(--wa-space-m);
    align-content: start;
    min-width: 0;
  }
  .heading {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: var(--wa-space-m);
  }
  .meta {
    color: var(--wa-color-text-quiet);
  }
  to-column-chooser {
    margin-inline-start: auto;
  }
  .sort-note {
    margin: 0;
    color: var(--wa-color-text-quiet);
  }
  .more {
    display: flex;
    justify-content: center;
  }
  .fresh {
    display: inline-flex;
    align-items: center;
    gap: var(--wa-space-s);
  }
  .empty {
    padding: var(--wa-space-xl);
    text-align: center;
    color: var(--wa-color-text-quiet);
  }
  @media (max-width: 60rem) {
    :host {
      grid-template-columns: 1fr;
    }
  }
`;
