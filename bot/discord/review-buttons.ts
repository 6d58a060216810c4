/** "Accept all" / "Discard" under an image search's review sheet: the custom id names the pending set and the decision. */
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';
import { pendingReviewId, type JobAnswer } from '../../workers/results.ts';

const CUSTOM_ID = /^review:([0-9a-f]{8}):(accept|discard)$/;

export function reviewComponents(answer: JobAnswer): APIActionRowComponent<APIButtonComponent>[] | undefined {
  const id = pendingReviewId(answer);
  if (id === undefined) return undefined;
  return [{
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Success, label: 'Accept all', custom_id: `review:${id}:accept` },
      { type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Discard', custom_id: `review:${id}:discard` },
    ],
  }];
}

export function parseReviewButton(customId: string): { id: string; action: 'accept' | 'discard' } | undefined {
  const match = CUSTOM_ID.exec(customId);
  const id = match?.[1];
  const action = match?.[2];
  return id === undefined || (action !== 'accept' && action !== 'discard') ? undefined : { id, action };
}
