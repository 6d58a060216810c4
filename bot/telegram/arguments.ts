/**
 * Telegram commands are typed text: "/enroll TWICE Nayeon", "/forget TWICE Nayeon 3", "/settings size medium".
 * This turns the words (and the media that came with them) into the options the platform-neutral commands take.
 */
import type { Attachment, RawOptions } from '../../commands/index.ts';
import { IdolensError } from '../../core/errors.ts';

export interface CommandText {
  /** Lower-case command name, without the slash or @botname. */
  name: string;
  /** The bot named after @, if any ("/identify@idolens_bot"). */
  addressedTo: string | undefined;
  args: string[];
}

export interface MessageMedia {
  images: Attachment[];
  video: Attachment | undefined;
  archive: Attachment | undefined;
}

const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+([\s\S]*))?$/;
const QUOTED_OR_WORD = /"([^"]*)"|“([^”]*)”|'([^']*)'|(\S+)/g;
const URL_WORD = /^https?:\/\//i;
const SAMPLE_NUMBER = /^#?(\d{1,5})$/;

export function parseCommandText(text: string): CommandText | undefined {
  const match = COMMAND.exec(text.trim());
  if (!match) return undefined;
  return { name: (match[1] ?? '').toLowerCase(), addressedTo: match[2], args: words(match[3] ?? '') };
}

/** Words, with "quoted names" kept whole. */
export function words(text: string): string[] {
  return [...text.matchAll(QUOTED_OR_WORD)].map((match) => match[1] ?? match[2] ?? match[3] ?? match[4] ?? '').filter((word) => word !== '');
}

export const USAGE: Record<string, string> = {
  identify: '/identify [group] as the caption of a photo, or as a reply to one',
  annotate: '/annotate [group] as the caption of a clip, or as a reply to one',
  enroll: '/enroll <group> <member> with photos (an album, or a reply to one), links after the name, or search <query>; a zip of member folders: /enroll <group>',
  group: '/group create <name> | list | rename <group> <new name> | delete <group>',
  members: '/members [group]',
  sheet: '/sheet [group] <member>',
  forget: '/forget [group] <member> [photo number]',
  train: '/train [group]',
  settings: '/settings [group <name>] [threshold 0.6] [default <group>] [size small|medium|large|original] [reset]',
  review: '/review <id> accept [except 2 5] | /review <id> discard',
  help: '/help',
};

function usage(name: string): IdolensError {
  return new IdolensError('invalid_option', `Use it like this: ${USAGE[name] ?? `/${name}`}`);
}

/** "[group] <member>": one word is the member; more, the first is the group (quote names with spaces). */
function groupAndMember(name: string, args: string[]): { group?: string; member: string } {
  const [first, ...rest] = args;
  if (first === undefined) throw usage(name);
  return rest.length === 0 ? { member: first } : { group: first, member: rest.join(' ') };
}

function optionalGroup(args: string[]): RawOptions {
  return args.length === 0 ? {} : { group: args.join(' ') };
}

function enrollOptions(args: string[], media: MessageMedia): RawOptions {
  const searchAt = args.findIndex((word) => word.toLowerCase() === 'search');
  if (searchAt >= 0) return enrollSearchOptions(args.slice(0, searchAt), args.slice(searchAt + 1));
  const urls = args.filter((word) => URL_WORD.test(word));
  const [group, ...memberWords] = args.filter((word) => !URL_WORD.test(word));
  if (group === undefined) throw usage('enroll');
  const photos = Object.fromEntries(media.images.map((image, index) => [`photo${index + 1}`, image]));
  return {
    group,
    ...(memberWords.length === 0 ? {} : { member: memberWords.join(' ') }),
    ...(urls.length === 0 ? {} : { urls: urls.join(' ') }),
    ...(media.archive === undefined ? {} : { zip: media.archive }),
    ...photos,
  };
}

/** "/enroll <group> <member> search <query…> [count N]". */
function enrollSearchOptions(before: string[], after: string[]): RawOptions {
  const [group, ...memberWords] = before;
  if (group === undefined || memberWords.length === 0) throw usage('enroll');
  const countAt = after.length - 2;
  const count = after[countAt]?.toLowerCase() === 'count' ? Number(after[countAt + 1]) : undefined;
  const query = (count === undefined ? after : after.slice(0, countAt)).join(' ');
  return { group, member: memberWords.join(' '), search: query === '' ? memberWords.join(' ') : query, ...(count === undefined ? {} : { count }) };
}

/** "/review <id> accept [except 2 5]" or "/review <id> discard". */
function reviewOptions(args: string[]): RawOptions {
  const [id, action, keyword, ...numbers] = args;
  if (id === undefined || (action !== 'accept' && action !== 'discard')) throw usage('review');
  if (keyword === undefined) return { id, action };
  if (keyword.toLowerCase() !== 'except' || action !== 'accept') throw usage('review');
  return { id, action, except: numbers.join(' ') };
}

function groupOptions(args: string[]): RawOptions {
  const [subcommand, first, ...rest] = args;
  switch (subcommand?.toLowerCase()) {
    case 'list': return { subcommand: 'list' };
    case 'create': return first === undefined ? throwUsage('group') : { subcommand: 'create', name: [first, ...rest].join(' ') };
    case 'delete': return first === undefined ? throwUsage('group') : { subcommand: 'delete', group: [first, ...rest].join(' ') };
    case 'rename': return first === undefined || rest.length === 0 ? throwUsage('group') : { subcommand: 'rename', group: first, new_name: rest.join(' ') };
    default: throw usage('group');
  }
}

function forgetOptions(args: string[]): RawOptions {
  const last = args.at(-1);
  const sample = last === undefined ? undefined : SAMPLE_NUMBER.exec(last)?.[1];
  const named = groupAndMember('forget', sample === undefined ? args : args.slice(0, -1));
  return { ...named, ...(sample === undefined ? {} : { sample: Number(sample) }) };
}

const SETTING_KEYS: Record<string, string> = { group: 'group', threshold: 'unknown_threshold', default: 'default_group', size: 'output_size' };

function settingsOptions(args: string[]): RawOptions {
  const options: Record<string, string | number | boolean> = {};
  for (let index = 0; index < args.length; index += 1) {
    const key = args[index]?.toLowerCase() ?? '';
    if (key === 'reset') {
      options.reset = true;
      continue;
    }
    const option = SETTING_KEYS[key];
    const value = args[index + 1];
    if (option === undefined || value === undefined) throw usage('settings');
    options[option] = option === 'unknown_threshold' ? Number(value) : value;
    index += 1;
  }
  return options;
}

function throwUsage(name: string): never {
  throw usage(name);
}

/** The options of a command from its words and the media that came with it. */
export function commandOptions(name: string, args: string[], media: MessageMedia): RawOptions {
  switch (name) {
    case 'identify': return { ...optionalGroup(args), ...(media.images[0] === undefined ? {} : { image: media.images[0] }) };
    case 'annotate': return { ...optionalGroup(args), ...(media.video === undefined ? {} : { video: media.video }) };
    case 'enroll': return enrollOptions(args, media);
    case 'group': return groupOptions(args);
    case 'members': case 'train': return optionalGroup(args);
    case 'sheet': return groupAndMember('sheet', args);
    case 'forget': return forgetOptions(args);
    case 'settings': return settingsOptions(args);
    case 'review': return reviewOptions(args);
    default: return {};
  }
}
