/** Makes a switch over a union exhaustive: a variant without a case does not compile. */
export function unhandled(x: never): never {
  throw new Error(`unhandled variant: ${JSON.stringify(x)}`);
}
