/**
 * `T` whose optional keys also take an explicit `undefined`, so input objects
 * type-check under `exactOptionalPropertyTypes`. Required keys stay required;
 * unions (such as the init body's either/or) are mapped member by member.
 */
// biome-ignore lint/complexity/noBannedTypes: `{} extends Pick<T, K>` is how a type asks whether key K is optional.
export type Undefinable<T> = T extends object ? { [K in keyof T]: {} extends Pick<T, K> ? T[K] | undefined : T[K] } : T;
