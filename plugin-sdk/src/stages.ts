/**
 * Named tap stages. Lower runs earlier; plugins pick one of these, never a raw number,
 * so that the order between plugins stays readable and stable.
 */
export const STAGE = Object.freeze({
  /** Checks that must see the input before anyone changes it. */
  VALIDATE: -100,
  /** The default for most taps. */
  DEFAULT: 0,
  /** Adds derived data (SLA due dates, detected language…). */
  ENRICH: 100,
  /** Observes the final value (auditing, metrics). */
  AUDIT: 1000,
});

export type Stage = (typeof STAGE)[keyof typeof STAGE];
