import { identifyCommand } from './identify.ts';
import { messageCommand } from './message-command.ts';

/** "Identify faces" on a message with a picture. */
export const identifyMessageCommand = messageCommand('Identify faces', 'Name every face in this message\'s picture', 'image', (context, media) => identifyCommand.run(context, { image: media }));
