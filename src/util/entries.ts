// Plain objects keyed by data (variable names, labels, versions): a key is set as an own member
// whatever it is, since assigning `__proto__` sets the object's prototype instead of a key.

/**
 * Sets `map[key]` as an own member whatever the key. A prompt variable may be named `__proto__`
 * (the schema allows it), and a live object may hold such a label or route: assigned, it would
 * vanish from the map (and from every comparison, hash and request made of it).
 */
export function setEntry<T>(map: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

/** `map[key]` when the map holds it itself: `constructor` or `toString` are data, not Object.prototype's. */
export function ownEntry<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

/**
 * Sets `map[key]` as an own, enumerable member whose value `make` gives on its first read (and
 * keeps); assigning a value replaces it. For what only a rare reader needs, such as where a text
 * starts in its file (read only to report a problem inside it).
 */
export function setLazyEntry<T>(map: Record<string, T>, key: string, make: () => T): void {
  let value: T | undefined;
  let made = false;
  Object.defineProperty(map, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!made) {
        value = make();
        made = true;
      }
      return value as T;
    },
    set: (v: T) => {
      value = v;
      made = true;
    },
  });
}
