import { TicketOpsError } from '@ticketops/plugin-sdk';

/** PostgreSQL unique violations on our name indexes become a 409 naming the field. */
export async function uniqueName<T>(work: () => Promise<T>, what: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '23505' || /unique|duplicate key/i.test((error as Error).message ?? '')) {
      throw new TicketOpsError('conflict', `A ${what} with this name already exists`, { details: [{ pointer: '/body/name', message: 'is already used' }] });
    }
    throw error;
  }
}
