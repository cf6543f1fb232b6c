#!/usr/bin/env node
'use strict';
// NOTE: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
require('../dist/cli/index.js').main(process.argv);
