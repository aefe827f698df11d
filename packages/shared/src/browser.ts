// DOM: import first in every browser bundle (`import '@bedside/shared/browser'`), before any
// schema parses. zod 4 probes `new Function('')` once to decide whether it may compile fast
// object parsers; under a CSP without 'unsafe-eval' that probe is a reported violation
// (Firefox logs "blocked a JavaScript eval"). Jitless mode never probes and parses the same.
import { config } from 'zod/mini';

config({ jitless: true });
