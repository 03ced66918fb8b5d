// This repository's own cdk8s.yaml loads the plugin from the TypeScript source through tsx, so
// `cdk8s synth` needs no build first. Users name the installed package instead (docs/validation.md).
'use strict';
require('tsx/cjs/api').register();
module.exports = require('../lib/validation/plugin.ts');
