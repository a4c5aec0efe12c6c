// A YAML number kept as written, so items the function does not own leave byte-for-byte as they came.

/** A YAML number kept as written. `value` is its numeric reading, for code that needs one. */
export class NumberText {
  constructor(readonly text: string, readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}
