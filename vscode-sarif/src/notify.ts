// Remembers which problems were already shown to the user, so that a missing
// or failing binary gives one message, not one per keystroke. Everything is
// forgotten when the settings change (or trust is granted): a new setup
// deserves a new message.

export class OnceReporter {
  private readonly shown = new Set<string>();

  /** True the first time `key` is reported since the last reset. */
  shouldShow(key: string): boolean {
    if (this.shown.has(key)) return false;
    this.shown.add(key);
    return true;
  }

  reset(): void {
    this.shown.clear();
  }
}
