// V8 keeps a script's source in memory for as long as the script runs, as one-byte
// (Latin-1) text only if every character fits: one arrow in a comment doubles the
// memory of the whole bundle (the streaming bundle's source took 4.3 MB instead of
// 2.2 MB). esbuild escapes strings, templates and regular expressions (its default
// charset is ASCII) but copies comments verbatim, so the build escapes what is left.
// A \uXXXX escape is the same character in a string, template, regular expression or
// identifier, and plain text in a comment; escaping per UTF-16 unit keeps characters
// outside the BMP intact (a surrogate pair becomes two escapes, as in source text).

/** `source` with every non-ASCII UTF-16 unit written as a \uXXXX escape. */
export function asciiSource(source) {
  return source.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
