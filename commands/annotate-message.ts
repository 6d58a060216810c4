import { annotateCommand } from './annotate.ts';
import { messageCommand } from './message-command.ts';

/** "Label this clip" on a message with a video. */
export const annotateMessageCommand = messageCommand('Label this clip', 'Label the faces in this message\'s clip', 'video', (context, media) => annotateCommand.run(context, { video: media }));
