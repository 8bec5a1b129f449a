import type { EntityManager } from '@mikro-orm/sql';
import { type SandboxService, type Scope, invalidInput } from '@ticketops/plugin-sdk';
import { slaCalendarsOf } from '../engine/context.ts';
import { type ReferenceServices, referenceErrors } from '../model/references.ts';
import { type RuleDefinition, type RuleInput, definitionOf } from '../model/rule.ts';
import { kindErrors, ruleShapeErrors } from '../model/validate.ts';

/** The kernel's sandbox, once it is wired in (`null` until then: script rules are refused). */
export function sandboxOf(scope: Pick<Scope, 'resolve'>): SandboxService | null {
  try {
    return scope.resolve<SandboxService>('sandbox');
  } catch {
    return null;
  }
}

export function referenceServices(scope: Scope): ReferenceServices {
  const calendars = slaCalendarsOf(scope);
  return { sandbox: sandboxOf(scope), hasCalendar: calendars ? (em, tenantId, id) => calendars.exists(em, tenantId, id) : null, integrations: false };
}

/**
 * Validates a new rule (`base` absent) or a change of one (merged onto `base`, the latest version),
 * and returns the definition to store. Throws a 400 listing every problem by JSON pointer.
 */
export async function checkRule(scope: Scope, em: EntityManager, input: unknown, prefix: string, base?: RuleDefinition): Promise<{ input: Partial<RuleInput>; definition: RuleDefinition }> {
  const shape = ruleShapeErrors(input, prefix, base ? 'change' : 'create');
  if (shape.length) throw invalidInput('The rule is not valid', shape);
  const rule = input as Partial<RuleInput>;
  if (base && rule.kind !== undefined && rule.kind !== base.kind) throw invalidInput('The rule is not valid', [{ pointer: `${prefix}/kind`, message: 'cannot be changed; create a new rule' }]);
  const definition = definitionOf(rule, base);
  const kind = kindErrors(definition as Partial<RuleInput>, prefix);
  if (kind.length) throw invalidInput('The rule is not valid', kind);
  const refs = await referenceErrors(scope, em, definition, prefix, referenceServices(scope));
  if (refs.length) throw invalidInput('The rule is not valid', refs);
  return { input: rule, definition };
}
