// The differential crash test with 40 kills at other moments (`npm test` runs 10).
import { resumeDifferential } from '../crash/resume-differential.ts';

resumeDifferential(40, 7);
