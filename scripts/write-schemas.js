// Writes schema/*.json from the zod schemas (run by `npm run schema`; a test checks they match).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { jsonSchemas } = require('../dist/answers/json-schema.js');
for (const [name, schema] of Object.entries(jsonSchemas())) {
  fs.writeFileSync(
    path.join(__dirname, '..', 'schema', name),
    `${JSON.stringify(schema, null, 2)}\n`,
  );
  console.log(`schema/${name}`);
}
