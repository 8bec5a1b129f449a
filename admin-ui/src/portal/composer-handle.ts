import type { ComposerHandle, ComposerParticipant } from '@ticketops/plugin-sdk/admin.ts';

type SentMessage = Parameters<NonNullable<ComposerParticipant['afterSend']>>[0];

/**
 * What a portal form hands its `portal.composer` panels — the same `ComposerHandle` as the
 * console's `ticket.composer` (drop target, insert, participate) — and how the form runs the
 * participants around sending. Each step answers the participants' errors in words, joined
 * (empty when all went well).
 */
export class PortalComposer {
  readonly #participants = new Set<ComposerParticipant>();
  readonly handle: ComposerHandle;

  /** `form`: the element files are dropped onto; `insert`: puts text into the message. */
  constructor(form: () => HTMLElement, insert: (text: string) => void) {
    const participants = this.#participants;
    this.handle = {
      get dropTarget() {
        return form();
      },
      insert,
      participate(participant) {
        participants.add(participant);
        return () => participants.delete(participant);
      },
    };
  }

  /** Before the message is sent (uploads still running are waited for; a failed one refuses the send). */
  beforeSend(): Promise<string> {
    return this.#run((participant) => participant.beforeSend?.());
  }

  /**
   * Once the message exists. For a new request the message is the ticket's description, handed
   * over as `{ id: <ticket id>, ticketId: <ticket id> }` (docs/portal.md).
   */
  afterSend(message: SentMessage): Promise<string> {
    return this.#run((participant) => participant.afterSend?.(message));
  }

  async #run(step: (participant: ComposerParticipant) => Promise<void> | undefined): Promise<string> {
    const results = await Promise.allSettled([...this.#participants].map((participant) => step(participant)));
    return results
      .filter((result): result is PromiseRejectedResult => result.status === 'rejected')
      .map((result) => (result.reason as Error)?.message ?? String(result.reason))
      .join(' ');
  }
}

/** Appends text to a message field as a paragraph of its own (the portal shows messages as plain text). */
export function appendText(field: HTMLTextAreaElement | null, text: string): void {
  if (!field) return;
  field.value = field.value ? `${field.value.replace(/\s+$/, '')}\n\n${text}` : text;
}
