import { SANDBOX_DEFAULT_LIMITS, SANDBOX_MAX_LIMITS, type SandboxLimits, invalidInput } from '@ticketops/plugin-sdk';

/** isolated-vm refuses isolates under 8 MB. */
const MIN_MEMORY_MB = 8;

/**
 * Per-run limits: defaults filled in, each clamped to its hard maximum. A limit that is not a
 * positive number is a caller bug and answers 400 naming the field.
 */
export function resolveLimits(requested: Partial<SandboxLimits> | undefined): SandboxLimits {
  const limits = { ...SANDBOX_DEFAULT_LIMITS };
  if (requested === undefined) return limits;
  const problems: { pointer: string; message: string }[] = [];
  for (const key of Object.keys(SANDBOX_DEFAULT_LIMITS) as (keyof SandboxLimits)[]) {
    const value = requested[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      problems.push({ pointer: `/limits/${key}`, message: 'must be a positive number' });
      continue;
    }
    limits[key] = Math.min(value, SANDBOX_MAX_LIMITS[key]);
  }
  if (problems.length > 0) throw invalidInput('Invalid sandbox limits', problems);
  limits.memoryMb = Math.max(MIN_MEMORY_MB, Math.round(limits.memoryMb));
  limits.maxHostCalls = Math.floor(limits.maxHostCalls);
  return limits;
}
