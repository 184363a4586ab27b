// js-yaml (electron-builder's own YAML parser, in node_modules through it) ships
// no types and @types/js-yaml is not installed: the one function the packaging
// test uses.
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
