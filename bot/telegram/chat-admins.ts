/**
 * Who may run admin commands in a chat: in private chats the user (the chat is theirs); in groups the creator and
 * administrators (getChatMember, remembered for a minute), and anonymous admins, whose messages are sent on
 * behalf of the chat itself.
 */
import type { Telegram } from 'telegraf';
import type { Message } from 'telegraf/types';
import { telegramCall } from './transport-error.ts';

const ADMIN_STATUSES = new Set(['creator', 'administrator']);
const REMEMBER_MS = 60_000;

export class ChatAdmins {
  private readonly known = new Map<string, { admin: boolean; until: number }>();

  constructor(private readonly telegram: Telegram, private readonly now: () => number = Date.now) {}

  async isAdmin(message: Pick<Message, 'chat' | 'from' | 'sender_chat'>): Promise<boolean> {
    const { chat } = message;
    if (chat.type === 'private') return true;
    if (message.sender_chat?.id === chat.id) return true;
    const user = message.from;
    if (user === undefined) return false;
    const key = `${chat.id}:${user.id}`;
    const remembered = this.known.get(key);
    if (remembered !== undefined && remembered.until > this.now()) return remembered.admin;
    const member = await telegramCall('getChatMember', () => this.telegram.getChatMember(chat.id, user.id));
    const admin = ADMIN_STATUSES.has(member.status);
    this.known.set(key, { admin, until: this.now() + REMEMBER_MS });
    return admin;
  }
}
