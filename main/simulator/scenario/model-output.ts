/** The sink for what the printer model publishes, as Moonraker would push it to its clients. */
export interface ModelOutput {
  notify(method: string, params?: readonly unknown[]): void;
  /** Pushes pending status changes now, so that a following notification comes after them. */
  flushStatus(): void;
  /** Drops every client's subscription, as Moonraker does when it loses Klippy. */
  clearSubscriptions(): void;
}
