import { z } from 'zod';
import { IdolensError } from '../core/errors.ts';
import { plural } from '../core/format.ts';
import type { JobInput } from '../workers/jobs.ts';
import type { Command, CommandContext, CommandOutcome, OptionSpec } from './command.ts';
import type { Attachment, RawOptions } from './option-values.ts';
import { MAX_SEARCH_COUNT } from '../core/search/search-enroll.ts';
import { refuseLikelyTypo } from '../core/dataset/member-name-check.ts';
import { displayName } from '../core/store/index.ts';
import { usageError, type MessageMedia } from './text-grammar.ts';
import { attachmentRef, attachmentSchema, checkAttachment, requiredGroupOption, serverOf } from './options.ts';

export const MAX_PHOTOS_PER_ENROLL = 10;
const MAX_URLS_PER_ENROLL = 20;
const PHOTO_OPTIONS = Array.from({ length: MAX_PHOTOS_PER_ENROLL }, (_, index) => `photo${index + 1}`);

const photoOptions: OptionSpec[] = PHOTO_OPTIONS.map((name, index) => ({
  name, description: index === 0 ? 'A photo of the member (up to 10 per call)' : 'Another photo', kind: 'attachment', required: false,
}));

const schema = z.object({
  group: z.string(),
  member: z.string().optional(),
  urls: z.string().max(4000).optional(),
  zip: attachmentSchema.optional(),
  search: z.string().trim().min(2).max(200).optional(),
  count: z.number().int().min(1).max(MAX_SEARCH_COUNT).optional(),
  new: z.boolean().optional(),
  ...Object.fromEntries(PHOTO_OPTIONS.map((name) => [name, attachmentSchema.optional()])),
});

type EnrollInput = z.infer<typeof schema>;

function photosOf(input: EnrollInput): Attachment[] {
  const values = input as Record<string, unknown>;
  return PHOTO_OPTIONS.flatMap((name) => {
    const parsed = attachmentSchema.safeParse(values[name]);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Links an admin typed: http(s) only, fetched later from public addresses only (the queue's rules). */
function urlInputs(text: string | undefined): JobInput[] {
  const words = (text ?? '').split(/[\s,]+/).filter((word) => word !== '');
  if (words.length > MAX_URLS_PER_ENROLL) throw new IdolensError('too_large', `That is ${words.length} links; send up to ${MAX_URLS_PER_ENROLL} per call.`);
  return words.map((word): JobInput => {
    let url: URL;
    try {
      url = new URL(word);
    } catch {
      return { source: word.slice(0, 100), error: { code: 'url_not_allowed', message: 'This is not a web address (use http:// or https://).' } };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { source: word.slice(0, 100), error: { code: 'url_not_allowed', message: 'Only http:// and https:// links can be enrolled.' } };
    return { ref: { kind: 'url', url: url.href, name: `${url.hostname}${url.pathname}`.slice(0, 120), trust: 'admin' } };
  });
}

function zipImport(context: CommandContext, group: string, zip: Attachment): CommandOutcome {
  checkAttachment(zip, 'archive', context.core.intakeLimits.maxArchiveBytes);
  return {
    kind: 'job',
    working: `Importing ${zip.name} into ${group}…`,
    job: { name: 'import', payload: { group, inputs: [{ ref: attachmentRef(zip) }] } },
  };
}

const DEFAULT_SEARCH_COUNT = 30;

function searchJob(group: string, query: string, input: EnrollInput, photoCount: number): CommandOutcome {
  if (photoCount > 0 || input.urls !== undefined || input.zip !== undefined) throw new IdolensError('invalid_option', 'Search on its own: without photos, links or a zip.');
  if (input.member === undefined) throw new IdolensError('member_not_found', 'Say which member to search photos of.');
  const member = displayName(input.member);
  const count = input.count ?? DEFAULT_SEARCH_COUNT;
  return { kind: 'job', working: `Searching "${query}" for photos of ${member}…`, job: { name: 'search', payload: { group, member, query, count } } };
}

const ENROLL_USAGE = '<group> <member> [new] with photos (an album, or a reply to one), links after the name, or search <query>; a zip of member folders: /enroll <group>';
/** After the member's name: a new member although the name is close to an existing one's. */
const NEW_WORD = 'new';
const URL_WORD = /^https?:\/\//i;

/** "/enroll <group> <member…> [links…]" with photos or a zip, or "/enroll <group> <member…> search <query…> [count N]". */
function enrollText(words: string[], media: MessageMedia): RawOptions {
  const searchAt = words.findIndex((word) => word.toLowerCase() === 'search');
  if (searchAt >= 0) return searchText(words.slice(0, searchAt), words.slice(searchAt + 1));
  const urls = words.filter((word) => URL_WORD.test(word));
  const [group, ...named] = words.filter((word) => !URL_WORD.test(word));
  if (group === undefined) throw usageError('enroll', ENROLL_USAGE);
  const isNew = named.length > 1 && named.at(-1)?.toLowerCase() === NEW_WORD;
  const memberWords = isNew ? named.slice(0, -1) : named;
  const photos = Object.fromEntries(media.images.map((image, index) => [`photo${index + 1}`, image]));
  return {
    group,
    ...(isNew ? { new: true } : {}),
    ...(memberWords.length === 0 ? {} : { member: memberWords.join(' ') }),
    ...(urls.length === 0 ? {} : { urls: urls.join(' ') }),
    ...(media.archive === undefined ? {} : { zip: media.archive }),
    ...photos,
  };
}

function searchText(before: string[], after: string[]): RawOptions {
  const [group, ...memberWords] = before;
  if (group === undefined || memberWords.length === 0) throw usageError('enroll', ENROLL_USAGE);
  const countAt = after.length - 2;
  const count = after[countAt]?.toLowerCase() === 'count' ? Number(after[countAt + 1]) : undefined;
  const query = (count === undefined ? after : after.slice(0, countAt)).join(' ');
  return { group, member: memberWords.join(' '), search: query === '' ? memberWords.join(' ') : query, ...(count === undefined ? {} : { count }) };
}

export const enrollCommand = {
  kind: 'slash',
  name: 'enroll',
  description: 'Teach me a member from photos, links, or a zip with one folder per member',
  access: 'admin',
  scope: 'server',
  privateAnswer: false,
  options: [
    requiredGroupOption,
    { name: 'member', description: 'The member (not needed with a zip)', kind: 'string', required: false, autocomplete: 'member', maxLength: 40 },
    ...photoOptions,
    { name: 'urls', description: 'Links to photos, separated by spaces', kind: 'string', required: false, maxLength: 4000 },
    { name: 'zip', description: 'A zip with one folder of photos per member', kind: 'attachment', required: false },
    { name: 'search', description: 'Find photos with an image search (e.g. "Nayeon TWICE"); you review them before they are added', kind: 'string', required: false, maxLength: 200 },
    { name: 'count', description: 'With search: how many results to look at (default 30)', kind: 'integer', required: false, min: 1, max: MAX_SEARCH_COUNT },
    { name: 'new', description: 'A new member whose name is close to an existing member\'s (otherwise refused as a likely typo)', kind: 'boolean', required: false },
  ],
  subcommands: [],
  schema,
  text: { usage: ENROLL_USAGE, parse: enrollText },
  async run(context, input) {
    const record = await context.core.store.requireGroup(serverOf(context), input.group);
    const group = record.name;
    const photos = photosOf(input);
    // Refused here, before anything is queued; the worker checks again for requests that reach it otherwise.
    if (input.member !== undefined && input.new !== true) refuseLikelyTypo(record, displayName(input.member), (member) => context.phrasing.newMember(group, member));
    if (input.search !== undefined) return searchJob(group, input.search, input, photos.length);
    if (input.zip !== undefined) {
      if (photos.length > 0 || input.urls !== undefined) throw new IdolensError('invalid_archive', 'Send a zip on its own: its folders name the members.');
      return zipImport(context, group, input.zip);
    }
    if (input.member === undefined) throw new IdolensError('member_not_found', 'Say which member these photos are of, or send a zip with one folder per member.');
    const member = displayName(input.member);
    const inputs: JobInput[] = [
      ...photos.map((photo): JobInput => {
        try {
          checkAttachment(photo, 'image', context.core.mediaLimits.maxBytes);
          return { ref: attachmentRef(photo) };
        } catch (error) {
          if (!(error instanceof IdolensError)) throw error;
          return { source: photo.name, error: { code: error.code, message: error.message } };
        }
      }),
      ...urlInputs(input.urls),
    ];
    if (inputs.length === 0) throw new IdolensError('no_media', `Send photos of ${member} (up to ${MAX_PHOTOS_PER_ENROLL}), links to photos, or a zip.`);
    return {
      kind: 'job',
      working: `Learning ${member} from ${plural(inputs.length, 'photo')}…`,
      job: { name: 'enroll', payload: { group, member, inputs, contactSheet: true, ...(input.new === true ? { newMember: true } : {}) } },
    };
  },
} satisfies Command<typeof schema>;
