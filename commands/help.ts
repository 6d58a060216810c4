import { z } from 'zod';
import { reply, type Command } from './command.ts';

const schema = z.object({});

export const helpCommand = {
  kind: 'slash',
  name: 'help',
  description: 'What I do and how to use me',
  access: 'everyone',
  scope: 'anywhere',
  privateAnswer: true,
  options: [],
  subcommands: [],
  schema,
  text: { usage: '', parse: () => ({}) },
  async run(context) {
    const say = (name: string, ...words: string[]): string => context.phrasing.command(name, ...words);
    const lines = [
      'I tell K-pop idols apart: admins teach me a group\'s members from a few photos, then anyone can ask who is who.',
      `${say('identify')} with a picture: the picture back with a box and a name on every face (or "unknown").`,
      `${say('annotate')} with a clip: the clip back labelled, with its sound, and a chart of who was on screen.`,
      `${say('members')} and ${say('sheet')}: who I know and the photos I learned from.`,
      `Admins (${context.admins}): ${say('group', 'create')}, ${say('enroll')} (photos, links, a zip with one folder per member, or an image search you review with ${say('review')}), ${say('train')}, ${say('forget')}, ${say('settings')}.`,
    ];
    if (context.server === undefined) lines.push('Groups belong to a server, so in direct messages only help works: use me in a server.');
    return reply(lines.join('\n'));
  },
} satisfies Command<typeof schema>;
