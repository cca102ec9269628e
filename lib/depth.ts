/**
 * Whether `value` nests objects and arrays at most `limit` levels deep
 * (itself included): the spec's `x-medblocks-max-depth`, which JSON Schema
 * cannot say. Walked with a stack of its own, not by recursion: the values
 * it refuses are the ones deep enough to overflow the call stack.
 */
export function withinDepth(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== "object" || current === null) continue;
    if (depth > limit) return false;
    for (const child of Object.values(current)) if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
  }
  return true;
}
