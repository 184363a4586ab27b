// Log levels, most severe first (electron-log's names): the engine's Logger and the
// streaming process's forwarded records use this one list.
export const LOG_LEVELS = ['error', 'warn', 'info', 'verbose', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
