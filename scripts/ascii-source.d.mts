/** `source` with every non-ASCII UTF-16 unit written as a \uXXXX escape (ascii-source.mjs). */
export function asciiSource(source: string): string;
