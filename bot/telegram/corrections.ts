/**
 * Fans correct an answer in a Telegram chat: "Wrong name?" asks the fan who pressed which face (when there are
 * several), then who it is, with buttons only they may press; the choice runs /correct's work. "Face 2: Lisa?" Yes
 * counts a confirmation (a notice only the presser sees); No asks who it is instead.
 */
import { findCommand, type Command, type RawOptions } from '../../commands/index.ts';
import type { CoreContext } from '../../core/context.ts';
import { toNotice } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { faceChoices, firstQuestion, loadAnswer, memberChoices, parseFeedbackButton, pressYes, whoQuestion, WHICH_FACE_QUESTION, type FeedbackPress, type MenuChoice } from '../shared/feedback-buttons.ts';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import type { Origin } from './chat-responder.ts';

/** Telegram's own limit is higher; a keyboard longer than this is no help to anyone. */
const MAX_MEMBER_BUTTONS = 25;

export interface TelegramCorrectionParts {
  core: CoreContext;
  logger: Logger;
  /** A question with buttons only `origin`'s user may press; `answer` gets the index and the question's message id. */
  ask(origin: Origin, question: string, labels: string[], answer: (index: number, questionMessageId: number | undefined) => Promise<void>): Promise<void>;
  execute(command: Command, origin: Origin, options: () => RawOptions): Promise<void>;
  /** The press is answered with a notice only the presser sees (none: just acknowledged). */
  notify(text: string | undefined): Promise<void>;
  fanName: string;
}

/** The answer a message of the bot's can be corrected as: its "Wrong name?" button names it. */
export function answerIdOf(message: { reply_markup?: InlineKeyboardMarkup | undefined }): string | undefined {
  const buttons = message.reply_markup?.inline_keyboard.flat() ?? [];
  for (const button of buttons) {
    const press = parseFeedbackButton('callback_data' in button ? button.callback_data : '');
    if (press?.kind === 'fix') return press.answerId;
  }
  return undefined;
}

/** The answer a typed command replies to, when it is a correctable answer of the bot's. */
export function repliedAnswer(message: object | undefined): { answerId?: string } {
  const answerId = message !== undefined && 'reply_markup' in message ? answerIdOf(message as { reply_markup?: InlineKeyboardMarkup }) : undefined;
  return answerId === undefined ? {} : { answerId };
}

/** How a fan is shown to admins: their @username, else their first name. */
export function displayNameOf(user: { username?: string | undefined; first_name: string }): string {
  return user.username === undefined ? user.first_name : `@${user.username}`;
}

export async function pressFeedback(press: FeedbackPress, origin: Origin, parts: TelegramCorrectionParts): Promise<void> {
  const server = `telegram:${origin.chatId}`;
  try {
    if (press.kind === 'sure' && press.yes) {
      await parts.notify(await pressYes(parts.core, server, press, { user: String(origin.userId), name: parts.fanName }));
      return;
    }
    const answer = await loadAnswer(parts.core, server, press.answerId);
    await parts.notify(undefined);
    const askWho = (face: number): Promise<void> => askMember(parts, origin, answer.id, face, memberChoices(answer, face, MAX_MEMBER_BUTTONS));
    const first = firstQuestion(answer, press);
    if (first.ask === 'who') await askWho(first.face);
    else await parts.ask(origin, WHICH_FACE_QUESTION, faceChoices(answer).map((face) => face.label), async (index) => askWho(index + 1));
  } catch (error) {
    const notice = toNotice(error);
    if (notice.code === 'internal') parts.logger.error({ err: error }, 'correction failed');
    await parts.notify(notice.message);
  }
}

async function askMember(parts: TelegramCorrectionParts, origin: Origin, answerId: string, face: number, choices: MenuChoice[]): Promise<void> {
  const command = findCommand('correct', 'slash');
  if (command === undefined) return;
  await parts.ask(origin, whoQuestion(face), choices.map((choice) => choice.label), async (index, questionMessageId) => {
    const member = choices[index]?.value;
    if (member === undefined) return;
    // The question is this correction's own message: its id names the request.
    const asked = { ...origin, messageId: questionMessageId ?? origin.messageId };
    await parts.execute(command, asked, () => ({ answer: answerId, face, member }));
  });
}
