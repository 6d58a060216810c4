/** The review and cancel buttons as Discord components. */
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';
import { CANCEL_LABEL, cancelButtonData, type CancelChoice } from '../shared/cancel-buttons.ts';
import { REVIEW_BUTTON_LABELS, reviewButtonData } from '../shared/review-buttons.ts';

export function reviewComponents(id: string): APIActionRowComponent<APIButtonComponent>[] {
  return [{
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Success, label: REVIEW_BUTTON_LABELS.accept, custom_id: reviewButtonData(id, 'accept') },
      { type: ComponentType.Button, style: ButtonStyle.Danger, label: REVIEW_BUTTON_LABELS.discard, custom_id: reviewButtonData(id, 'discard') },
    ],
  }];
}

export function cancelComponents(choice: CancelChoice): APIActionRowComponent<APIButtonComponent>[] {
  return [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, label: CANCEL_LABEL, custom_id: cancelButtonData(choice) }] }];
}
