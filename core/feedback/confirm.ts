/** A fan answers "yes" to "Is face 2 Lisa?": the member's tally of confirmed answers grows (once per fan and face). */
import type { CoreContext } from '../context.ts';
import { IdolensError } from '../errors.ts';
import type { Fan } from './corrections.ts';
import { withConfirmation } from './tally.ts';

export async function confirmFace(context: CoreContext, server: string, answerId: string, face: number, fan: Fan): Promise<{ member: string; repeated: boolean }> {
  return context.store.withLock(`corrections:${server}:${fan.user}`, async () => {
    const answer = await context.answers.get(server, answerId);
    const shown = answer.faces[face - 1];
    const member = shown?.unsureOf ?? shown?.name ?? undefined;
    if (member === undefined) throw new IdolensError('face_not_found');
    if (!await context.answers.markConfirmed(server, answerId, face, fan.user)) return { member, repeated: true };
    if (await context.answers.recentCorrections(server, fan.user) >= context.correctionsPerHour) throw new IdolensError('correction_limit');
    await context.store.changeFeedback(server, answer.group, (feedback) => ({ feedback: { ...feedback, tally: withConfirmation(feedback.tally, member) }, result: undefined }));
    await context.answers.countCorrection(server, fan.user);
    return { member, repeated: false };
  });
}
