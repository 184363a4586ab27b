// The streaming-process stand-in that blocks its loop for 2 s bursts (see protocol-child.mjs).
import { run } from './protocol-child.mjs';

run('busy');
