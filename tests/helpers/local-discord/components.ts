/**
 * Discord's rules for message components, as its API refuses them (400, code 50035 "Invalid Form Body"): at most 5
 * action rows; a row holds up to 5 buttons or exactly one select menu; custom ids up to 100 characters; button labels
 * up to 80; a select menu has 1 to 25 options, labels and values up to 100, values unique, min/max values 0–25.
 * (discord.com/developers/docs/components/reference)
 */
import { DiscordError } from './rest-error.ts';

const BUTTON = 2;
const STRING_SELECT = 3;

type Json = Record<string, unknown>;

function invalid(where: string, why: string): DiscordError {
  return new DiscordError(400, 50035, `Invalid Form Body (${where}: ${why})`);
}

function checkCustomId(component: Json, where: string): void {
  const id = component.custom_id;
  if (typeof id !== 'string' || id.length === 0 || id.length > 100) throw invalid(`${where}.custom_id`, 'must be 1 to 100 characters');
}

function checkSelect(select: Json, where: string): void {
  checkCustomId(select, where);
  const options = Array.isArray(select.options) ? (select.options as Json[]) : [];
  if (options.length < 1 || options.length > 25) throw invalid(`${where}.options`, 'must have 1 to 25 options');
  const values = options.map((option, index) => {
    const { label, value } = option;
    if (typeof label !== 'string' || label.length < 1 || label.length > 100) throw invalid(`${where}.options.${index}.label`, 'must be 1 to 100 characters');
    if (typeof value !== 'string' || value.length < 1 || value.length > 100) throw invalid(`${where}.options.${index}.value`, 'must be 1 to 100 characters');
    return value;
  });
  if (new Set(values).size !== values.length) throw invalid(`${where}.options`, 'values must be unique');
  for (const field of ['min_values', 'max_values'] as const) {
    const count = select[field];
    if (count !== undefined && (typeof count !== 'number' || count < 0 || count > 25)) throw invalid(`${where}.${field}`, 'must be 0 to 25');
  }
}

export function checkComponents(components: unknown): void {
  if (components === undefined) return;
  if (!Array.isArray(components) || components.length > 5) throw invalid('components', 'at most 5 action rows');
  (components as Json[]).forEach((row, rowIndex) => {
    const where = `components.${rowIndex}`;
    const children = Array.isArray(row.components) ? (row.components as Json[]) : [];
    if (row.type !== 1 || children.length === 0) throw invalid(where, 'an action row with components');
    const selects = children.filter((child) => child.type === STRING_SELECT);
    if (selects.length > 0 && children.length > 1) throw invalid(where, 'a select menu must be alone in its row');
    if (children.length > 5) throw invalid(where, 'at most 5 buttons in a row');
    children.forEach((child, index) => {
      if (child.type === STRING_SELECT) checkSelect(child, `${where}.components.${index}`);
      else if (child.type === BUTTON) {
        if (child.style !== 5) checkCustomId(child, `${where}.components.${index}`);
        if (typeof child.label === 'string' && child.label.length > 80) throw invalid(`${where}.components.${index}.label`, 'at most 80 characters');
      } else throw invalid(`${where}.components.${index}.type`, 'unknown component type');
    });
  });
}

/** The select menu a user picks from: it must be on the message, and the values among its options. */
export function checkSelection(components: unknown, customId: string, values: readonly string[]): void {
  const rows = Array.isArray(components) ? (components as Json[]) : [];
  const select = rows.flatMap((row) => (Array.isArray(row.components) ? (row.components as Json[]) : [])).find((child) => child.type === STRING_SELECT && child.custom_id === customId);
  if (select === undefined) throw new Error(`the message has no select menu ${customId}`);
  const offered = (select.options as Json[]).map((option) => option.value);
  const missing = values.filter((value) => !offered.includes(value));
  if (missing.length > 0) throw new Error(`select menu ${customId} offers no ${missing.join(', ')}`);
}
