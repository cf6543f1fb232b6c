#!/bin/sh
//usr/bin/true; s=$0; while [ -h "$s" ]; do case $s in */*) ;; *) s=./$s ;; esac; l=$(readlink "$s"); case $l in /*) s=$l ;; *) s=${s%/*}/$l ;; esac; done; case $s in */*) ;; *) s=./$s ;; esac; d=${s%/*}/../dist/.snapshot; p=; read -r o 2>/dev/null </sys/devices/system/cpu/online && case $o in 0) p=1 ;; 0-[1-9] | 0-[1-9][0-9] | 0-[1-9][0-9][0-9]) o=${o#0-}; p=$((o < 4 ? o : 4)) ;; esac; c=; n=; for a; do if [ -n "$n" ]; then n=; elif [ "$a" = --today ]; then n=1; else case $a in -*) ;; *) c=$a; break ;; esac; fi; done; case $c in build | example) if [ "$SRQ_SNAPSHOT" != 0 ] && [ -z "$NODE_OPTIONS" ] && [ -r "$d/srq.blob" ] && [ -r "$d/node" ] && [ ! "$d/srq.blob" -nt "$d/node" ] && [ ! "$d/node" -nt "$d/srq.blob" ] && read -r v z <"$d/node" && [ "$z" = "$(($(wc -c <"$d/srq.blob")))" ]; then b=; IFS=:; set -f; for e in $PATH; do [ -f "${e:-.}/node" ] && [ -x "${e:-.}/node" ] && b=${e:-.}/node && break; done; set +f; unset IFS; [ -n "$b" ] && [ "$b" -ef "$d/node-bin" ] && [ ! "$b" -nt "$d/node" ] && exec "$b" --min-semi-space-size=16 --max-semi-space-size=32 --initial-old-space-size=96 --snapshot-blob "$d/srq.blob" ${p:+--v8-pool-size=$p} "$0" "$@"; fi ;; esac; exec node ${p:+--v8-pool-size=$p} "$0" "$@"
'use strict';
// A shell script and a Node script in one file. Started as a program (`srq`, `npx srq`,
// ./bin/srq.js), /bin/sh runs the line above (to JavaScript, a comment): for the commands that
// build PDFs (build, example) it starts node from srq's V8 startup snapshot
// (dist/.snapshot/srq.blob, made by `npm run build`: scripts/snapshot.js, src/cli/snapshot.ts),
// when the blob is there, has the same mtime as its stamp (dist/.snapshot/node: written together,
// so a blob changed since has another), the stamp names the blob's size, the first node on the
// PATH is the executable that made it (dist/.snapshot/node-bin links to it: the same file, not
// changed since the stamp; found without starting a process), NODE_OPTIONS is empty (V8 flags there make node refuse the blob) and SRQ_SNAPSHOT
// is not 0; node refuses, or crashes on, a blob it cannot use, before any JavaScript runs, so
// those checks come first. The V8 flags it starts node with are those scripts/snapshot.js made
// the blob with (V8_FLAGS; test/snapshot/snapshot.test.ts holds the two together). Otherwise, and for every other command, it runs this file with node,
// as `node bin/srq.js` does (and that never uses the snapshot).
// Either way it gives V8's pool of helper threads (garbage collection, optimising compiles; node
// makes 4 whatever the machine) one thread fewer than the online CPUs, at least 1, at most 4, read
// from /sys without starting a process (node's default where the list is not one range 0-N): on
// two cores, four helpers and the main thread took turns on two. A batch build (--each-tier, its
// documents in worker threads) took 737 → 691 ms; the rest within the noise
// (test/build/launcher.test.ts).
//
// NOTE: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script): the
// bundles scripts/bundle.js makes, loaded with a V8 code cache by ./load.js.
require('./load.js').loadCli().main(process.argv);
