/** A command asked for something its environment cannot give (a variable missing): exit 2 with the sentence. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
