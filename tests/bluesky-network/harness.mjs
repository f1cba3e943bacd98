// A complete local Bluesky network (PLC directory, PDS, AppView) from @atproto/dev-env, on loopback
// only, for Rapport's sync tests (crates/test-support/src/network.rs starts it).
//
// It creates alice (the account Rapport connects), bob, carol and dan, makes them interact through
// the real XRPC API, waits until the AppView has indexed everything, and prints one line
// `MANIFEST {json}` with the URLs, DIDs, handles, passwords and record URIs. Then it reads commands
// on stdin: `more` makes bob reply to alice once more (prints `DONE more`), `live` and `answer`
// make what `sync --follow` must see (prints `DONE live`, `DONE answer`), `ghost` makes alice
// follow an account that does not exist, `undo` and `undo-live` delete records (prints `DONE undo`, `DONE undo-live`), `stop` (or EOF) shuts the network down,
// drops its PostgreSQL schemas and exits.
//
// Needs Node 22 (install.sh puts it in .node22/) and PostgreSQL (DB_POSTGRES_URL, default
// postgresql://postgres@127.0.0.1:55432/postgres). Based on the recipe in
// ../shared/recipes/local-bluesky-network.md, which explains every workaround below.
import net from 'node:net'
import fs from 'node:fs'
import path from 'node:path'
import os from 'node:os'
import readline from 'node:readline'

// Every server of the process listens on 127.0.0.1 only (dev-env calls listen(port)).
const LOOPBACK = '127.0.0.1'
const origListen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const a0 = args[0]
  if (typeof a0 === 'number' || (typeof a0 === 'string' && /^\d+$/.test(a0)) || a0 === undefined || a0 === null) {
    if (typeof args[1] !== 'string') args.splice(1, 0, LOOPBACK)
    if (args[0] == null) args[0] = 0
  } else if (a0 && typeof a0 === 'object' && !(a0 instanceof net.Server) && !a0._handle && !a0.fd && !a0.path && !a0.host) {
    args[0] = { ...a0, host: LOOPBACK }
  }
  return origListen.apply(this, args)
}

// A fresh schema and temporary folder per run, so runs never see each other's accounts.
const schema = 'rapport_' + Date.now().toString(26).replace(/./g, (c) => String.fromCharCode(97 + parseInt(c, 26)))
const RUN_TMP = path.join(os.tmpdir(), 'rapport-bsky-' + schema)
fs.mkdirSync(RUN_TMP, { recursive: true })
process.env.TMPDIR = RUN_TMP
process.env.DB_POSTGRES_URL ??= 'postgresql://postgres@127.0.0.1:55432/postgres'
process.env.REDIS_HOST ??= '127.0.0.1:6379' // asserted by dev-env, never connected to
process.env.LOG_ENABLED ??= 'false'

// Free ports, so that several runs (and other engineers' networks) can share the machine.
const freePort = () => new Promise((resolve) => {
  const s = net.createServer()
  s.listen(0, LOOPBACK, () => { const { port } = s.address(); s.close(() => resolve(port)) })
})
const PORTS = { plc: await freePort(), pds: await freePort(), bsky: await freePort(), ozone: await freePort() }

const { TestNetwork } = await import('@atproto/dev-env')
const pg = (await import('pg')).default
const network = await TestNetwork.create({
  dbPostgresUrl: process.env.DB_POSTGRES_URL,
  dbPostgresSchema: schema,
  plc: { port: PORTS.plc },
  pds: { port: PORTS.pds, hostname: 'localhost' },
  bsky: { port: PORTS.bsky, publicUrl: `http://localhost:${PORTS.bsky}` },
  ozone: { port: PORTS.ozone },
})
const PDS = `http://127.0.0.1:${network.pds.port}`

async function xrpc(nsid, { params, body, token } = {}) {
  const u = new URL(`/xrpc/${nsid}`, PDS)
  for (const [k, v] of Object.entries(params ?? {})) for (const x of [].concat(v)) u.searchParams.append(k, x)
  const r = await fetch(u, {
    method: body ? 'POST' : 'GET',
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  // Procedures such as muteActor answer with an empty body.
  const text = await r.text()
  const data = text ? JSON.parse(text) : {}
  if (!r.ok) throw new Error(`${nsid} -> HTTP ${r.status} ${JSON.stringify(data)}`)
  return data
}
let clock = Date.parse('2025-05-01T09:00:00Z')
// Records are dated a minute apart, in the order they are made.
const stamp = () => new Date((clock += 60_000)).toISOString()
const create = (user, collection, record, rkey) =>
  xrpc('com.atproto.repo.createRecord', { token: user.accessJwt, body: { repo: user.did, collection, rkey, record: { $type: collection, createdAt: stamp(), ...record } } })
const ref = (r) => ({ uri: r.uri, cid: r.cid })
// Deletes the record at `uri` (at://did/collection/rkey) as its owner.
const remove = (user, uri) => {
  const [, , , collection, rkey] = uri.split('/')
  return xrpc('com.atproto.repo.deleteRecord', { token: user.accessJwt, body: { repo: user.did, collection, rkey } })
}

const users = {}
for (const name of ['alice', 'bob', 'carol', 'dan']) {
  users[name] = await xrpc('com.atproto.server.createAccount', { body: { handle: `${name}.test`, email: `${name}@example.test`, password: `${name}-pass` } })
  await create(users[name], 'app.bsky.actor.profile', { displayName: name[0].toUpperCase() + name.slice(1) }, 'self')
}
const { alice, bob, carol, dan } = users

// What the others did to alice: bob follows, likes, replies; carol reposts and quotes; dan mentions.
const hello = await create(alice, 'app.bsky.feed.post', { text: 'hello from alice #compost' })
await create(bob, 'app.bsky.graph.follow', { subject: alice.did })
await create(bob, 'app.bsky.feed.like', { subject: ref(hello) })
const reply = await create(bob, 'app.bsky.feed.post', { text: 'hi alice, bob here', reply: { root: ref(hello), parent: ref(hello) } })
const carolsRepost = await create(carol, 'app.bsky.feed.repost', { subject: ref(hello) })
await create(carol, 'app.bsky.feed.post', { text: 'read this', embed: { $type: 'app.bsky.embed.record', record: ref(hello) } })
const mention = '@alice.test'
const text = `thanks ${mention} for the tips`
const start = Buffer.byteLength('thanks ')
await create(dan, 'app.bsky.feed.post', {
  text,
  facets: [{ index: { byteStart: start, byteEnd: start + Buffer.byteLength(mention) }, features: [{ $type: 'app.bsky.richtext.facet#mention', did: alice.did }] }],
})
// What alice did: follows carol, likes and answers bob's reply, reposts bob's own post.
const followsCarol = await create(alice, 'app.bsky.graph.follow', { subject: carol.did })
const likesReply = await create(alice, 'app.bsky.feed.like', { subject: ref(reply) })
const answer = await create(alice, 'app.bsky.feed.post', { text: 'welcome bob', reply: { root: ref(hello), parent: ref(reply) } })
const bobs = await create(bob, 'app.bsky.feed.post', { text: 'bob on soil' })
await create(alice, 'app.bsky.feed.repost', { subject: ref(bobs) })
// alice mutes erin, a noisy account (mutes are private: only getMutes tells).
users.erin = await xrpc('com.atproto.server.createAccount', { body: { handle: 'erin.test', email: 'erin@example.test', password: 'erin-pass' } })
await xrpc('app.bsky.graph.muteActor', { token: alice.accessJwt, body: { actor: users.erin.did } })
// The circle's graph: carol and bob follow dan.
await create(carol, 'app.bsky.graph.follow', { subject: dan.did })
await create(bob, 'app.bsky.graph.follow', { subject: dan.did })
await network.processAll()

const manifest = {
  pds: PDS,
  // The PLC directory, where the accounts' DID documents (and their signing keys) are published.
  plc: `http://127.0.0.1:${PORTS.plc}`,
  // The AppView, which serves public views (profiles) without a login.
  appview: `http://127.0.0.1:${PORTS.bsky}`,
  users: Object.fromEntries(Object.entries(users).map(([n, u]) => [n, { did: u.did, handle: u.handle, password: `${n}-pass` }])),
  hello: hello.uri, reply: reply.uri, answer: answer.uri,
}
console.log('MANIFEST ' + JSON.stringify(manifest))

async function shutdown() {
  await network.close()
  const c = new pg.Client({ connectionString: process.env.DB_POSTGRES_URL })
  await c.connect()
  for (const s of [`appview_${schema}`, `bsync_${schema}`, `ozone_${schema}`]) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`)
  await c.end()
  fs.rmSync(RUN_TMP, { recursive: true, force: true })
}

const lines = readline.createInterface({ input: process.stdin })
for await (const line of lines) {
  if (line.trim() === 'more') {
    await create(bob, 'app.bsky.feed.post', { text: 'one more thing, alice', reply: { root: ref(hello), parent: ref(answer) } })
    await network.processAll()
    console.log('DONE more')
  } else if (line.trim() === 'live') {
    // For `sync --follow`: fay, new to alice, follows her, likes her post and asks under it;
    // gus and hal, strangers to alice and her circle, only interact with each other.
    for (const name of ['fay', 'gus', 'hal']) {
      users[name] ??= await xrpc('com.atproto.server.createAccount', { body: { handle: `${name}.test`, email: `${name}@example.test`, password: `${name}-pass` } })
    }
    const { fay, gus, hal } = users
    // First sixty posts of gus's that concern no one: a follow started again rewinds 50 frames
    // before its cursor, and should land among them rather than before the stream was followed.
    for (let i = 0; i < 60; i++) await create(gus, 'app.bsky.feed.post', { text: `gus note ${i}` })
    await create(fay, 'app.bsky.actor.profile', { displayName: 'Fay' }, 'self')
    await create(fay, 'app.bsky.graph.follow', { subject: alice.did })
    users.fayLike = await create(fay, 'app.bsky.feed.like', { subject: ref(hello) })
    users.question = await create(fay, 'app.bsky.feed.post', { text: 'alice, which compost bin?', reply: { root: ref(hello), parent: ref(hello) } })
    const hals = await create(hal, 'app.bsky.feed.post', { text: 'hal on weather' })
    await create(gus, 'app.bsky.feed.like', { subject: ref(hals) })
    await create(gus, 'app.bsky.graph.follow', { subject: hal.did })
    await network.processAll()
    console.log('DONE live')
  } else if (line.trim() === 'answer') {
    // alice answers fay's question, and follows her back.
    await create(alice, 'app.bsky.feed.post', { text: 'the green one, fay', reply: { root: ref(hello), parent: ref(users.question) } })
    users.followsFay = await create(alice, 'app.bsky.graph.follow', { subject: users.fay.did })
    await network.processAll()
    console.log('DONE answer')
  } else if (line.trim() === 'ghost') {
    // alice follows a DID that no directory knows: it cannot be named.
    await create(alice, 'app.bsky.graph.follow', { subject: 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa' })
    await network.processAll()
    console.log('DONE ghost')
  } else if (line.trim() === 'undo') {
    // Deletions a plain sync must apply: alice unlikes bob's reply and unfollows carol, bob
    // deletes that reply, carol deletes her repost.
    await remove(alice, likesReply.uri)
    await remove(alice, followsCarol.uri)
    await remove(bob, reply.uri)
    await remove(carol, carolsRepost.uri)
    await network.processAll()
    console.log('DONE undo')
  } else if (line.trim() === 'undo-live') {
    // Deletions `sync --follow` must apply: fay takes back her like, alice unfollows fay.
    await remove(users.fay, users.fayLike.uri)
    await remove(alice, users.followsFay.uri)
    await network.processAll()
    console.log('DONE undo-live')
  } else if (line.trim() === 'stop') {
    break
  }
}
await shutdown()
process.exit(0)
