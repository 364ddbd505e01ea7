// A crash changes nothing: 10 kills (more in `npm run test:long`, test/long/resume-differential.test.ts).
import { resumeDifferential } from './resume-differential.ts';

resumeDifferential(10, 20261203);
