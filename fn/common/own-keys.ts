// Objects built from input keys: a key read from YAML, JSON or a protobuf Struct is data, never a
// prototype. Plain `obj[key] = value` with the key "__proto__" would set the prototype instead, so
// that a reviewer's YAML and what the function reads would differ.

/** obj[key] = value as an own, enumerable property, also for the key "__proto__". */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
