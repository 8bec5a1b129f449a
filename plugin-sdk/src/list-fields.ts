/**
 * A value a plugin keeps per ticket that ticket lists can sort and filter by — e.g. the SLA
 * plugin's due times. The plugin owns a table with one row per ticket (`ticket_id`, `tenant_id`
 * columns) and declares the column; the kernel joins it when a list sorts by the field
 * (`GET /tickets?sort=sla.resolutionDue`) and tests it when a list filters by it
 * (`field.sla.resolutionDue.lt=<value>`), so an index on `(tenant_id, <column>)` serves both.
 */
export interface TicketListField {
  /** `<pluginId>.<name>` (letters and digits after the dot), e.g. `sla.resolutionDue`. */
  name: string;
  description: string;
  type: 'timestamp' | 'number';
  /** The plugin's table (named `<pluginId>_…`), holding `ticket_id` and `tenant_id`. */
  table: string;
  /** Its column holding the value; a ticket with no row or a null value has no value. */
  column: string;
}
