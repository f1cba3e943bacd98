// A real Bluesky server on loopback for Rapport's `bsky:` import test.
//
// Starts Bluesky's PLC directory (in-memory) and PDS on free 127.0.0.1 ports, creates accounts and
// records through the real XRPC API, prints one line `MANIFEST <json>` saying exactly what alice's
// repository holds, then serves until its standard input closes (or reads a line `stop`).
// With `--fixture FILE` it writes alice's repository to FILE and stops instead: that is how
// fixtures/bluesky/pds-alice/repo.car was made.
// Nothing here touches the internet: handles end in `.test` and every address is loopback.

import { PlcServer, Database } from '@did-plc/server'
import * as pdsPkg from '@atproto/pds'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

const { PDS, envToCfg, envToSecrets, readEnv } = pdsPkg

// The PDS logs through pino to stdout; the manifest line must stand out, so logging is off.
process.env.LOG_ENABLED = 'false'

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

const plcPort = await freePort()
const pdsPort = await freePort()
const plc = PlcServer.create({ db: Database.mock(), port: plcPort })
await plc.start()

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-pds-'))
Object.assign(process.env, {
  PDS_HOSTNAME: 'localhost',
  PDS_PORT: String(pdsPort),
  PDS_DATA_DIRECTORY: dir,
  PDS_BLOBSTORE_DISK_LOCATION: path.join(dir, 'blobs'),
  PDS_JWT_SECRET: 'jwtsecret',
  PDS_ADMIN_PASSWORD: 'admin',
  PDS_DID_PLC_URL: `http://127.0.0.1:${plcPort}`,
  PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: 'a'.repeat(63) + '1',
  PDS_DEV_MODE: 'true',
  PDS_INVITE_REQUIRED: 'false',
  PDS_SERVICE_HANDLE_DOMAINS: '.test',
  PDS_CRAWLERS: '',
})
const env = readEnv()
const pds = await PDS.create(envToCfg(env), envToSecrets(env))
await pds.start()
const service = `http://127.0.0.1:${pdsPort}`

const xrpc = async (nsid, body, token) => {
  const r = await fetch(`${service}/xrpc/${nsid}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  if (!r.ok) throw new Error(`${nsid} ${r.status} ${await r.text()}`)
  return r.json()
}

const account = async (name) => {
  const a = await xrpc('com.atproto.server.createAccount', {
    handle: `${name}.test`,
    email: `${name}@example.test`,
    password: 'password',
  })
  return { handle: a.handle, did: a.did, token: a.accessJwt }
}

// Fixed timestamps keep the manifest stable from run to run.
let minute = 0
const stamp = () => new Date(Date.UTC(2025, 0, 15, 9, minute++)).toISOString()

const create = async (who, collection, record, validate = true) => {
  const r = await xrpc(
    'com.atproto.repo.createRecord',
    { repo: who.did, collection, validate, record: { $type: collection, createdAt: stamp(), ...record } },
    who.token,
  )
  return { uri: r.uri, cid: r.cid }
}

// UTF-8 byte offsets of `part` in `text`, as facets count them.
const span = (text, part) => {
  const start = Buffer.byteLength(text.slice(0, text.indexOf(part)))
  return { byteStart: start, byteEnd: start + Buffer.byteLength(part) }
}

const alice = await account('alice')
const bob = await account('bob')
const carol = await account('carol')
const dave = await account('dave')

const bobPost = await create(bob, 'app.bsky.feed.post', { text: 'Which seeds do well in clay?' })
const carolPost = await create(carol, 'app.bsky.feed.post', { text: 'Compost is a love letter to the soil' })

const expected = { posts: [], interactions: [], skipped: [] }
const post = async (record, extra) => {
  const made = await create(alice, 'app.bsky.feed.post', record)
  expected.posts.push({ uri: made.uri, text: record.text, ...extra })
  return made
}

await xrpc(
  'com.atproto.repo.putRecord',
  {
    repo: alice.did,
    collection: 'app.bsky.actor.profile',
    rkey: 'self',
    record: { $type: 'app.bsky.actor.profile', displayName: 'Alice Example', description: 'Grows things' },
  },
  alice.token,
)

const tagText = 'First tomatoes of the year #Gardening'
await post(
  {
    text: tagText,
    facets: [{ index: span(tagText, '#Gardening'), features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'Gardening' }] }],
  },
  { hashtags: ['gardening'] },
)

const mentionText = 'Thanks @bob.test for the seeds'
const mention = await post(
  {
    text: mentionText,
    facets: [{ index: span(mentionText, '@bob.test'), features: [{ $type: 'app.bsky.richtext.facet#mention', did: bob.did }] }],
  },
  { mentions: [bob.did] },
)
expected.interactions.push({ kind: 'mention', target: bob.did, post: mention.uri })

const linkText = 'How to start a heap: example.com/compost'
await post(
  {
    text: linkText,
    facets: [
      {
        index: span(linkText, 'example.com/compost'),
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.com/compost' }],
      },
    ],
  },
  { links: ['https://example.com/compost'] },
)

const replyText = 'Beans love clay once you add leaf mould'
const reply = await post(
  { text: replyText, reply: { root: bobPost, parent: bobPost } },
  { reply_to: bobPost.uri, reply_to_author: bob.did },
)
expected.interactions.push({ kind: 'reply', target: bob.did, post: reply.uri })

const quoteText = 'So true'
const quote = await post(
  { text: quoteText, embed: { $type: 'app.bsky.embed.record', record: carolPost } },
  { quote_of: carolPost.uri },
)
expected.interactions.push({ kind: 'quote', target: carol.did, post: quote.uri })

await post(
  {
    text: 'A good read on soil',
    embed: {
      $type: 'app.bsky.embed.external',
      external: { uri: 'https://example.org/soil', title: 'Soil', description: 'What lives in it' },
    },
  },
  { links: ['https://example.org/soil'] },
)

await post({ text: 'Evening watering done', tags: ['Allotment'] }, { hashtags: ['allotment'] })

// A reply to my own post continues my thread: a post, not an exchange with anyone.
const selfReply = await post(
  { text: 'More on that tomorrow', reply: { root: reply, parent: reply } },
  { reply_to: reply.uri, reply_to_author: alice.did },
)

const interaction = async (collection, kind, subject, target) => {
  const made = await create(alice, collection, { subject })
  expected.interactions.push({ kind, target, uri: made.uri })
}
await interaction('app.bsky.graph.follow', 'follow', bob.did, bob.did)
await interaction('app.bsky.graph.follow', 'follow', carol.did, carol.did)
await interaction('app.bsky.feed.like', 'like', bobPost, bob.did)
await interaction('app.bsky.feed.repost', 'repost', carolPost, carol.did)
await interaction('app.bsky.graph.block', 'block', dave.did, dave.did)

// A like of my own post says nothing about a relationship: read, then skipped.
const selfLike = await create(alice, 'app.bsky.feed.like', { subject: selfReply })
expected.skipped.push(selfLike.uri)

const list = await create(alice, 'app.bsky.graph.list', {
  name: 'Growers',
  purpose: 'app.bsky.graph.defs#curatelist',
})
expected.skipped.push(list.uri)
await create(alice, 'app.bsky.graph.listitem', { subject: carol.did, list: list.uri })
expected.list_members = [carol.did]

// Repositories hold other apps' records too; they are read and skipped with the reason.
const other = await create(alice, 'com.example.garden.plot', { name: 'Plot 7' }, false)
expected.skipped.push(other.uri)

// Others act on alice too; none of it is in her repository, so none of it may be imported.
await create(bob, 'app.bsky.graph.follow', { subject: alice.did })
await create(carol, 'app.bsky.feed.like', { subject: mention })

const manifest = {
  service,
  plc: `http://127.0.0.1:${plcPort}`,
  me: { handle: alice.handle, did: alice.did, display_name: 'Alice Example' },
  accounts: Object.fromEntries([bob, carol, dave].map((a) => [a.handle, a.did])),
  ...expected,
}
console.log(`MANIFEST ${JSON.stringify(manifest)}`)

// `node harness.mjs --fixture FILE` writes alice's repository, as getRepo serves it, and stops.
const fixture = process.argv.indexOf('--fixture')
if (fixture > 0) {
  const car = await fetch(`${service}/xrpc/com.atproto.sync.getRepo?did=${alice.did}`)
  fs.writeFileSync(process.argv[fixture + 1], Buffer.from(await car.arrayBuffer()))
}

const stop = async () => {
  await pds.destroy()
  await plc.destroy()
  fs.rmSync(dir, { recursive: true, force: true })
  process.exit(0)
}
// `node harness.mjs --bench N FILE` adds N more records to alice's repository (posts with facets,
// replies, likes, reposts, follows of made-up accounts), writes it to FILE and stops: the data of
// bench/results/bluesky.md.
const bench = process.argv.indexOf('--bench')
if (bench > 0) {
  const total = Number(process.argv[bench + 1])
  const fakeDid = (i) => `did:plc:${i.toString(32).padStart(24, 'a')}`
  const fakePost = (i) => ({ uri: `at://${fakeDid(i)}/app.bsky.feed.post/3k${i.toString(32).padStart(11, '2')}`, cid: bobPost.cid })
  const writes = []
  for (let i = 0; i < total; i++) {
    const createdAt = new Date(Date.UTC(2024, 0, 1) + i * 60000).toISOString()
    const text = `Note ${i} for @bob.test about #topic${i % 50} at example.com/${i}`
    const value = [
      { $type: 'app.bsky.feed.post', text, createdAt, facets: [
        { index: span(text, '@bob.test'), features: [{ $type: 'app.bsky.richtext.facet#mention', did: bob.did }] },
        { index: span(text, `#topic${i % 50}`), features: [{ $type: 'app.bsky.richtext.facet#tag', tag: `topic${i % 50}` }] },
        { index: span(text, `example.com/${i}`), features: [{ $type: 'app.bsky.richtext.facet#link', uri: `https://example.com/${i}` }] },
      ] },
      { $type: 'app.bsky.feed.post', text: `Reply ${i}`, createdAt, reply: { root: fakePost(i), parent: fakePost(i) } },
      { $type: 'app.bsky.feed.like', subject: fakePost(i), createdAt },
      { $type: 'app.bsky.feed.like', subject: fakePost(i + 1), createdAt },
      { $type: 'app.bsky.feed.repost', subject: fakePost(i), createdAt },
      { $type: 'app.bsky.graph.follow', subject: fakeDid(i), createdAt },
    ][i % 6]
    writes.push({ $type: 'com.atproto.repo.applyWrites#create', collection: value.$type, value })
    if (writes.length === 200 || i === total - 1) {
      await xrpc('com.atproto.repo.applyWrites', { repo: alice.did, writes: writes.splice(0) }, alice.token)
    }
  }
  const car = await fetch(`${service}/xrpc/com.atproto.sync.getRepo?did=${alice.did}`)
  fs.writeFileSync(process.argv[bench + 2], Buffer.from(await car.arrayBuffer()))
}

if (fixture > 0 || bench > 0) await stop()
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk) => {
  if (chunk.split('\n').includes('stop')) stop()
})
process.stdin.on('end', stop)
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
