/** What the bot asks about chats (getChat, getChatMember) and its command menu (set/get/deleteMyCommands). */
import type { BotCommand, ChatMember, User } from 'telegraf/types';
import { badRequest } from './api-error.ts';
import type { Params } from './params.ts';
import { botAsUser, type LocalTelegramState, type MethodHandler } from './state.ts';
import type { MemberStatus } from './types.ts';

const SCOPE_TYPES = new Set(['default', 'all_private_chats', 'all_group_chats', 'all_chat_administrators', 'chat', 'chat_administrators', 'chat_member']);
const MAX_COMMAND_LENGTH = 32;
const MAX_DESCRIPTION_LENGTH = 256;
const MAX_COMMANDS = 100;

const RESTRICTIONS = [
  'can_send_messages', 'can_send_audios', 'can_send_documents', 'can_send_photos', 'can_send_videos', 'can_send_video_notes',
  'can_send_voice_notes', 'can_send_polls', 'can_send_other_messages', 'can_add_web_page_previews', 'can_change_info',
  'can_invite_users', 'can_pin_messages', 'can_manage_topics',
] as const;

/** A ChatMember of the given status, with Telegram's fields for it (administrators may do everything but promote). */
export function chatMember(status: MemberStatus, user: User): ChatMember {
  switch (status) {
    case 'creator': return { status, user, is_anonymous: false };
    case 'administrator': return {
      status, user, can_be_edited: false, is_anonymous: false, can_manage_chat: true, can_delete_messages: true, can_manage_video_chats: true,
      can_restrict_members: true, can_promote_members: false, can_change_info: true, can_invite_users: true, can_pin_messages: true,
    };
    case 'restricted': return { status, user, is_member: true, until_date: 0, ...Object.fromEntries(RESTRICTIONS.map((right) => [right, false])) as Record<(typeof RESTRICTIONS)[number], boolean> };
    case 'kicked': return { status, user, until_date: 0 };
    case 'member':
    case 'left': return { status, user };
  }
}

const getChat: MethodHandler = (state, { params }) => state.conversations.chat(params.string('chat_id'));

const getChatMember: MethodHandler = (state, { params }) => {
  const chat = state.conversations.chat(params.string('chat_id'));
  const userId = params.number('user_id');
  const user = userId === state.bot.id ? botAsUser(state.bot) : userId === undefined ? undefined : state.conversations.user(userId);
  if (user === undefined) throw badRequest('user not found');
  return chatMember(state.conversations.role(chat.id, user.id), user);
};

/** The scope and language a command list belongs to, as a map key. */
function scopeOf(state: LocalTelegramState, params: Params): { key: string; scope: Record<string, unknown>; languageCode: string } {
  const given = params.json('scope');
  const scope = typeof given === 'object' && given !== null ? (given as Record<string, unknown>) : { type: 'default' };
  if (typeof scope.type !== 'string' || !SCOPE_TYPES.has(scope.type)) throw badRequest("can't parse BotCommandScope: Unsupported type specified");
  if (scope.chat_id !== undefined) state.conversations.chat(String(scope.chat_id));
  const languageCode = params.string('language_code') ?? '';
  const key = JSON.stringify([scope.type, scope.chat_id ?? null, scope.user_id ?? null, languageCode]);
  return { key, scope, languageCode };
}

function checkCommands(value: unknown): BotCommand[] {
  if (!Array.isArray(value)) throw badRequest('field "commands" must be an Array');
  if (value.length > MAX_COMMANDS) throw badRequest('BOT_COMMANDS_TOO_MUCH');
  return value.map((entry: unknown) => {
    const command = typeof entry === 'object' && entry !== null && 'command' in entry ? String(entry.command) : '';
    const description = typeof entry === 'object' && entry !== null && 'description' in entry ? String(entry.description).trim() : '';
    if (command === '') throw badRequest('command must be non-empty');
    if ([...command].length > MAX_COMMAND_LENGTH) throw badRequest(`command length must not exceed ${MAX_COMMAND_LENGTH}`);
    if (description === '') throw badRequest('command description must be non-empty');
    if ([...description].length > MAX_DESCRIPTION_LENGTH) throw badRequest(`command description length must not exceed ${MAX_DESCRIPTION_LENGTH}`);
    if (!/^[a-z0-9_]+$/.test(command)) throw badRequest('BOT_COMMAND_INVALID');
    return { command, description };
  });
}

const setMyCommands: MethodHandler = (state, { params }) => {
  const commands = checkCommands(params.json('commands'));
  const { key, scope, languageCode } = scopeOf(state, params);
  if (commands.length === 0) state.commands.delete(key);
  else state.commands.set(key, { scope, languageCode, commands });
  return true;
};

/** The list set for exactly this scope and language (Telegram does not fall back here). */
const getMyCommands: MethodHandler = (state, { params }) => state.commands.get(scopeOf(state, params).key)?.commands ?? [];

const deleteMyCommands: MethodHandler = (state, { params }) => {
  state.commands.delete(scopeOf(state, params).key);
  return true;
};

export const CHAT_METHODS: Readonly<Record<string, MethodHandler>> = { getChat, getChatMember, setMyCommands, getMyCommands, deleteMyCommands };
