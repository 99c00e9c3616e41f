// Vite plugin: after the bundle is written, store a brotli (`.br`) and a gzip
// (`.gz`) copy beside every text file of web/dist that is worth compressing.
//
// `yiye serve` (src/http/static.c) answers a request with one of these copies,
// with Content-Encoding and Vary: Accept-Encoding, when the browser accepts it,
// so the server never compresses per request and the build can afford the
// slowest, smallest settings. A copy that is not smaller than the file is not
// written (the server would ignore it anyway). Node's zlib does both formats,
// so no dependency is needed.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const COMPRESSIBLE = /\.(html|js|mjs|css|json|svg|txt|map|ttf)$/
const MIN_BYTES = 512 // smaller files gain nothing worth a second request path

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) yield* files(full)
    else yield full
  }
}

export function compressDist(dir) {
  let written = 0
  for (const file of files(dir)) {
    if (!COMPRESSIBLE.test(file)) continue
    const data = readFileSync(file)
    if (data.length < MIN_BYTES) continue
    const br = brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length
      }
    })
    const gz = gzipSync(data, { level: 9 })
    if (br.length < data.length) {
      writeFileSync(`${file}.br`, br)
      written++
    }
    if (gz.length < data.length) {
      writeFileSync(`${file}.gz`, gz)
      written++
    }
  }
  return written
}

export default function compress() {
  let outDir = 'dist'
  return {
    name: 'yiye-compress',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir)
    },
    closeBundle() {
      compressDist(outDir)
    }
  }
}
