/** Chats, users and their roles, and every chat's messages (users' and the bot's share one message_id sequence). */
import type { Chat, User } from 'telegraf/types';
import { badRequest } from './api-error.ts';
import type { LocalMessage, MemberStatus } from './types.ts';

export interface ChatSpec {
  id: number;
  type: 'private' | 'group' | 'supergroup';
  /** Group title; for a private chat, the user's first name. */
  title?: string;
  username?: string;
}

interface ChatLog {
  lastMessageId: number;
  messages: Map<number, LocalMessage>;
}

export class Conversations {
  private readonly chats = new Map<number, Chat>();
  private readonly users = new Map<number, User>();
  private readonly roles = new Map<string, MemberStatus>();
  private readonly logs = new Map<number, ChatLog>();

  addChat(spec: ChatSpec): Chat {
    const username = spec.username === undefined ? {} : { username: spec.username };
    const chat: Chat = spec.type === 'private'
      ? { id: spec.id, type: 'private', first_name: spec.title ?? this.users.get(spec.id)?.first_name ?? `User ${spec.id}`, ...username }
      : spec.type === 'group'
        ? { id: spec.id, type: 'group', title: spec.title ?? `Group ${spec.id}` }
        : { id: spec.id, type: 'supergroup', title: spec.title ?? `Supergroup ${spec.id}`, ...username };
    this.chats.set(spec.id, chat);
    return chat;
  }

  addUser(user: User): User {
    this.users.set(user.id, user);
    return user;
  }

  user(id: number): User | undefined {
    return this.users.get(id);
  }

  /** A chat by the chat_id parameter (an id, or @username); 400 "chat not found" otherwise. */
  chat(chatId: number | string | undefined): Chat {
    if (chatId === undefined || chatId === '') throw badRequest('chat_id is empty');
    const found = typeof chatId === 'string' && chatId.startsWith('@')
      ? [...this.chats.values()].find((chat) => 'username' in chat && chat.username === chatId.slice(1))
      : this.chats.get(Number(chatId));
    if (found === undefined) throw badRequest('chat not found');
    return found;
  }

  knownChat(chatId: number): Chat | undefined {
    return this.chats.get(chatId);
  }

  setRole(chatId: number, userId: number, status: MemberStatus): void {
    this.roles.set(`${chatId}:${userId}`, status);
  }

  role(chatId: number, userId: number): MemberStatus {
    return this.roles.get(`${chatId}:${userId}`) ?? 'member';
  }

  nextMessageId(chatId: number): number {
    const log = this.log(chatId);
    log.lastMessageId += 1;
    return log.lastMessageId;
  }

  keep(message: LocalMessage): LocalMessage {
    this.log(message.chat.id).messages.set(message.message_id, message);
    return message;
  }

  message(chatId: number, messageId: number): LocalMessage | undefined {
    return this.logs.get(chatId)?.messages.get(messageId);
  }

  remove(chatId: number, messageId: number): void {
    this.logs.get(chatId)?.messages.delete(messageId);
  }

  private log(chatId: number): ChatLog {
    const existing = this.logs.get(chatId);
    if (existing !== undefined) return existing;
    const created = { lastMessageId: 0, messages: new Map<number, LocalMessage>() };
    this.logs.set(chatId, created);
    return created;
  }
}
