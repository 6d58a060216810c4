/** Button rows and select menus as Discord components. */
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIStringSelectComponent } from 'discord.js';
import type { ButtonSpec, MenuChoice } from '../shared/feedback-buttons.ts';

const STYLES: Record<ButtonSpec['style'], ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger> = {
  primary: ButtonStyle.Primary, secondary: ButtonStyle.Secondary, success: ButtonStyle.Success, danger: ButtonStyle.Danger,
};
/** Discord's limits: labels of buttons and of menu options. */
const BUTTON_LABEL_MAX = 80;
const OPTION_LABEL_MAX = 100;

const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export function buttonComponents(rows: readonly ButtonSpec[][]): APIActionRowComponent<APIButtonComponent>[] {
  return rows.map((row) => ({
    type: ComponentType.ActionRow,
    components: row.map((button) => ({ type: ComponentType.Button, style: STYLES[button.style], label: cut(button.label, BUTTON_LABEL_MAX), custom_id: button.data })),
  }));
}

/** One select menu alone in its row (Discord allows nothing beside a select). */
export function selectComponents(customId: string, placeholder: string, choices: readonly MenuChoice[]): APIActionRowComponent<APIStringSelectComponent>[] {
  return [{
    type: ComponentType.ActionRow,
    components: [{ type: ComponentType.StringSelect, custom_id: customId, placeholder, min_values: 1, max_values: 1, options: choices.map((choice) => ({ label: cut(choice.label, OPTION_LABEL_MAX), value: choice.value })) }],
  }];
}
