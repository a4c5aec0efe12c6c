// Bounds the decoder and the encoder share, in one place.

/** Deepest nesting of objects and lists accepted in any Struct of a request (and so passed back). */
export const MAX_NESTING = 100;
