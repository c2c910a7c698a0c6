/**
 * The V8 flags jobgraph runs with: in the `jobgraph` command's shebang
 * (src/cli.ts), in `npm start`, and for every gateway the bench starts. A
 * test keeps the three equal.
 *
 * `--max-semi-space-size=64` (MB; V8's default is 16): fanning one status
 * change out to 10,000 graphql-ws subscribers keeps ten thousand short
 * promise chains alive at once, and with the default young generation every
 * scavenge copied them. Measured on the bench's fan-out: p99 delivery 328 ms
 * with the default, 242 ms with this. The young generation only grows under
 * such load; an idle gateway keeps the default's size.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
