import { css } from 'lit';

/** The ticket table's look: a scroll box with a sticky header, row states (selected, changed, current). */
export const ticketTableStyles = css`
  /* min-width 0: as a grid item the table may be narrower than its rows; the box scrolls sideways instead of the page. */
  :host {
    display: block;
    min-width: 0;
  }
  /* The rows scroll inside this box (the window of rows follows its scroll position); the header stays on top. */
  .scroller {
    overflow: auto;
    max-height: var(--to-ticket-table-max-height, max(20rem, calc(100vh - 14rem)));
    overflow-anchor: none;
  }
  /* Fixed layout: column widths come from the header, not from whichever rows are drawn, so a row's
     measured height stays the same wherever the window is (no re-measuring loop while scrolling). */
  table {
    width: 100%;
    min-width: 46rem;
    table-layout: fixed;
    border-collapse: collapse;
  }
  th.number {
    width: 4.5rem;
  }
  th.status,
  th.updated,
  th.field {
    width: 8rem;
  }
  th.priority {
    width: 6rem;
  }
  th.assignee {
    width: 9rem;
  }
  td {
    overflow: hidden;
    text-overflow: ellipsis;
    box-sizing: border-box;
  }
  th,
  td {
    text-align: left;
    padding: var(--wa-space-xs) var(--wa-space-s);
    border-bottom: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    vertical-align: top;
  }
  th {
    position: sticky;
    top: 0;
    z-index: 1;
    background: var(--wa-color-surface-default);
    font-size: var(--wa-font-size-s);
    color: var(--wa-color-text-quiet);
    font-weight: var(--wa-font-weight-semibold);
  }
  /* The status as Web Awesome's filled-outlined badge looks, in plain HTML: a wa-badge per drawn row
     (a custom element with its own shadow root) made scrolling through thousands of rows stutter. */
  .badge {
    display: inline-block;
    max-width: 100%;
    overflow: hidden;
    text-overflow: ellipsis;
    vertical-align: middle;
    padding: 0.125em 0.5em;
    border-radius: var(--wa-border-radius-s);
    border: var(--wa-border-width-s) solid var(--wa-color-neutral-border-normal);
    background: var(--wa-color-neutral-fill-quiet);
    color: var(--wa-color-neutral-on-quiet);
    font-size: var(--wa-font-size-xs);
    font-weight: var(--wa-font-weight-semibold);
    line-height: var(--wa-line-height-condensed);
  }
  .badge.brand {
    border-color: var(--wa-color-brand-border-normal);
    background: var(--wa-color-brand-fill-quiet);
    color: var(--wa-color-brand-on-quiet);
  }
  .badge.success {
    border-color: var(--wa-color-success-border-normal);
    background: var(--wa-color-success-fill-quiet);
    color: var(--wa-color-success-on-quiet);
  }
  .badge.warning {
    border-color: var(--wa-color-warning-border-normal);
    background: var(--wa-color-warning-fill-quiet);
    color: var(--wa-color-warning-on-quiet);
  }
  .badge.danger {
    border-color: var(--wa-color-danger-border-normal);
    background: var(--wa-color-danger-fill-quiet);
    color: var(--wa-color-danger-on-quiet);
  }
  tr.spacer td {
    padding: 0;
    border: 0;
  }
  tr.selected td {
    background: var(--wa-color-brand-fill-quiet);
  }
  /* Changed by someone else just now: a short highlight (no motion when reduced motion is asked for). */
  tr.changed td {
    animation: changed 4s ease-out;
  }
  @keyframes changed {
    from {
      background: var(--wa-color-warning-fill-normal);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    tr.changed td {
      animation: none;
      background: var(--wa-color-warning-fill-quiet);
    }
  }
  /* The keyboard cursor (j / k): a bar at the row's start, besides the link's focus ring. */
  tr.current td:first-child {
    box-shadow: inset 4px 0 0 var(--wa-color-brand-fill-loud);
  }
  .check {
    width: 2.5rem;
  }
  input[type='checkbox'] {
    width: 1.1rem;
    height: 1.1rem;
    accent-color: var(--wa-color-brand-fill-loud);
  }
  .number {
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
    color: var(--wa-color-text-quiet);
  }
  /* Fixed heights (ROW_PX, ROW_WITH_SNIPPET_PX in ticket-table.ts): one line per text, cut with an ellipsis. */
  tr.row {
    height: 44px;
  }
  tr.row.with-snippet {
    height: 64px;
  }
  tr.row td {
    white-space: nowrap;
    vertical-align: middle;
  }
  .title a,
  .snippet {
    display: block;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .title a {
    font-weight: var(--wa-font-weight-semibold);
  }
  .snippet {
    margin: var(--wa-space-3xs) 0 0;
    font-size: var(--wa-font-size-s);
    color: var(--wa-color-text-quiet);
  }
  mark {
    background: var(--wa-color-warning-fill-normal);
    color: var(--wa-color-warning-on-normal);
    border-radius: 2px;
  }
  .nowrap {
    white-space: nowrap;
  }
  th button {
    font: inherit;
    color: inherit;
    background: none;
    border: 0;
    padding: 0;
    cursor: pointer;
    text-align: inherit;
    text-decoration: underline dotted;
  }
  time.overdue {
    color: var(--wa-color-danger-on-quiet);
    font-weight: var(--wa-font-weight-semibold);
  }
`;
