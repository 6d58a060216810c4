import { z } from 'zod';
import { helpExampleImage } from '../core/render/help-example.ts';
import { reply, type Command, type CommandContext } from './command.ts';

/** The one thing to do next, for whoever asks: an admin of a server without groups, a fan where groups exist, … */
function firstStep(context: CommandContext, groups: readonly string[], say: (name: string, ...words: string[]) => string): string {
  if (context.server === undefined) return 'Start here: add me to a server (or a group chat), then ask for help there.';
  const [first] = groups;
  if (first === undefined) {
    return context.isAdmin
      ? `Start here: create a group, then enroll its members with a few photos each: ${say('group', 'create', 'BLACKPINK')}, then ${say('enroll', 'BLACKPINK', 'Jennie')} with 3 to 5 photos of her (and the same for each member).`
      : `No group here yet: ask an admin (${context.admins}) to create one and enroll its members; then you can ask me who is who.`;
  }
  const known = groups.length === 1 ? first : `${groups.slice(0, -1).join(', ')} and ${groups.at(-1) ?? ''}`;
  const identify = `send a screenshot with ${say('identify')} and I put a name on every face I know (${known})`;
  return context.isAdmin ? `Start here: ${identify}. To teach me more: ${say('enroll', first, 'NAME')} with a few photos.` : `Start here: ${identify}.`;
}

const schema = z.object({});

export const helpCommand = {
  kind: 'slash',
  name: 'help',
  description: 'What I do and how to use me',
  access: 'everyone',
  answerDependsOnRole: true,
  scope: 'anywhere',
  privateAnswer: true,
  options: [],
  subcommands: [],
  schema,
  text: { usage: '', parse: () => ({}) },
  async run(context) {
    const say = (name: string, ...words: string[]): string => context.phrasing.command(name, ...words);
    const groups = context.server === undefined ? [] : await context.core.store.listGroups(context.server);
    const lines = [
      firstStep(context, groups.map((group) => group.name), say),
      '',
      'I tell K-pop idols apart: admins teach me a group\'s members from a few photos, then anyone can ask who is who.',
      `${say('identify')} with a picture: the picture back with a box and a name on every face (or "unknown").`,
      `${say('annotate')} with a clip: the clip back labelled, with its sound, and a chart of who was on screen.`,
      `${say('members')} and ${say('sheet')}: who I know and the photos I learned from.`,
      'A name wrong? Press "Wrong name?" under my answer: admins review what fans suggest, and I learn from it.',
      `Admins (${context.admins}): ${say('group', 'create')}, ${say('enroll')} (photos, links, a zip with one folder per member, or an image search you review with ${say('review')}), ${say('train')}, ${say('forget')}, ${say('keep')} (a flagged photo you checked), ${say('suggestions')} (fans' corrections), ${say('pack')} (share a group), ${say('settings')}.`,
    ];
    if (context.server === undefined) lines.push('Groups belong to a server, so in direct messages only help works: use me in a server.');
    const example = await helpExampleImage();
    lines.push('', example.text);
    return reply(lines.join('\n'), [{ name: 'example-answer.jpg', contentType: 'image/jpeg', bytes: example.jpeg }]);
  },
} satisfies Command<typeof schema>;
