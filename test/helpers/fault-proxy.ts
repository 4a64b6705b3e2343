/**
 * A small HTTP proxy on 127.0.0.1 in front of the test registry that injects faults into chosen
 * requests: error statuses, requests that are never answered, bodies that stall or are cut off,
 * and complete responses with other bytes. Requests it does not fault are passed to the registry
 * unchanged, with the proxy's own Host, so the package documents Verdaccio returns name tarball
 * URLs on the proxy too.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  /** The request is accepted and never answered. */
  | { kind: 'hang' }
  /** Headers and the first `afterBytes` bytes of the real body, then silence. */
  | { kind: 'stall-body'; afterBytes: number }
  /** Headers announcing the real length and the first `afterBytes` bytes, then the connection is reset. */
  | { kind: 'truncate'; afterBytes: number }
  /** A complete, well-formed response whose body is other bytes. */
  | { kind: 'replace-body'; body: Buffer }
  /** The real response with these headers added or replaced (e.g. `cache-control: no-store`). */
  | { kind: 'headers'; headers: Record<string, string> }

export interface FaultRule {
  /** Which requests (path and query) this rule applies to. */
  match: RegExp
  fault: Fault
  /** Fault only the first `times` matching requests (default: every one). */
  times?: number
}

export interface ProxiedRequest {
  method: string
  path: string
  fault?: Fault['kind']
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>/`, to use as the registry. */
  url: string
  /** Every request received, in order. */
  requests: ProxiedRequest[]
  close(): Promise<void>
}

export async function startFaultProxy(upstream: string, rules: FaultRule[]): Promise<FaultProxy> {
  const upstreamUrl = new URL(upstream)
  const used = rules.map(() => 0)
  const requests: ProxiedRequest[] = []
  const sockets = new Set<Socket>()

  const server = createServer((req, res) => {
    // Clients that time out or give up close the connection mid-response: that is the point.
    req.on('error', () => {})
    res.on('error', () => {})
    const path = req.url ?? '/'
    const index = rules.findIndex((rule, i) => rule.match.test(path) && (rule.times === undefined || used[i]! < rule.times))
    const fault = index >= 0 ? rules[index]!.fault : undefined
    if (index >= 0) used[index]!++
    requests.push({ method: req.method ?? 'GET', path, ...(fault && { fault: fault.kind }) })
    if (fault?.kind === 'hang') return
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers })
      res.end(JSON.stringify({ error: `injected ${fault.status}` }))
      return
    }
    forward(req, upstreamUrl, (upstreamRes, body) => respond(res, upstreamRes, body, fault))
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolvePromise) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolvePromise())
      }),
  }
}

/** Sends the request on to the registry and hands over its response with the whole body. */
function forward(req: IncomingMessage, upstream: URL, done: (res: IncomingMessage, body: Buffer) => void): void {
  const headers = { ...req.headers }
  // Verdaccio names tarball URLs after the Host it was asked on: keep the proxy's.
  delete headers.connection
  const outgoing = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (upstreamRes) => {
    upstreamRes.on('error', () => req.socket.destroy())
    const chunks: Buffer[] = []
    upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk))
    upstreamRes.on('end', () => done(upstreamRes, Buffer.concat(chunks)))
  })
  outgoing.on('error', () => req.socket.destroy())
  req.pipe(outgoing)
}

function respond(res: ServerResponse, upstreamRes: IncomingMessage, body: Buffer, fault: Fault | undefined): void {
  const headers = { ...upstreamRes.headers, ...(fault?.kind === 'headers' && fault.headers) }
  delete headers['transfer-encoding']
  delete headers.connection
  if (fault?.kind === 'replace-body') {
    res.writeHead(upstreamRes.statusCode ?? 200, { ...headers, 'content-length': String(fault.body.length) })
    res.end(fault.body)
    return
  }
  res.writeHead(upstreamRes.statusCode ?? 200, { ...headers, 'content-length': String(body.length) })
  if (fault?.kind === 'stall-body') {
    res.write(body.subarray(0, fault.afterBytes))
    return
  }
  if (fault?.kind === 'truncate') {
    res.write(body.subarray(0, fault.afterBytes), () => res.socket?.destroy())
    return
  }
  res.end(body)
}
