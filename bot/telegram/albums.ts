/**
 * Telegram delivers an album as one message per photo, sharing a media_group_id. The collector waits until an
 * album has been quiet for a moment and hands it on whole, once; albums stay known for a while so that a command
 * sent as a reply to one of their photos can take the whole album.
 */
/** What the collector needs of a message. */
export interface AlbumPart {
  chat: { id: number };
  message_id: number;
  media_group_id?: string | undefined;
}

const REMEMBER_MS = 30 * 60 * 1000;
const MAX_REMEMBERED = 500;

export class AlbumCollector<AlbumMessage extends AlbumPart> {
  private readonly pending = new Map<string, { messages: AlbumMessage[]; timer: NodeJS.Timeout }>();
  private readonly remembered = new Map<string, { messages: AlbumMessage[]; at: number }>();

  constructor(private readonly quietMs: number, private readonly onAlbum: (messages: AlbumMessage[]) => void) {}

  /** False for a message that is not part of an album. */
  add(message: AlbumMessage): boolean {
    if (message.media_group_id === undefined) return false;
    const key = albumKey(message.chat.id, message.media_group_id);
    const entry = this.pending.get(key);
    if (entry !== undefined) clearTimeout(entry.timer);
    this.pending.set(key, { messages: [...(entry?.messages ?? []), message], timer: setTimeout(() => this.complete(key), this.quietMs) });
    return true;
  }

  /** The whole album a message belongs to (in message order), or just the message. */
  albumOf<M extends AlbumPart>(message: M): (AlbumMessage | M)[] {
    if (message.media_group_id === undefined) return [message];
    const key = albumKey(message.chat.id, message.media_group_id);
    return this.remembered.get(key)?.messages ?? this.pending.get(key)?.messages ?? [message];
  }

  close(): void {
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
  }

  private complete(key: string): void {
    const entry = this.pending.get(key);
    if (entry === undefined) return;
    this.pending.delete(key);
    const messages = [...entry.messages].sort((a, b) => a.message_id - b.message_id);
    this.remember(key, messages);
    this.onAlbum(messages);
  }

  private remember(key: string, messages: AlbumMessage[]): void {
    const now = Date.now();
    for (const [oldKey, old] of this.remembered) {
      if (now - old.at > REMEMBER_MS || this.remembered.size >= MAX_REMEMBERED) this.remembered.delete(oldKey);
      else break;
    }
    this.remembered.set(key, { messages, at: now });
  }
}

function albumKey(chatId: number, mediaGroupId: string): string {
  return `${chatId}:${mediaGroupId}`;
}
