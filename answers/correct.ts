import type { CorrectionResultData } from '../services/feedback-service.ts';
import type { AnswerText } from './phrasing.ts';

/** What the fan who corrected reads. */
export const correctText: AnswerText<CorrectionResultData> = (data, phrasing) => {
  const said = data.member === null ? `face ${data.face} is someone not in ${data.group}` : `face ${data.face} is ${data.member}`;
  if (data.repeated) return `You already suggested that ${said} (suggestion #${data.number}); it is waiting for an admin.`;
  const agree = data.fans > 1 ? ` ${data.fans} fans now say so.` : '';
  const flag = data.flag === undefined ? '' : ` An admin will look twice: ${data.flag}`;
  return `Thanks! Your suggestion that ${said} (#${data.number}) is waiting for an admin (${phrasing.command('suggestions')}).${agree}${flag}`;
};
