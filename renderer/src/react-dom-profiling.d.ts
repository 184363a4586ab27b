// @types/react-dom has no entry for the profiling build; it exports the same API as react-dom/client.
declare module 'react-dom/profiling' {
  export * from 'react-dom/client';
}
