/** The Bot API objects the local Telegram hands out and the records tests read. Field names are the Bot API's. */
import type { Animation, BotCommand, Chat, Document, InlineKeyboardMarkup, MessageEntity, PhotoSize, User, Video, VideoNote } from 'telegraf/types';

/** A message as the Bot API returns it; only the kinds the fake knows (text, photo, video, document...). */
export interface LocalMessage {
  message_id: number;
  date: number;
  chat: Chat;
  from?: User;
  sender_chat?: Chat;
  message_thread_id?: number;
  edit_date?: number;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  photo?: PhotoSize[];
  document?: Document;
  video?: Video;
  video_note?: VideoNote;
  animation?: Animation;
  media_group_id?: string;
  reply_to_message?: LocalMessage;
  reply_markup?: InlineKeyboardMarkup;
}

/** What a test may set on a message a user sends; the fake adds message_id, date and command entities. */
export type UserMessageInput = Omit<LocalMessage, 'message_id' | 'date' | 'chat'> & { chat: Chat | number; date?: number };

export interface LocalCallbackQuery {
  id: string;
  from: User;
  message: LocalMessage;
  chat_instance: string;
  data: string;
}

/** How the bot answered a button press (answerCallbackQuery). */
export interface CallbackAnswer {
  text?: string;
  showAlert: boolean;
  url?: string;
  time: number;
}

export type MemberStatus = 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';

/** One Bot API call as the fake received it; uploaded files appear as `{ file, size }`, never their bytes. */
export interface RequestRecord {
  method: string;
  params: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  time: number;
  /** The HTTP status answered; 0 while the call is still open (a long poll). */
  status: number;
  description?: string;
  /** The call came in a webhook response (telegraf's webhookReply), not over HTTP. */
  viaWebhookReply?: true;
}

/** A message the bot sent, kept up to date with its edits and deletion. */
export interface SentRecord {
  /** The method that created it: sendMessage, sendPhoto... */
  method: string;
  chatId: number;
  message: LocalMessage;
  /** Current text, or caption for media. */
  text: string | undefined;
  replyMarkup: InlineKeyboardMarkup | undefined;
  edits: number;
  deleted: boolean;
  /** For media: the file sent and its bytes. */
  fileId?: string;
  bytes?: Buffer;
}

export interface ChatActionRecord {
  chatId: number;
  action: string;
  time: number;
  messageThreadId?: number;
}

export interface CommandsEntry {
  scope: Record<string, unknown>;
  languageCode: string;
  commands: BotCommand[];
}

export interface WebhookState {
  url: string;
  secretToken: string | undefined;
  maxConnections: number;
  allowedUpdates: string[] | undefined;
}
