/** What the commands hand back to main(): the exit code, set by a command when not everything went well. */
export interface CommandState {
  exitCode: number;
}
