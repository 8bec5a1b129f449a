import { type ErrorDetail, renderTemplate, templateProblem } from '@ticketops/plugin-sdk';

/**
 * Note, reply and notification bodies render in the SDK's isolated Handlebars environment
 * (plugin-sdk/src/templates.ts), unescaped: bodies are markdown, escaped where displayed.
 */
export function templateError(source: string, pointer: string): ErrorDetail | null {
  const problem = templateProblem(source);
  return problem ? { pointer, message: problem } : null;
}

export function render(source: string, data: Record<string, unknown>): string {
  return renderTemplate(source, data);
}
