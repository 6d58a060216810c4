/** A Discord interaction's options in the platform-neutral shape `commands/` takes. */
import {
  ApplicationCommandOptionType, type Attachment as DiscordAttachment, type ChatInputCommandInteraction,
  type CommandInteractionOption, type MessageContextMenuCommandInteraction,
} from 'discord.js';
import type { Attachment, OptionValue, RawOptions } from '../../commands/index.ts';
import { IdolensError } from '../../core/errors.ts';

function attachmentOf(attachment: DiscordAttachment): Attachment {
  return { url: attachment.url, name: attachment.name, size: attachment.size, contentType: attachment.contentType ?? undefined };
}

function valueOf(option: CommandInteractionOption): OptionValue | undefined {
  if (option.type === ApplicationCommandOptionType.Attachment) return option.attachment ? attachmentOf(option.attachment) : undefined;
  return option.value ?? undefined;
}

export function chatInputOptions(interaction: ChatInputCommandInteraction): RawOptions {
  const [first] = interaction.options.data;
  const sub = first?.type === ApplicationCommandOptionType.Subcommand ? first : undefined;
  const options = sub ? (sub.options ?? []) : interaction.options.data;
  const raw: Record<string, OptionValue | undefined> = Object.fromEntries(options.map((option) => [option.name, valueOf(option)]));
  if (sub) raw.subcommand = sub.name;
  return raw;
}

/** The first picture or clip of the message a context command was run on: its attachments, then its embeds. */
export function messageMedia(interaction: MessageContextMenuCommandInteraction, kind: 'image' | 'video'): RawOptions {
  const message = interaction.targetMessage;
  const attached = message.attachments.find((attachment) => attachment.contentType?.startsWith(`${kind}/`) === true);
  if (attached) return { media: attachmentOf(attached) };
  for (const embed of message.embeds) {
    const media = kind === 'image' ? (embed.image ?? embed.thumbnail) : embed.video;
    const url = media?.proxyURL ?? undefined;
    if (url) return { media: { url, name: new URL(url).pathname.split('/').pop() ?? kind, size: 0 } };
  }
  throw new IdolensError('no_media', kind === 'image' ? 'That message has no picture for me to look at.' : 'That message has no clip for me to label.');
}
