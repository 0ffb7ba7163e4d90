/** Typing the emulator's objects with the stripe package's own types. */

/** Every field optional, at every depth; field names and value types still checked. */
export type DeepPartial<T> =
  T extends ReadonlyArray<infer U>
    ? DeepPartial<U>[]
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;

/**
 * Builds a Stripe object from the fields the emulator models. The compiler
 * checks every name and value given against the real type; the fields left
 * out are ones the product never reads, and stay absent on the wire.
 */
export function stripeObject<T>(fields: DeepPartial<T>): T {
  return fields as T;
}
