import { flowOf, L } from '../src/analyze/flow.ts'
import { classifyPath, walletIdsIn, WALLET_EXTENSION_IDS } from '../src/analyze/sensitive-paths.ts'
import { destinationOf, locate, whenRuns, type Location } from '../src/analyze/sinks.ts'
import { defineRule, type Severity } from '../src/types.ts'

interface Hit {
  where: Location
  targets: string[]
}

/**
 * Reads of crypto-wallet locations: browser-extension storage of wallet extensions (by id),
 * `Local Extension Settings`, Solana / Exodus / Electrum / Atomic / Bitcoin Core files, the macOS
 * keychain. Critical when the content is sent, or when several wallets are swept by a package
 * that also talks to the network.
 */
export default defineRule({
  meta: {
    id: 'wallet-harvesting',
    severity: 'high',
    description: 'Crypto-wallet files, wallet browser extensions or the keychain are read (and sent)',
    docs: 'rules/wallet-harvesting.md',
  },
  create(context) {
    const reads: Hit[] = []
    const sends: Array<{ where: Location; destination: string }> = []
    let networkFiles = 0
    let fileIds = new Set<string>()
    return {
      Program() {
        fileIds = new Set()
      },
      StringLiteral(node) {
        if (node.value.length >= 32) for (const id of walletIdsIn(node.value.toLowerCase())) fileIds.add(id)
      },
      'Program:exit'(program, ctx) {
        const file = ctx.file
        if (!file) return
        const flow = flowOf(program, ctx)
        if (flow.network.length > 0) networkFiles++
        for (const event of flow.files) {
          if (event.kind !== 'read' || (event.pathTaint & L.P_WALLET) === 0) continue
          const targets = new Set(classifyPath(event.pathText).filter((x) => x.kind === 'wallet').map((x) => x.target))
          if (targets.has('browser extension storage (wallet vaults)') || /\*/.test(event.pathText)) {
            for (const id of fileIds) targets.add(`${WALLET_EXTENSION_IDS.get(id)} extension`)
          }
          if (targets.size === 0) targets.add('a wallet location')
          reads.push({ where: locate(file, event.node), targets: [...targets] })
        }
        for (const event of flow.network) {
          if ((event.taint & L.WALLET) === 0) continue
          sends.push({ where: locate(file, event.node), destination: destinationOf(event.url).detail })
        }
      },
      'Package:exit'() {
        if (reads.length === 0 && sends.length === 0) return
        const targets = [...new Set(reads.flatMap((r) => r.targets))]
        const list = targets.slice(0, 8).join(', ') + (targets.length > 8 ? `, … (${targets.length} in all)` : '')
        const onlySolana = targets.every((x) => x === 'Solana CLI keypair')
        const unnamed = targets.every((x) => x === 'a wallet location')
        let severity: Severity
        let message: string
        const first = sends[0]?.where ?? reads[0]!.where
        if (sends.length > 0) {
          severity = 'critical'
          message = `Wallet data (${list || 'wallet files'}) is read and sent to ${sends[0]!.destination}.`
        } else if (networkFiles > 0 && !onlySolana && !unnamed) {
          severity = 'critical'
          message = `Reads ${targets.length > 1 ? `${targets.length} crypto-wallet locations` : 'a crypto-wallet location'} (${list}) in a package that also sends data over the network: a wallet stealer's shape.`
        } else if (onlySolana) {
          severity = 'medium'
          message = `Reads the Solana CLI keypair (~/.config/solana/id.json); its bytes were not seen reaching the network (signing tools read it legitimately).`
        } else {
          severity = 'high'
          message = `Reads ${targets.length > 1 ? `${targets.length} crypto-wallet locations` : 'a crypto-wallet location'} (${list}); no library needs another program's wallet vault.`
        }
        context.report({ file: first.file, line: first.line, column: first.column, snippet: first.snippet, entryKind: first.entryKind, severity, message: message + whenRuns(first) })
      },
    }
  },
})
