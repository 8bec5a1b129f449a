/** A ticket type's custom field as the editor shows it; the type stores them as a JSON Schema. */
export type FieldType = 'text' | 'number' | 'boolean' | 'date' | 'select';
export const FIELD_TYPES: FieldType[] = ['text', 'number', 'boolean', 'date', 'select'];

export interface CustomField {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  options: string[];
}

export const KEY_PATTERN = /^[a-z][a-zA-Z0-9_]{0,49}$/;

type Schema = Record<string, any>;

function propertyOf(field: CustomField): Schema {
  const title = field.label.trim() || field.key;
  switch (field.type) {
    case 'number':
      return { type: 'number', title };
    case 'boolean':
      return { type: 'boolean', title };
    case 'date':
      return { type: 'string', format: 'date', title };
    case 'select':
      return { type: 'string', enum: [...field.options], title };
    default:
      return { type: 'string', maxLength: 1000, title };
  }
}

/**
 * The JSON Schema of a type's fields. PostgreSQL's jsonb does not keep key order, so the fields'
 * order is kept in `x-order` (an annotation validators ignore).
 */
export function fieldsToSchema(fields: CustomField[]): Schema {
  const schema: Schema = { type: 'object', properties: Object.fromEntries(fields.map((f) => [f.key, propertyOf(f)])) };
  const required = fields.filter((f) => f.required).map((f) => f.key);
  if (required.length) schema.required = required;
  if (fields.length) schema['x-order'] = fields.map((f) => f.key);
  return schema;
}

function typeOf(property: Schema): FieldType {
  if (Array.isArray(property.enum)) return 'select';
  if (property.type === 'number' || property.type === 'integer') return 'number';
  if (property.type === 'boolean') return 'boolean';
  if (property.format === 'date') return 'date';
  return 'text';
}

/** The editor's fields of a stored schema (in `x-order`, then any other properties). */
export function schemaToFields(schema: Schema | null | undefined): CustomField[] {
  const properties = (schema?.properties ?? {}) as Record<string, Schema>;
  const required = new Set<string>(Array.isArray(schema?.required) ? (schema.required as string[]) : []);
  const order = Array.isArray(schema?.['x-order']) ? (schema['x-order'] as string[]).filter((k) => k in properties) : [];
  const keys = [...order, ...Object.keys(properties).filter((k) => !order.includes(k))];
  return keys.map((key) => {
    const p = properties[key] as Schema;
    return { key, label: typeof p.title === 'string' ? p.title : key, type: typeOf(p), required: required.has(key), options: Array.isArray(p.enum) ? p.enum.map(String) : [] };
  });
}

/** Problems the API would not see (it accepts any object schema): keys, duplicates, empty option lists. By field index and property. */
export function checkFields(fields: CustomField[]): Record<string, string> {
  const errors: Record<string, string> = {};
  fields.forEach((f, i) => {
    if (!KEY_PATTERN.test(f.key)) errors[`${i}/key`] = 'key';
    else if (fields.findIndex((g) => g.key === f.key) !== i) errors[`${i}/key`] = 'duplicate';
    if (f.type === 'select' && f.options.length === 0) errors[`${i}/options`] = 'options';
  });
  return errors;
}
