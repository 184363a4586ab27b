// The streaming-process stand-in that ends in an endless loop (see protocol-child.mjs).
import { run } from './protocol-child.mjs';

run('spin');
