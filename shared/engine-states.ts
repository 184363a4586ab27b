// Vocabulary of the engine's own life as the renderer sees it (hosts, components,
// shutdown, the streaming process). Plain arrays and their types; the contracts
// build their z.enum from these, so each list exists once.

/** Which host runs the engine. */
export const HOST_KINDS = ['electron', 'headless'] as const;
export type HostKind = (typeof HOST_KINDS)[number];

/** Lifecycle states of an engine component (transitions: electron/engine/lifecycle/component.ts). */
export const COMPONENT_STATES = ['created', 'starting', 'running', 'stopping', 'stopped', 'failed', 'forced'] as const;
export type ComponentState = (typeof COMPONENT_STATES)[number];

/** Phases of the one shutdown path, in order (electron/engine/shutdown/coordinator.ts). */
export const SHUTDOWN_PHASES = ['signal', 'graceful', 'force', 'kill', 'done'] as const;
export type ShutdownPhase = (typeof SHUTDOWN_PHASES)[number];

/** States of the supervised streaming process. */
export const STREAMING_STATES = ['starting', 'running', 'restarting', 'stopped', 'failed'] as const;
export type StreamingState = (typeof STREAMING_STATES)[number];
