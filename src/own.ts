/**
 * Looking ids up in plain objects parsed from YAML: a tier, principle or evidence id may be
 * any string, including `toString`, `constructor` or `hasOwnProperty`, which `obj[id]` and
 * `id in obj` find on Object.prototype. These see only the object's own properties.
 */

/** `obj[key]` when it is the object's own property, else undefined. */
export function own<T>(obj: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return obj !== undefined && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** Whether `key` is an own property of `obj`. */
export function hasOwn(obj: object | undefined, key: string): boolean {
  return obj !== undefined && Object.prototype.hasOwnProperty.call(obj, key);
}
